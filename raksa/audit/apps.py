from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "raksa.audit"
    label = "audit"
    verbose_name = "บันทึกการตรวจสอบ"
