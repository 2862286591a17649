from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "raksa.verification"
    label = "verification"
    verbose_name = "การยืนยันตัวตนและสิทธิ"
