"""Reads for professional learning: session lists, a person's registrations, hours, feedback.

The dashboard and the annual report read these same functions, so a figure
on a page and in a report is the same query.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shelfwise.learning.models import Feedback, Registration, Session
from shelfwise.lib.privacy import MIN_CELL, masked_count
from shelfwise.lib.school_years import school_year_bounds

LIKERT_ITEMS = ("clarity", "relevance", "intent_to_use")
_SEATED = Q(registrations__status=Registration.Status.REGISTERED)
_WAITING = Q(registrations__status=Registration.Status.WAITLISTED)
_ATTENDED = Q(registrations__attended_at__isnull=False)


def sessions_with_counts(*, school: Any) -> QuerySet[Session]:
    """A school's sessions with seats taken, waitlist and attendance counted in the same query."""
    return (
        Session.objects.filter(school=school)
        .select_related("series")
        .annotate(
            seated=Count("registrations", filter=_SEATED),
            waiting=Count("registrations", filter=_WAITING),
            attendees=Count("registrations", filter=_ATTENDED),
        )
        .order_by("starts_at", "pk")
    )


def sessions_between(*, school: Any, start: datetime, end: datetime) -> QuerySet[Session]:
    """Sessions starting in [start, end): the dashboard's week, a report's year."""
    return sessions_with_counts(school=school).filter(starts_at__gte=start, starts_at__lt=end)


def registrations_of(*, person: Any, school: Any) -> dict[int, Registration]:
    """{session id: registration} of `person` in `school` (cancelled ones left out)."""
    rows = Registration.objects.filter(person=person, session__school=school).exclude(
        status=Registration.Status.CANCELLED
    )
    return {r.session_id: r for r in rows}


def my_registrations(*, person: Any, school: Any) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person=person, session__school=school)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session", "feedback")
        .order_by("-session__starts_at")
    )


def roster(*, session: Session) -> QuerySet[Registration]:
    """Seated and waitlisted people of a session, seats first, each line in queue order."""
    return (
        session.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .annotate(has_feedback=Count("feedback"))
        .order_by("-status", "queued_at", "pk")  # "waitlisted" sorts after "registered"
    )


def waitlist_position(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            session_id=registration.session_id,
            status=Registration.Status.WAITLISTED,
        )
        .filter(
            Q(queued_at__lt=registration.queued_at)
            | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def _year_range(school_year: str, school: Any) -> tuple[datetime, datetime]:
    """The year's bounds as instants in the school's own time zone."""
    first, after = school_year_bounds(school_year)
    zone = zoneinfo.ZoneInfo(school.timezone)
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(after, time.min, tzinfo=zone),
    )


def attended_in_year(*, school: Any, school_year: str) -> QuerySet[Registration]:
    start, end = _year_range(school_year, school)
    return Registration.objects.filter(
        session__school=school,
        attended_at__isnull=False,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    )


@dataclass(frozen=True)
class PersonHours:
    person: Any
    sessions: int
    hours: Decimal


def hours_by_person(*, school: Any, school_year: str) -> list[PersonHours]:
    """Hours credited per person who attended a session of `school` in the year."""
    from shelfwise.people.models import Person

    rows = (
        attended_in_year(school=school, school_year=school_year)
        .values("person_id")
        .annotate(sessions=Count("pk"), hours=Sum("session__hours"))
    )
    totals = {row["person_id"]: row for row in rows}
    people = Person.objects.in_bulk(list(totals))
    result = [
        PersonHours(person=people[pid], sessions=row["sessions"], hours=row["hours"])
        for pid, row in totals.items()
    ]
    return sorted(result, key=lambda r: (r.person.last_name, r.person.first_name, r.person.pk))


def hours_of(*, person: Any, school: Any, school_year: str) -> Decimal:
    total = (
        attended_in_year(school=school, school_year=school_year)
        .filter(person=person)
        .aggregate(total=Sum("session__hours"))["total"]
    )
    return total or Decimal("0")


@dataclass(frozen=True)
class ItemSummary:
    name: str
    mean: float | None  # None when too few answers to show one
    distribution: list[tuple[int, str]]  # (Likert value, masked count), 1 → 5


@dataclass(frozen=True)
class FeedbackSummary:
    responses: int
    attendees: int
    items: list[ItemSummary] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def responses_shown(self) -> str:
        return masked_count(self.responses)

    @property
    def attendees_shown(self) -> str:
        return masked_count(self.attendees)

    @property
    def enough(self) -> bool:
        return self.responses >= MIN_CELL


def feedback_summary(*, sessions: QuerySet[Session] | list[Session]) -> FeedbackSummary:
    """Counts, means and distribution of the Likert items over `sessions` (one, or a series).

    Counts 1–4 show as "<5"; means only from 5 answers up (shelfwise.lib.privacy).
    Comments come without names.
    """
    ids = [s.pk for s in sessions]
    answers = list(
        Feedback.objects.filter(registration__session_id__in=ids).values(
            *LIKERT_ITEMS, "comments", "submitted_at"
        )
    )
    attendees = Registration.objects.filter(session_id__in=ids, attended_at__isnull=False).count()
    items = []
    for name in LIKERT_ITEMS:
        counts = Counter(a[name] for a in answers)
        mean = (
            round(sum(a[name] for a in answers) / len(answers), 1)
            if len(answers) >= MIN_CELL
            else None
        )
        items.append(
            ItemSummary(
                name=name,
                mean=mean,
                distribution=[(value, masked_count(counts.get(value, 0))) for value in range(1, 6)],
            )
        )
    comments = [
        a["comments"] for a in sorted(answers, key=lambda a: a["submitted_at"]) if a["comments"]
    ]
    return FeedbackSummary(
        responses=len(answers), attendees=attendees, items=items, comments=comments
    )


def year_totals(*, school: Any, school_year: str) -> dict[str, Any]:
    """Sessions, distinct attendees and hours delivered in a school year (report figures)."""
    start, end = _year_range(school_year, school)
    sessions = Session.objects.filter(school=school, starts_at__gte=start, starts_at__lt=end)
    attended = attended_in_year(school=school, school_year=school_year)
    return {
        "sessions": sessions.count(),
        "attendances": attended.count(),
        "attendees": attended.values("person_id").distinct().count(),
        "hours": attended.aggregate(total=Sum("session__hours"))["total"] or Decimal("0"),
    }
