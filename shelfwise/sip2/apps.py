from django.apps import AppConfig


class Sip2Config(AppConfig):
    name = "shelfwise.sip2"
    label = "sip2"
