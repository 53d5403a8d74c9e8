from django.urls import path  # noqa: F401

app_name = "sip2"
urlpatterns: list = []
