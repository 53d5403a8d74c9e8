from django.urls import path

from shelfwise.catalog import transfer_views, views

app_name = "catalog"
urlpatterns: list = [
    # Staff catalog (views.py)
    path("", views.search, name="search"),
    path("records/add/", views.record_add, name="record_add"),
    path("records/isbn/", views.record_by_isbn, name="record_by_isbn"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/items/add/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    # MARC import/export (transfer_views.py)
    path("import/", transfer_views.import_start, name="import"),
    path("import/<int:pk>/", transfer_views.import_detail, name="import_detail"),
    path("export/", transfer_views.export, name="export"),
]
