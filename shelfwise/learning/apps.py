from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "shelfwise.learning"
    label = "learning"
