from django.apps import AppConfig


class LineInterfaceConfig(AppConfig):
    name = "interfaces.line"
    label = "line_interface"
    verbose_name = "LINE (webhook and LIFF pages)"
