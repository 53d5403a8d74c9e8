from django.urls import path

from shelfwise.search import views

app_name = "search"
urlpatterns = [
    path("", views.opac_search, name="opac"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/hold/", views.record_hold, name="record_hold"),
]
