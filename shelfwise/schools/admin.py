from django.contrib import admin

from shelfwise.schools.models import BellPeriod, ClosedDay, School


class BellPeriodInline(admin.TabularInline):
    model = BellPeriod
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone"]
    search_fields = ["code", "name"]
    inlines = [BellPeriodInline]


@admin.register(BellPeriod)
class BellPeriodAdmin(admin.ModelAdmin):
    list_display = ["school", "order", "name", "starts_at", "ends_at"]
    list_filter = ["school"]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["school", "date", "reason"]
    list_filter = ["school"]
    date_hierarchy = "date"
