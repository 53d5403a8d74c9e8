from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "shelfwise.programs"
    label = "programs"
