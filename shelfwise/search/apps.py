from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_item_triggers(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from shelfwise.search import item_triggers

    item_triggers.ensure(connections[using])


class SearchConfig(AppConfig):
    name = "shelfwise.search"
    label = "search"

    def ready(self) -> None:
        from shelfwise.search import signals  # noqa: F401

        # A migration that rebuilds catalog_item drops its triggers (item_triggers).
        post_migrate.connect(_ensure_item_triggers, sender=self, dispatch_uid="search_triggers")
