from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shelfwise.core"
    label = "core"

    def ready(self) -> None:
        from shelfwise.core import signals  # noqa: F401  (connects the receivers)
