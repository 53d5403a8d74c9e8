from django.urls import path

from shelfwise.catalog import transfer_views

app_name = "catalog"
urlpatterns: list = [
    # MARC import/export (transfer_views.py)
    path("import/", transfer_views.import_start, name="import"),
    path("import/<int:pk>/", transfer_views.import_detail, name="import_detail"),
    path("export/", transfer_views.export, name="export"),
]
