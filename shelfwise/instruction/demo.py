"""Demo collaborations, spaces and bookings for Lincoln Middle School (called by `shelfwise demo`).

Everything goes through the real services, so the demo shows what a
school would see after a few weeks of use: a request waiting, a project
being planned with library time booked, and a lesson taught and reflected on.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.test.utils import override_settings
from django.utils import timezone

from shelfwise.instruction import services
from shelfwise.instruction.models import Space, Standard
from shelfwise.instruction.scheduling import BookingError, booking_create, school_now
from shelfwise.lib.calendars import next_open_day
from shelfwise.people.models import Enrollment, Person, SchoolClass

SPACES = (
    ("Instruction area", Space.Kind.INSTRUCTION, 32),
    ("Makerspace", Space.Kind.MAKERSPACE, 16),
    ("Computer lab", Space.Kind.COMPUTER_LAB, 30),
    ("Quiet study", Space.Kind.QUIET_STUDY, 12),
)


def _class(school, teacher: Person, students: list[Person]) -> SchoolClass:
    cls, _created = SchoolClass.objects.get_or_create(
        sourced_id=f"demo-{school.code}-science-7",
        defaults={
            "school": school,
            "title": "Science 7 (Period 3)",
            "course_title": "Science 7",
            "grades": ["07"],
            "subjects": ["Science"],
            "periods": ["3"],
        },
    )
    for person, role in [(teacher, "teacher"), *((s, "student") for s in students)]:
        Enrollment.objects.get_or_create(
            sourced_id=f"{cls.sourced_id}-{person.username}",
            defaults={"school_class": cls, "person": person, "role": role},
        )
    return cls


def _standards(*codes: str) -> list[Standard]:
    return list(Standard.objects.filter(framework__code="AASL", code__in=codes))


def _weekday_after(start: date, weekday: int, closed: set[date]) -> date:
    day = start + timedelta(days=(weekday - start.weekday()) % 7 or 7)
    while day in closed:
        day += timedelta(days=7)
    return day


def demo_instruction(*, school, people: dict[str, Person]) -> bool:
    """Load the demo once; False (and no change) when this school already has spaces."""
    if Space.objects.filter(school=school).exists():
        return False
    # The demo's addresses are fictional: keep its notifications in the app only.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load(school=school, people=people)


def _load(*, school, people: dict[str, Person]) -> bool:
    librarian, teacher, ell = people["librarian"], people["teacher"], people["ell"]
    spaces = {
        name: Space.objects.create(school=school, name=name, kind=kind, capacity=seats)
        for name, kind, seats in SPACES
    }
    students = [people[u] for u in ("lucia", "omar", "mateo") if u in people]
    science = _class(school, teacher, students)
    today = school_now(school).date()
    closed = set(school.closed_days.values_list("date", flat=True))
    periods = list(school.bell_periods.order_by("order"))

    research = services.collaboration_request(
        school=school,
        by=teacher,
        title="Ecosystems research project",
        kind="research",
        classes=[science],
        grade="07",
        subject="Science",
        starts_on=next_open_day(today + timedelta(days=7), closed),
        ends_on=next_open_day(today + timedelta(days=28), closed),
        learning_goals=(
            "Students ask a question about a local ecosystem, find and evaluate three "
            "sources, and present an evidence-based answer."
        ),
        ml_supports=(
            "Spanish and Arabic glossaries of key terms; sentence frames for claims and "
            "evidence; sources at several reading levels."
        ),
        standards=_standards("I", "I.A", "IV", "IV.B"),
        co_teachers=[ell],
    )
    services.collaboration_transition(collaboration=research, by=librarian, to="planning")
    services.plan_save(
        collaboration=research,
        by=librarian,
        body=(
            "Day 1: question formulation in the instruction area.\n"
            "Day 2: databases and the catalog in the computer lab.\n"
            "Day 3: evaluating sources; citation practice."
        ),
        based_on=None,
    )
    services.task_add(
        collaboration=research,
        by=librarian,
        title="Pull ecosystem titles in Spanish and Arabic",
        owner=librarian,
        due_on=next_open_day(today + timedelta(days=5), closed),
    )
    services.task_add(
        collaboration=research,
        by=teacher,
        title="Share the research rubric",
        owner=teacher,
        due_on=next_open_day(today + timedelta(days=4), closed),
    )
    if len(periods) >= 3:
        try:
            booking_create(
                space=spaces["Computer lab"],
                by=librarian,
                title="Ecosystems research: databases",
                day=_weekday_after(today, 1, closed),  # Tuesday, third period, three weeks
                period=periods[2],
                weeks=3,
                collaboration=research,
                school_class=science,
            )
            booking_create(
                space=spaces["Instruction area"],
                by=teacher,
                title="Grade 6 library orientation",
                day=_weekday_after(today, 3, closed),
                period=periods[0],
            )
        except BookingError:
            pass  # a closed week in the calendar: the demo goes on without these bookings

    services.collaboration_request(
        school=school,
        by=ell,
        title="Poetry across our languages",
        kind="unit",
        grade="06",
        subject="English Language Arts",
        learning_goals="Read and write poems in English and a home language; perform them.",
        ml_supports="Bilingual poetry collections; audio recordings; word banks.",
        standards=_standards("II", "II.C", "V.B"),
        co_teachers=[teacher],
    )

    lesson = services.collaboration_request(
        school=school,
        by=teacher,
        title="Digital citizenship: citing images",
        kind="lesson",
        grade="07",
        subject="Science",
        learning_goals="Find openly licensed images and credit them correctly.",
        standards=_standards("VI", "VI.B"),
    )
    for step in ("planning", "scheduled", "taught"):
        services.collaboration_transition(collaboration=lesson, by=librarian, to=step)
    services.reflection_save(
        collaboration=lesson,
        by=teacher,
        worked="Students liked the image-search scavenger hunt.",
        evidence="Most slide decks credited every image with its licence.",
        next_time="Start with a short video; leave time for questions about fair use.",
    )
    services.collaboration_transition(collaboration=lesson, by=teacher, to="reflected")
    # The demo's notifications are from "before": leave the inboxes with only the newest unread.
    from shelfwise.instruction.models import Notification

    Notification.objects.filter(collaboration=lesson).update(read_at=timezone.now())
    return True
