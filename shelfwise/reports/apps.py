from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shelfwise.reports"
    label = "reports"
