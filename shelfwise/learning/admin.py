from django.contrib import admin

from shelfwise.learning.models import Feedback, Registration, Series, Session


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "school"]
    list_filter = ["school"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "format", "starts_at", "capacity", "hours"]
    list_filter = ["school", "format"]
    search_fields = ["title"]
    raw_id_fields = ["facilitator", "records"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["session", "person", "status", "attended_at"]
    list_filter = ["status"]
    raw_id_fields = ["session", "person"]


admin.site.register(Feedback)
