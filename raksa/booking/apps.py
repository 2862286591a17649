from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "raksa.booking"
    label = "booking"
    verbose_name = "การจองและคิว (Booking and queue)"
