from django.contrib import admin

from shelfwise.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited is not one."""

    list_display = ["at", "action", "actor", "school", "object_type", "object_id"]
    list_filter = ["action", "school"]
    search_fields = ["action", "object_id", "actor__username"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor", "school", "action", "object_type", "object_id", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
