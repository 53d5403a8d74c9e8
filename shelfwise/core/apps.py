from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shelfwise.core"
    label = "core"
