from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "interfaces.backoffice"
    label = "backoffice"

    def ready(self):
        from interfaces.backoffice import (
            admin_api_keys,  # noqa: F401  (registers the API keys' page)
            admin_claims,  # noqa: F401  (claims, review, statements, dashboards)
        )
