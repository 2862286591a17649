from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "interfaces.portal"
    label = "portal"
