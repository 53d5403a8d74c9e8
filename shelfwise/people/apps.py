from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "shelfwise.people"
    label = "people"
