from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "shelfwise.collection"
    label = "collection"
