from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "raksa.eligibility"
    label = "eligibility"
    verbose_name = "ตรวจสอบสิทธิ (Rights check)"
