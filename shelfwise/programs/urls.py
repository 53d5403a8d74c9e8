from django.urls import path

from shelfwise.programs import leadership_views as leaders
from shelfwise.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    # Public: no login.
    path("events/", views.public_index, name="public_index"),
    path("events/<str:code>/", views.public_list, name="public_list"),
    path("events/<str:code>/<int:pk>/", views.public_detail, name="public_detail"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("norms/<str:code>/", views.norms_public, name="norms"),
    path("norms/<str:code>/poster/", views.norms_poster, name="norms_poster"),
    # The librarian's pages.
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.program_edit, name="program_add"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("expectations/edit/", views.norms_edit, name="norms_edit"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("visits/", views.visits, name="visits"),
    # Leadership.
    path("recognition/", leaders.recognition_students, name="recognition_students"),
    path("recognition/students/<int:pk>/", leaders.recognition_student, name="recognition_student"),
    path("recognition/mine/", leaders.recognition_mine, name="recognition_mine"),
    path("aides/", leaders.aides, name="aides"),
    path("aides/apply/", leaders.apply, name="apply"),
    path("aides/recommendations/", leaders.recommendations, name="recommendations"),
    path("aides/applications/<int:pk>/recommend/", leaders.recommend, name="recommend"),
    path("aides/applications/<int:pk>/decide/", leaders.application_decide, name="decide"),
    path("aides/positions/<int:pk>/end/", leaders.position_end, name="position_end"),
    path("aides/shifts/", leaders.shifts, name="shifts"),
    path("aides/shifts/<int:pk>/worked/", leaders.shift_worked, name="shift_worked"),
    path("aides/shifts/<int:pk>/delete/", leaders.shift_delete, name="shift_delete"),
    path("my-shifts/", leaders.my_shifts, name="my_shifts"),
    path("my-shifts/duties/<int:pk>/", leaders.duty_toggle, name="duty_toggle"),
    path("my-shifts/<int:pk>/reflection/", leaders.shift_reflect, name="shift_reflect"),
    path("projects/", leaders.projects, name="projects"),
    path("projects/new/", leaders.project_edit, name="project_add"),
    path("projects/<int:pk>/edit/", leaders.project_edit, name="project_edit"),
]
