"""Collaboration reads, with who may see what (DESIGN.md §1).

A librarian (or district administrator) sees every collaboration of the
school; a teacher or ELL specialist only those they take part in; aides and
students none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from shelfwise.instruction.models import Booking, Collaboration, Notification, Participant
from shelfwise.instruction.workflow import Status
from shelfwise.lib.school_years import school_year_bounds, school_year_of
from shelfwise.people.models import Person
from shelfwise.people.permissions import has_perm
from shelfwise.people.roles import Role


def collaboration_can_view(person: Person, collaboration: Collaboration) -> bool:
    if has_perm(person, "instruction.manage", collaboration.school_id):
        return True
    if not has_perm(person, "instruction.collaborate", collaboration.school_id):
        return False
    return collaboration.participants.filter(person=person).exists()


# Decision: who may see a collaboration may also work on it (notes, tasks,
# status); a collaboration is shared work, not a document with an owner.
collaboration_can_edit = collaboration_can_view


def collaborations_visible(*, person: Person, school) -> QuerySet[Collaboration]:
    qs = Collaboration.objects.filter(school=school)
    if has_perm(person, "instruction.manage", school):
        return qs
    if not has_perm(person, "instruction.collaborate", school):
        return qs.none()
    return qs.filter(participants__person=person).distinct()


def collaboration_list(*, person: Person, school, status: str = "") -> QuerySet[Collaboration]:
    qs = collaborations_visible(person=person, school=school)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("requested_by").prefetch_related(
        Prefetch("classes"),
        Prefetch("participants", queryset=Participant.objects.select_related("person")),
    )


def school_year_start(today: date) -> date:
    """First day of the school year `today` falls in: the one definition in lib/school_years."""
    return school_year_bounds(school_year_of(today))[0]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Reach:
    collaborations: int
    teachers: list[tuple[Person, int]]  # (teacher, collaborations), most first
    departments: list[tuple[str, int]]  # (subject, collaborations)
    grades: list[tuple[str, int]]  # (grade, collaborations)


def collaboration_reach(*, school, start: date, end: date | None = None) -> Reach:
    """Collaborations created in [start, end) (declined ones left out), the teachers
    taking part, and the departments (subjects) and grades they served: the overview
    page's "reached this school year" and the annual report."""
    reached = Collaboration.objects.filter(school=school, created_at__date__gte=start).exclude(
        status=Status.DECLINED
    )
    if end is not None:
        reached = reached.filter(created_at__date__lt=end)
    teacher_rows = (
        Participant.objects.filter(collaboration__in=reached)
        .exclude(role=Participant.Role.LIBRARIAN)
        .values("person")
        .annotate(n=Count("collaboration", distinct=True))
        .order_by("-n")
    )
    people = Person.objects.in_bulk([row["person"] for row in teacher_rows])
    teachers = sorted(
        ((people[row["person"]], row["n"]) for row in teacher_rows),
        key=lambda pair: (-pair[1], str(pair[0])),
    )

    def by(field: str) -> list[tuple[str, int]]:
        return [
            (row[field], row["n"])
            for row in reached.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("pk"))
            .order_by("-n", field)
        ]

    return Reach(
        collaborations=reached.count(),
        teachers=teachers,
        departments=by("subject"),
        grades=by("grade"),
    )


@dataclass
class LibrarianOverview:
    waiting: list[Collaboration]
    this_week: list[Collaboration]
    week_bookings: list[Booking]
    teachers: list[tuple[Person, int]]
    departments: list[tuple[str, int]]
    year_start: date
    counts: dict[str, int]


def librarian_overview(*, school, today: date) -> LibrarianOverview:
    """Requests waiting, this week's collaborations, teachers and departments reached."""
    monday = week_start(today)
    friday_end = monday + timedelta(days=7)
    base = Collaboration.objects.filter(school=school)
    waiting = list(
        base.filter(status=Status.REQUESTED).select_related("requested_by").order_by("created_at")
    )
    active = base.exclude(status=Status.DECLINED)
    week_q = Q(bookings__starts_at__date__gte=monday, bookings__starts_at__date__lt=friday_end) | (
        Q(starts_on__lt=friday_end)
        & (Q(ends_on__gte=monday) | Q(ends_on=None, starts_on__gte=monday))
    )
    this_week = list(
        active.filter(week_q, status__in=[Status.PLANNING, Status.SCHEDULED, Status.TAUGHT])
        .distinct()
        .select_related("requested_by")
        .order_by("starts_on", "title")
    )
    from shelfwise.instruction.scheduling import bookings_between

    week_bookings = list(bookings_between(school=school, first=monday, last_exclusive=friday_end))
    year_start = school_year_start(today)
    reach = collaboration_reach(school=school, start=year_start)
    counts = dict(base.values_list("status").annotate(n=Count("pk")))
    return LibrarianOverview(
        waiting=waiting,
        this_week=this_week,
        week_bookings=week_bookings,
        teachers=reach.teachers,
        departments=reach.departments,
        year_start=year_start,
        counts=counts,
    )


@dataclass
class StandardTaught:
    framework: str
    code: str
    name: str
    grade: str
    subject: str
    count: int


def standards_taught(
    *, school, since: date | None = None, until: date | None = None
) -> list[StandardTaught]:
    """Standards of collaborations taught (or reflected on), by grade and subject;
    collaborations created in [since, until) when given."""
    qs = Collaboration.standards.through.objects.filter(
        collaboration__school=school,
        collaboration__status__in=[Status.TAUGHT, Status.REFLECTED],
    )
    if since:
        qs = qs.filter(collaboration__created_at__date__gte=since)
    if until:
        qs = qs.filter(collaboration__created_at__date__lt=until)
    rows = (
        qs.values(
            "standard__framework__name",
            "standard__code",
            "standard__name",
            "standard__description",
            "standard__order",
            "collaboration__grade",
            "collaboration__subject",
        )
        .annotate(n=Count("collaboration", distinct=True))
        .order_by(
            "standard__framework__name",
            "standard__order",
            "standard__code",
            "collaboration__grade",
            "collaboration__subject",
        )
    )
    return [
        StandardTaught(
            framework=r["standard__framework__name"],
            code=r["standard__code"],
            name=r["standard__name"] or r["standard__description"][:80],
            grade=r["collaboration__grade"],
            subject=r["collaboration__subject"],
            count=r["n"],
        )
        for r in rows
    ]


def notifications_unread(*, person: Person, limit: int = 5) -> tuple[list[Notification], int]:
    qs = Notification.objects.filter(person=person, read_at=None)
    return list(qs[:limit]), qs.count()


def collaborators_choices(*, school) -> QuerySet[Person]:
    """Staff who can be added to a collaboration (co-teachers, task owners)."""
    return (
        Person.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__role__in=[Role.TEACHER, Role.ELL_SPECIALIST, Role.LIBRARIAN],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
