"""Reads for circulation pages: a reader's own account, and who has something overdue.

The overdue lists return names and counts and nothing else: no titles, no
barcodes, no due dates ever leave this module for a teacher (DESIGN.md §1).
Each list is a fixed number of queries, however many rows it has.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count
from django.utils.translation import gettext as _

from shelfwise.circulation.models import Hold, Loan, Notice
from shelfwise.circulation.policies import rules_for
from shelfwise.circulation.services import hold_position, school_today
from shelfwise.people.cards import grade_label, grade_sort_key
from shelfwise.people.models import Enrollment, Person, SchoolClass

ACTIVE_HOLD = (Hold.Status.WAITING, Hold.Status.READY)


# ---- A reader's own account ---------------------------------------------------


@dataclass(frozen=True)
class AccountLoan:
    loan: Loan
    overdue: bool
    renewals_left: int
    someone_waiting: bool  # another reader waits for the title: no renewal

    @property
    def can_renew(self) -> bool:
        return self.renewals_left > 0 and not self.someone_waiting


@dataclass(frozen=True)
class AccountHold:
    hold: Hold
    position: int | None  # in the queue while waiting; None once ready


def account_loans(*, person: Person) -> list[AccountLoan]:
    """`person`'s open loans, soonest due first, with what the renew button needs."""
    loans = list(
        Loan.objects.filter(patron=person, returned_at=None)
        .select_related("item__record", "school")
        .order_by("due_on", "pk")
    )
    if not loans:
        return []
    waiting = set(
        Hold.objects.filter(
            status=Hold.Status.WAITING, record_id__in={loan.item.record_id for loan in loans}
        ).values_list("record_id", "school_id")
    )
    rules: dict[tuple[int, str], int] = {}
    today: dict[int, date] = {}
    rows = []
    for loan in loans:
        key = (loan.school_id, loan.item.item_type)
        if key not in rules:
            rules[key] = rules_for(
                school=loan.school, patron=person, item_type=loan.item.item_type
            ).renewals
        if loan.school_id not in today:
            today[loan.school_id] = school_today(loan.school)
        rows.append(
            AccountLoan(
                loan=loan,
                overdue=loan.due_on < today[loan.school_id],
                renewals_left=max(0, rules[key] - loan.renewals),
                someone_waiting=(loan.item.record_id, loan.school_id) in waiting,
            )
        )
    return rows


def account_holds(*, person: Person) -> list[AccountHold]:
    """`person`'s holds that are still waiting or ready, ready ones first."""
    holds = Hold.objects.filter(patron=person, status__in=ACTIVE_HOLD).select_related(
        "record", "school"
    )
    rows = [
        AccountHold(
            hold=hold,
            # A reader has a handful of holds at most: one small count each.
            position=hold_position(hold) if hold.status == Hold.Status.WAITING else None,
        )
        for hold in holds
    ]
    rows.sort(key=lambda row: (row.hold.status != Hold.Status.READY, row.hold.placed_at))
    return rows


def account_notices(*, person: Person, limit: int = 20) -> list[Notice]:
    return list(Notice.objects.filter(patron=person).order_by("-created_at", "-pk")[:limit])


def account_history(*, person: Person):
    """Returned loans still linked to `person`: only those who opted in have any."""
    if not person.keeps_reading_history:
        return Loan.objects.none()
    return (
        Loan.objects.filter(patron=person)
        .exclude(returned_at=None)
        .select_related("item__record", "school")
        .order_by("-returned_at", "-pk")
    )


# ---- Who has something overdue ------------------------------------------------


@dataclass(frozen=True)
class OverdueRow:
    person_id: int
    name: str
    sort_name: tuple[str, str, str]
    count: int
    grade: str = ""
    homeroom: str = ""
    school_class: str = ""


@dataclass
class OverdueGroup:
    title: str
    rows: list[OverdueRow]


def _name(values: dict, prefix: str) -> tuple[str, tuple[str, str, str]]:
    first = values[f"{prefix}display_name"] or values[f"{prefix}first_name"]
    last = values[f"{prefix}last_name"]
    name = f"{first} {last}".strip() or values[f"{prefix}username"]
    return name, (last.casefold(), first.casefold(), values[f"{prefix}username"])


def _name_fields(prefix: str) -> list[str]:
    return [f"{prefix}{f}" for f in ("display_name", "first_name", "last_name", "username")]


def overdue_for_teacher(*, school, teacher: Person, today: date | None = None):
    """(groups, classes without anything overdue) for the classes `teacher` teaches.

    One group per class; a student in two of the teacher's classes appears
    in both, since that is how a teacher thinks of them. Two queries.
    """
    today = today or school_today(school)
    classes = list(
        SchoolClass.objects.filter(
            school=school,
            active=True,
            enrollments__person=teacher,
            enrollments__role="teacher",
        )
        .distinct()
        .order_by("title", "pk")
        .values_list("pk", "title")
    )
    if not classes:
        return [], []
    overdue = (
        Enrollment.objects.filter(
            school_class_id__in=[pk for pk, _title in classes],
            role="student",
            person__is_active=True,
            person__loans__school=school,
            person__loans__returned_at=None,
            person__loans__due_on__lt=today,
        )
        .values("school_class_id", "person_id", *_name_fields("person__"))
        .annotate(count=Count("person__loans", distinct=True))
    )
    by_class: dict[int, list[OverdueRow]] = defaultdict(list)
    titles = dict(classes)
    for values in overdue:
        name, sort_name = _name(values, "person__")
        by_class[values["school_class_id"]].append(
            OverdueRow(
                person_id=values["person_id"],
                name=name,
                sort_name=sort_name,
                count=values["count"],
                school_class=titles[values["school_class_id"]],
            )
        )
    groups, quiet = [], []
    for pk, title in classes:
        rows = sorted(by_class.get(pk, []), key=lambda row: row.sort_name)
        if rows:
            groups.append(OverdueGroup(title=title, rows=rows))
        else:
            quiet.append(title)
    return groups, quiet


