from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from shelfwise.people.models import Membership, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "grade", "patron_barcode", "is_active"]
    list_filter = ["is_active", "is_staff", "memberships__role", "memberships__school", "grade"]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "display_name",
        "email",
        "patron_barcode",
        "sourced_id",
    ]
    inlines = [MembershipInline]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("Patron profile"),
            {
                "fields": (
                    "display_name",
                    "sourced_id",
                    "patron_barcode",
                    "grade",
                    "homeroom",
                    "preferred_language",
                ),
            },
        ),
        (
            _("Language profile"),
            {"fields": ("home_languages", "english_learner", "el_entry_date")},
        ),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "school", "role", "created_at"]
    list_filter = ["role", "school"]
    search_fields = ["person__username", "person__first_name", "person__last_name", "school__code"]
    autocomplete_fields = ["person", "school"]
