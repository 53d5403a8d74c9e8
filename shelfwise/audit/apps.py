from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shelfwise.audit"
    label = "audit"
