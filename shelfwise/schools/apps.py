from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "shelfwise.schools"
    label = "schools"
