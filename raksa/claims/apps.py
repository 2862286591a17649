from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "raksa.claims"
    label = "claims"
    verbose_name = "การเบิกจ่าย (เคลม)"
