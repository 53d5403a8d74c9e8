"""Reads for programs and leadership, with the visibility rules of recognition notes and
the shift check behind an aide's desk access.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from shelfwise.people.models import Enrollment, Membership, Person
from shelfwise.people.permissions import has_perm
from shelfwise.people.roles import Role
from shelfwise.programs.models import (
    AideApplication,
    GradeBand,
    LeaderPosition,
    Program,
    RecognitionNote,
    Shift,
    Visit,
)

# --- Programs -------------------------------------------------------------------


def programs_public(*, school, upcoming_from: datetime | None = None) -> QuerySet[Program]:
    """Published programs of `school`; from `upcoming_from` on when given (else all)."""
    programs = Program.objects.filter(school=school, published=True)
    if upcoming_from is not None:
        programs = programs.filter(
            Q(ends_at__gte=upcoming_from) | Q(ends_at=None, starts_at__gte=upcoming_from)
        )
    return programs.prefetch_related("photos")


def attendance_by_band(programs) -> list[tuple[str, str, int]]:
    """(band, label, count) for every grade band, summed over `programs` (attendance
    prefetched or not): one program's detail page and a year's report alike."""
    counts: dict[str, int] = defaultdict(int)
    for program in programs:
        for row in program.attendance.all():
            counts[row.grade_band] += row.count
    return [(value, str(label), counts.get(value, 0)) for value, label in GradeBand.choices]


def programs_between(*, school, start: datetime, end: datetime) -> QuerySet[Program]:
    """Programs of `school` starting in [start, end), attendance prefetched (a report's year)."""
    return (
        Program.objects.filter(school=school, starts_at__gte=start, starts_at__lt=end)
        .prefetch_related(prefetch_attendance())
        .order_by("starts_at", "pk")
    )


def programs_staff(*, school) -> QuerySet[Program]:
    return (
        Program.objects.filter(school=school)
        .annotate(attendance_total=Sum("attendance__count"), photo_count=Count("photos"))
        .order_by("-starts_at", "-pk")
    )


# --- Shifts and desk access -------------------------------------------------------

# Decision: desk access opens 5 minutes before a shift (to sign in and set up) and
# closes 5 minutes after it (to finish the scan in hand). Tested at both edges.
SHIFT_GRACE = timedelta(minutes=5)


def aide_on_shift(person: Any, school_id: int, now: datetime | None = None) -> bool:
    """Whether `person` is inside one of their shifts at `school_id` right now.

    Registered with people.permissions as the condition on an aide's
    `circulation.desk` (programs/apps.py). One query.
    """
    now = now or timezone.now()
    utc_day = now.astimezone(zoneinfo.ZoneInfo("UTC")).date()
    candidates = Shift.objects.filter(
        aide_id=person.pk,
        school_id=school_id,
        date__range=(utc_day - timedelta(days=1), utc_day + timedelta(days=1)),
    ).values_list("date", "starts_at", "ends_at", "school__timezone")
    for day, starts_at, ends_at, tz_name in candidates:
        tz = zoneinfo.ZoneInfo(tz_name)
        start = datetime.combine(day, starts_at, tzinfo=tz) - SHIFT_GRACE
        end = datetime.combine(day, ends_at, tzinfo=tz) + SHIFT_GRACE
        if start <= now <= end:
            return True
    return False


def shifts_of_aide(*, aide, school, since=None) -> QuerySet[Shift]:
    shifts = Shift.objects.filter(aide=aide, school=school).select_related("period")
    if since is not None:
        shifts = shifts.filter(date__gte=since)
    return shifts.prefetch_related("duties")


def shifts_of_school(*, school, start, end) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(school=school, date__range=(start, end))
        .select_related("aide", "period")
        .annotate(
            duty_count=Count("duties"), done_count=Count("duties", filter=Q(duties__done=True))
        )
    )


def aide_hours(*, school, start=None, end=None) -> list[dict[str, Any]]:
    """Hours worked per aide (confirmed shifts only), for the roster."""
    shifts = Shift.objects.filter(school=school, completed=True)
    if start is not None:
        shifts = shifts.filter(date__gte=start)
    if end is not None:
        shifts = shifts.filter(date__lte=end)
    hours: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for shift in shifts.only("aide_id", "starts_at", "ends_at"):
        hours[shift.aide_id] += shift.hours
        counts[shift.aide_id] += 1
    return [{"aide_id": k, "hours": round(v, 2), "shifts": counts[k]} for k, v in hours.items()]


