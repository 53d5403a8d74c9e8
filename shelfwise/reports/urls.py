from django.urls import path

from shelfwise.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("annual/", views.annual, name="annual"),
    path("annual/district/", views.annual_district, name="annual_district"),
    path(
        "annual/district/<str:year>/pdf/",
        views.annual_district_pdf,
        name="annual_district_pdf",
    ),
    path("annual/<str:year>/pdf/", views.annual_pdf, name="annual_pdf"),
]
