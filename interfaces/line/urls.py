"""The citizen's LINE channel: the webhook LINE calls, and the LIFF pages opened inside LINE."""

from django.urls import path

from interfaces.line import webhook

app_name = "line"

urlpatterns: list = [
    path("webhook", webhook.line_webhook, name="webhook"),  # /line/webhook
]
