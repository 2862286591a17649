from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "raksa.units"
    label = "units"
    verbose_name = "หน่วยบริการ"
