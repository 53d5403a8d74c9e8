from django.urls import path

from shelfwise.guides import edit_views, views

app_name = "guides"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("new/", edit_views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/qr.svg", views.qr_code, name="qr"),
    path("s/<str:token>/", views.shared, name="shared"),
    path("files/<int:pk>/", views.resource_file, name="file"),
    path("<int:pk>/edit/", edit_views.edit, name="edit"),
    path("<int:pk>/translations/", edit_views.translation_save, name="translation"),
    path("<int:pk>/sections/add/", edit_views.section_add, name="section_add"),
    path("<int:pk>/publish/", edit_views.publish, name="publish"),
    path("<int:pk>/copy/", edit_views.copy, name="copy"),
    path("<int:pk>/delete/", edit_views.delete, name="delete"),
    path("<int:pk>/share/", edit_views.share, name="share"),
    path("<int:pk>/access/", edit_views.access_check, name="access"),
    path("<int:pk>/access/add/", edit_views.suggestion_add, name="suggestion_add"),
    path("sections/<int:pk>/rename/", edit_views.section_rename, name="section_rename"),
    path("sections/<int:pk>/delete/", edit_views.section_delete, name="section_delete"),
    path("sections/<int:pk>/move/", edit_views.section_move, name="section_move"),
    path("sections/<int:pk>/add/<str:kind>/", edit_views.resource_add, name="resource_add"),
    path("resources/<int:pk>/edit/", edit_views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/delete/", edit_views.resource_delete, name="resource_delete"),
    path("resources/<int:pk>/move/", edit_views.resource_move, name="resource_move"),
]
