"""The citizen's LINE channel: the webhook LINE calls, and the confirmation QR's own address (on to its LIFF
page; the LIFF pages themselves are under /liff/, liff_urls.py)."""

from django.urls import path

from interfaces.line import views_confirm, webhook

app_name = "line"

urlpatterns: list = [
    path("webhook", webhook.line_webhook, name="webhook"),  # /line/webhook
    path("confirm/", views_confirm.canonical, name="confirm"),  # /line/confirm/?t=<token>: the QR's payload
]
