from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "interfaces.backoffice"
    label = "backoffice"