def _homeroom_title(grade: str, homeroom: str) -> str:
    if grade and homeroom:
        return _("%(grade)s · homeroom %(homeroom)s") % {
            "grade": grade_label(grade),
            "homeroom": homeroom,
        }
    if grade:
        return _("%(grade)s · no homeroom") % {"grade": grade_label(grade)}
    if homeroom:
        return _("Homeroom %(homeroom)s") % {"homeroom": homeroom}
    return _("No grade or homeroom (staff and others)")


def overdue_for_school(*, school, today: date | None = None) -> list[OverdueGroup]:
    """Everyone with an overdue loan at `school`, grouped by grade, then homeroom. One query."""
    today = today or school_today(school)
    overdue = (
        Loan.objects.filter(school=school, returned_at=None, due_on__lt=today, patron__isnull=False)
        .values("patron_id", "patron__grade", "patron__homeroom", *_name_fields("patron__"))
        .annotate(count=Count("pk"))
    )
    groups: dict[tuple[str, str], list[OverdueRow]] = defaultdict(list)
    for values in overdue:
        name, sort_name = _name(values, "patron__")
        grade, homeroom = values["patron__grade"], values["patron__homeroom"]
        groups[(grade, homeroom)].append(
            OverdueRow(
                person_id=values["patron_id"],
                name=name,
                sort_name=sort_name,
                count=values["count"],
                grade=grade,
                homeroom=homeroom,
            )
        )

    def order(key: tuple[str, str]) -> tuple:
        grade, homeroom = key
        # People without a grade (staff) come last.
        return (not grade, grade_sort_key(grade), not homeroom, homeroom.casefold())

    return [
        OverdueGroup(
            title=_homeroom_title(*key), rows=sorted(groups[key], key=lambda r: r.sort_name)
        )
        for key in sorted(groups, key=order)
    ]


def overdue_patron_ids(groups: list[OverdueGroup]) -> list[int]:
    return sorted({row.person_id for group in groups for row in group.rows})


# ---- The librarian's hold lists ------------------------------------------------


def school_holds(*, school) -> tuple[list[Hold], list[Hold]]:
    """(ready, waiting) holds of `school`: the hold shelf by expiry, the queue by title.

    Each waiting hold carries `position` in its title's queue: two queries in all.
    """
    ready = list(
        Hold.objects.filter(school=school, status=Hold.Status.READY)
        .select_related("record", "item", "patron")
        .order_by("expires_on", "pk")
    )
    waiting = list(
        Hold.objects.filter(school=school, status=Hold.Status.WAITING)
        .select_related("record", "patron")
        .order_by("record__title", "record_id", "placed_at", "pk")
    )
    previous = None
    for hold in waiting:
        same_title = previous is not None and previous.record_id == hold.record_id
        hold.position = previous.position + 1 if same_title else 1
        previous = hold
    return ready, waiting


# ---- A period's circulation (the annual report) ----------------------------------


@dataclass(frozen=True)
class CirculationPeriod:
    checkouts: int
    renewals: int
    by_month: list[tuple[date, int, int]]  # (first day of the month, checkouts, renewals)
    borrowers: int


def circulation_between(*, school, start: date, end: date) -> CirculationPeriod:
    """Check-outs and renewals in [start, end), month by month, and distinct borrowers.

    Check-outs and renewals come from the anonymous circulation events, which
    outlive every loan's patron link. Decision: distinct borrowers are counted
    over the period's loans that still name their reader (open loans, and
    returned ones inside the school's retention period or of a reader who keeps
    their history); a loan anonymized at return names nobody, so with the
    default retention (none) this is a lower bound, and the report says so.
    """
    from django.db.models.functions import TruncMonth

    from shelfwise.circulation.models import CirculationEvent

    events = CirculationEvent.objects.filter(school=school, on__gte=start, on__lt=end)
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        events.annotate(month=TruncMonth("on"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["month"]][row["kind"]] += row["n"]
    months = []
    day = date(start.year, start.month, 1)
    while day < end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    by_month = [
        (
            month,
            counts[month][CirculationEvent.Kind.CHECKOUT],
            counts[month][CirculationEvent.Kind.RENEWAL],
        )
        for month in months
    ]
    zone = zoneinfo.ZoneInfo(school.timezone)
    borrowers = (
        Loan.objects.filter(
            school=school,
            patron__isnull=False,
            checked_out_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            checked_out_at__lt=datetime.combine(end, time.min, tzinfo=zone),
        )
        .values("patron_id")
        .distinct()
        .count()
    )
    return CirculationPeriod(
        checkouts=sum(c for _m, c, _r in by_month),
        renewals=sum(r for _m, _c, r in by_month),
        by_month=by_month,
        borrowers=borrowers,
    )
