from django.urls import path

from shelfwise.collection import views

app_name = "collection"
urlpatterns = [
    path("", views.index, name="index"),
    path("profile/", views.profile, name="profile"),
    path("use/", views.use, name="use"),
    path("languages/", views.languages, name="languages"),
    path("reading-levels/", views.reading, name="reading"),
    path("district/", views.district, name="district"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("weeding/", views.weeding, name="weeding"),
    path("weeding/decisions.csv", views.weeding_log_csv, name="weeding_log_csv"),
    path("weeding/<str:section>/", views.weeding_section, name="weeding_section"),
    path("requests/", views.requests, name="requests"),
    path("requests/manage/", views.requests_manage, name="requests_manage"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order, name="order"),
]
