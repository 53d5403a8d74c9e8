from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "shelfwise.search"
    label = "search"

    def ready(self) -> None:
        from shelfwise.search import signals  # noqa: F401
