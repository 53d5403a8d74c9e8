"""Django admin for the catalog: a fallback for technical staff, not the cataloguing UI.

Records are read-only here: their columns come from the MARC, and a change
made in the admin would be undone by the next extraction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shelfwise.catalog.models import ImportIssue, ImportJob, Item, Record, RecordIsbn


class RecordIsbnInline(admin.TabularInline):
    model = RecordIsbn
    extra = 0
    can_delete = False
    readonly_fields = ("isbn",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ("title", "main_author", "pub_year", "format", "updated_at")
    list_filter = ("format",)
    search_fields = ("title", "main_author", "isbn_rows__isbn", "control_number")
    exclude = ("marc", "marc_original")
    inlines = (RecordIsbnInline,)
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("barcode", "record", "school", "status", "call_number", "location")
    list_filter = ("school", "status")
    search_fields = ("barcode", "record__title", "call_number")
    raw_id_fields = ("record",)
    list_select_related = ("record", "school")
    readonly_fields = ("circulation_count", "last_circulated", "created_at", "updated_at")
    show_full_result_count = False


class ImportIssueInline(admin.TabularInline):
    model = ImportIssue
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "position", "offset", "control_number", "title", "message")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "school", "status", "queued_at", "created", "updated", "rejected")
    list_filter = ("status", "school")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
    inlines = (ImportIssueInline,)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
