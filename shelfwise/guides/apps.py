from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "shelfwise.guides"
    label = "guides"
