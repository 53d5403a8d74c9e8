from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "shelfwise.catalog"
    label = "catalog"
