from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "utskrivning.web"
