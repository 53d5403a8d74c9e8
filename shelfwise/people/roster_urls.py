"""Rostering pages under /people/roster/: OneRoster import and language profiles."""

from django.urls import path

from shelfwise.people import roster_views

app_name = "roster"
urlpatterns = [
    path("", roster_views.roster_start, name="start"),
    path("<int:pk>/", roster_views.roster_detail, name="detail"),
    path("<int:pk>/issues.csv", roster_views.roster_issues_csv, name="issues_csv"),
    path("languages/", roster_views.language_profiles, name="languages"),
    path("languages/export.csv", roster_views.language_profiles_csv, name="languages_csv"),
    path("languages/import/", roster_views.language_profiles_upload, name="languages_import"),
]
