from django.urls import path

from shelfwise.circulation import views

app_name = "circulation"
urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/scan/", views.scan, name="scan"),
    path("desk/done/", views.done, name="done"),
    path("desk/renew/<int:pk>/", views.renew, name="renew"),
]
