from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "raksa.messaging"
    label = "messaging"
    verbose_name = "ข้อความทาง LINE"
