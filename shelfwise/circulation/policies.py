"""Which loan rules apply: school × patron category × item type, with defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shelfwise.circulation import lookups
from shelfwise.circulation.models import (
    ANY_ITEM_TYPE,
    CirculationSettings,
    PatronCategory,
)
from shelfwise.people.roles import Role


@dataclass(frozen=True)
class Rules:
    loan_days: int
    renewals: int
    max_loans: int
    holds_allowed: bool


# Decision: with no policy saved, students borrow 5 items for 14 days with 2
# renewals, staff 25 for 28 days; a common school-library default.
DEFAULT_RULES = {
    PatronCategory.STUDENT: Rules(loan_days=14, renewals=2, max_loans=5, holds_allowed=True),
    PatronCategory.STAFF: Rules(loan_days=28, renewals=3, max_loans=25, holds_allowed=True),
}


def patron_category(*, patron, school) -> str:
    role = lookups.membership_role(patron.pk, school.pk)
    if role in (Role.STUDENT, Role.AIDE) or (role is None and patron.grade):
        return PatronCategory.STUDENT
    return PatronCategory.STAFF


def rules_for(*, school, patron, item_type: str) -> Rules:
    category = patron_category(patron=patron, school=school)
    policies = {
        row[0]: Rules(*row[1:])
        for row in lookups.loan_policy_rows(school.pk, category, item_type, ANY_ITEM_TYPE)
    }
    rules = policies.get(item_type) or policies.get(ANY_ITEM_TYPE)
    return rules or DEFAULT_RULES[PatronCategory(category)]


def settings_for(school) -> CirculationSettings:
    # A school fetched with select_related("circulation_settings") (circulation
    # does, with the copy it locks) already holds the answer, saved or not.
    descriptor = type(school).circulation_settings
    if descriptor.is_cached(school):
        found = descriptor.related.get_cached_value(school)
    else:
        found = next(iter(CirculationSettings.objects.filter(school=school).order_by()), None)
    return found or CirculationSettings(school=school)


def closed_days(school, *, start: date) -> set[date]:
    """Closed days from `start` on (a year is more than any loan or hold shelf)."""
    return lookups.closed_dates(school.pk, start)
