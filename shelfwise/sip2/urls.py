from django.urls import path

from shelfwise.sip2 import views

app_name = "sip2"
urlpatterns = [
    path("", views.kiosks, name="kiosks"),
    path("policy/", views.policy, name="policy"),
    path("kiosks/new/", views.kiosk_add, name="kiosk_add"),
    path("kiosks/<int:pk>/", views.kiosk_edit, name="kiosk_edit"),
    path("kiosks/<int:pk>/password/", views.kiosk_password, name="kiosk_password"),
    path("kiosks/<int:pk>/remove/", views.kiosk_remove, name="kiosk_remove"),
    path("pins/", views.reader_pin, name="reader_pin"),
    path("pin/", views.my_pin, name="my_pin"),
]
