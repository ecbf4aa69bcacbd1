from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "utskrivning.followup"