def aide_totals(*, school, start=None, end=None) -> dict[str, Any]:
    """Aides who worked a confirmed shift, their shifts and hours, between two dates
    (inclusive): the dashboard's year so far and the annual report."""
    rows = aide_hours(school=school, start=start, end=end)
    return {
        "aides": len(rows),
        "shifts": sum(row["shifts"] for row in rows),
        "hours": round(sum(row["hours"] for row in rows), 2),
    }


def roster(*, school) -> list[dict[str, Any]]:
    """Active leaders of the school, one row per student, with roles and hours worked."""
    positions = (
        LeaderPosition.objects.filter(school=school, active=True)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "role")
    )
    hours = {row["aide_id"]: row for row in aide_hours(school=school)}
    rows: dict[int, dict[str, Any]] = {}
    for position in positions:
        row = rows.setdefault(
            position.student_id,
            {
                "student": position.student,
                "positions": [],
                "hours": hours.get(position.student_id, {}).get("hours", 0),
                "shifts": hours.get(position.student_id, {}).get("shifts", 0),
            },
        )
        row["positions"].append(position)
    return list(rows.values())


def applications_for_teacher(*, teacher, school) -> QuerySet[AideApplication]:
    return AideApplication.objects.filter(
        teacher=teacher, school=school, status=AideApplication.Status.AWAITING_RECOMMENDATION
    ).select_related("student")


def applications_for_librarian(*, school) -> QuerySet[AideApplication]:
    return AideApplication.objects.filter(school=school).select_related("student", "teacher")


# --- Recognition notes: who sees whose ------------------------------------------


def teaches(*, teacher, student, school) -> bool:
    """True when `teacher` teaches a class of `school` that `student` is enrolled in."""
    return Enrollment.objects.filter(
        person=teacher,
        role="teacher",
        school_class__school=school,
        school_class__active=True,
        school_class__enrollments__person=student,
        school_class__enrollments__role="student",
    ).exists()


def _is_student_of(student, school) -> bool:
    return Membership.objects.filter(
        person=student, school=school, role__in=[Role.STUDENT, Role.AIDE]
    ).exists()


def may_view_recognitions(*, viewer, student, school) -> bool:
    """The student themself, the librarian (and district admin), and their own teachers."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if not _is_student_of(student, school):
        return False
    if viewer.pk == student.pk:
        return True
    if has_perm(viewer, "programs.manage", school):
        return True
    return has_perm(viewer, "programs.recognize", school) and teaches(
        teacher=viewer, student=student, school=school
    )


def may_recognize(*, author, student, school) -> bool:
    """Staff who may see a student's notes may write one; a student never writes one."""
    if author is None or author.pk == student.pk:
        return False
    return has_perm(author, "programs.recognize", school) and may_view_recognitions(
        viewer=author, student=student, school=school
    )


def recognitions_of(*, student, school) -> QuerySet[RecognitionNote]:
    return RecognitionNote.objects.filter(student=student, school=school).select_related("author")


def students_for_recognition(*, viewer, school, query: str = "") -> QuerySet[Person]:
    """The students `viewer` may recognize: all of the school's for the librarian, a
    teacher's own (through enrollments) otherwise."""
    students = Person.objects.filter(
        memberships__school=school,
        memberships__role__in=[Role.STUDENT, Role.AIDE],
        is_active=True,
    )
    if not has_perm(viewer, "programs.manage", school):
        classes = Enrollment.objects.filter(
            person=viewer, role="teacher", school_class__school=school, school_class__active=True
        ).values("school_class_id")
        students = students.filter(
            enrollments__school_class_id__in=classes, enrollments__role="student"
        )
    query = query.strip()
    if query:
        students = students.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(display_name__icontains=query)
            | Q(patron_barcode=query)
        )
    return students.distinct().order_by("last_name", "first_name")


# --- Visits ------------------------------------------------------------------------


def visit_counts(*, school, start, end) -> dict[str, Any]:
    """Visits per day and purpose between two dates (inclusive), with totals."""
    rows = (
        Visit.objects.filter(school=school, on__range=(start, end))
        .values("on", "purpose")
        .annotate(n=Count("pk"))
        .order_by("on")
    )
    by_day: dict[Any, dict[str, int]] = {}
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        by_day.setdefault(row["on"], defaultdict(int))[row["purpose"]] += row["n"]
        totals[row["purpose"]] += row["n"]
    return {
        "days": [(day, dict(counts), sum(counts.values())) for day, counts in by_day.items()],
        "totals": dict(totals),
        "total": sum(totals.values()),
    }


def prefetch_attendance() -> Prefetch:
    from shelfwise.programs.models import ProgramAttendance

    return Prefetch("attendance", queryset=ProgramAttendance.objects.order_by("grade_band"))
