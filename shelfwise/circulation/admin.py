"""Admin for the circulation rules a librarian sets: loan policies and school settings.

Loans, holds and notices are deliberately not here: they link students to
what they read, and the admin would show that to anyone with staff access.
"""

from __future__ import annotations

from django.contrib import admin

from shelfwise.circulation.models import CirculationSettings, LoanPolicy


@admin.register(LoanPolicy)
class LoanPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "school",
        "patron_category",
        "item_type",
        "loan_days",
        "renewals",
        "max_loans",
        "holds_allowed",
    )
    list_filter = ("school", "patron_category")


@admin.register(CirculationSettings)
class CirculationSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "school",
        "retention_days",
        "hold_shelf_days",
        "due_soon_days",
        "replacement_charges",
    )
