"""Which loan rules apply: school × patron category × item type, with defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shelfwise.circulation.models import (
    ANY_ITEM_TYPE,
    CirculationSettings,
    LoanPolicy,
    PatronCategory,
)
from shelfwise.people.roles import Role
from shelfwise.schools.models import ClosedDay


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
    role = patron.memberships.filter(school=school).values_list("role", flat=True).first()
    if role in (Role.STUDENT, Role.AIDE) or (role is None and patron.grade):
        return PatronCategory.STUDENT
    return PatronCategory.STAFF


def rules_for(*, school, patron, item_type: str) -> Rules:
    category = patron_category(patron=patron, school=school)
    policies = {
        p.item_type: p
        for p in LoanPolicy.objects.filter(
            school=school, patron_category=category, item_type__in=[item_type, ANY_ITEM_TYPE]
        )
    }
    policy = policies.get(item_type) or policies.get(ANY_ITEM_TYPE)
    if policy is None:
        return DEFAULT_RULES[PatronCategory(category)]
    return Rules(policy.loan_days, policy.renewals, policy.max_loans, policy.holds_allowed)


def settings_for(school) -> CirculationSettings:
    found = CirculationSettings.objects.filter(school=school).first()
    return found or CirculationSettings(school=school)


def closed_days(school, *, start: date) -> set[date]:
    """Closed days from `start` on (a year is more than any loan or hold shelf)."""
    return set(
        ClosedDay.objects.filter(school=school, date__gte=start).values_list("date", flat=True)
    )
