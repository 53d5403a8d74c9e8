"""Demo data for programs and leadership: a few programs with attendance, an aide with
shifts on the bell schedule, an application, a student-led project, a recognition note
and a week of library visits. Used by `shelfwise demo` and the browser tests' seed.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from shelfwise.people.models import Person
from shelfwise.programs import services
from shelfwise.programs.models import Program, Shift, Visit

PROGRAMS = [
    # title, kind, audience, grades, languages, partners, days from today, hours, location
    ("Esperanza Rising book club", "book_club", "students", "6–8", ["eng", "spa"],
     "ELL department", 3, 1, "Library reading corner"),
    ("Family literacy night", "family_literacy", "families", "All grades", ["eng", "spa", "ara"],
     "ELL department, PTA", 10, 2, "Library"),
    ("Makerspace: build a book nook", "makerspace", "students", "6–8", ["eng"],
     "", 17, 1, "Makerspace"),
    ("Hispanic Heritage Month read-in", "heritage_month", "everyone", "All grades",
     ["eng", "spa"], "Spanish department", -20, 2, "Library"),
]  # fmt: skip


@transaction.atomic
def demo_programs(*, school, librarian: Person, aide: Person | None, students: list[Person]):
    """Idempotent: does nothing when the school already has programs."""
    if Program.objects.filter(school=school).exists():
        return
    tz = zoneinfo.ZoneInfo(school.timezone)
    today = timezone.now().astimezone(tz).date()
    for title, kind, audience, grades, langs, partners, days, hours, where in PROGRAMS:
        starts = datetime.combine(today + timedelta(days=days), time(15, 30), tzinfo=tz)
        program = services.program_save(
            school=school,
            by=librarian,
            languages=langs,
            title=title,
            kind=kind,
            audience=audience,
            grades=grades,
            partners=partners,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            location=where,
            description="",
            materials="",
            published=True,
        )
        if days < 0:
            services.program_attendance_set(
                program=program, counts={"6-8": 34, "family": 12, "staff": 5}, by=librarian
            )
    if aide is not None:
        services.position_grant(school=school, student=aide, role="desk_aide", by=librarian)
        period = school.bell_periods.order_by("order").filter(order=3).first()
        # Every weekday of the coming four weeks in period 3 (or a lunch shift).
        monday = today - timedelta(days=today.weekday())
        for weekday in (1, 3):  # Tuesday and Thursday
            first = monday + timedelta(days=weekday)
            if first < today:
                first += timedelta(days=7)
            services.shift_create_weekly(
                first=first,
                until=first + timedelta(days=21),
                school=school,
                aide=aide,
                role="desk_aide",
                period=period,
                starts_at=time(12, 0),
                ends_at=time(12, 30),
                by=librarian,
            )
    if students:
        services.recognition_create(
            school=school,
            student=students[0],
            author=librarian,
            tags=["R", "L"],
            text="Helped a new classmate find a graphic novel in Arabic and showed them "
            "how to place a hold.",
        )
    if len(students) > 1:
        services.project_save(
            school=school,
            by=librarian,
            title="Multilingual book displays",
            goals="A monthly display of books in the languages our students speak at home.",
            sponsor=librarian,
            team=students[:2],
        )
    purposes = ["class", "checkout", "study", "club", "checkout", "study", "class"]
    for back in range(1, 6):
        day = today - timedelta(days=back)
        for n, purpose in enumerate(purposes[: 3 + back]):
            Visit.objects.create(
                school=school,
                at=datetime.combine(day, time(8 + n, 15), tzinfo=tz),
                on=day,
                purpose=purpose,
                grade_band=["6-8", "6-8", "staff", "6-8"][n % 4],
            )


def browser_shifts(*, school, aide: Person) -> None:
    """Shifts yesterday, today and tomorrow, all day, so the browser tests' aide holds
    the desk whenever they run."""
    tz = zoneinfo.ZoneInfo(school.timezone)
    today = timezone.now().astimezone(tz).date()
    for back in (-1, 0, 1):
        day = today + timedelta(days=back)
        if not Shift.objects.filter(aide=aide, date=day).exists():
            services.shift_create(
                school=school,
                aide=aide,
                role="desk_aide",
                on=day,
                starts_at=time(0, 0),
                ends_at=time(23, 59, 59, 999999),
                by=None,
            )
