from django.urls import path

from shelfwise.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("hours/", views.hours, name="hours"),
    path("sign-in/", views.signin, name="signin"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/roster/", views.roster_mark, name="roster_mark"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:pk>/session.ics", views.session_ics, name="ics"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_download, name="material"),
]
