from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "shelfwise.circulation"
    label = "circulation"
