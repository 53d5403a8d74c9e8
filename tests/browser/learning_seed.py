"""Professional-learning data for the browser tests (called from tests/browser/seed.py).

An upcoming workshop in a series, and a past one the teacher attended and
gave feedback on, so the list, session, summary, "My learning" and hours
pages all have rows.
"""

from __future__ import annotations


def seed_learning() -> None:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from shelfwise.learning.models import Series
    from shelfwise.learning.services import (
        attendance_mark,
        feedback_submit,
        registration_create,
        session_create,
    )
    from shelfwise.people.models import Person
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    librarian = Person.objects.get(username="librarian")
    teacher = Person.objects.get(username="teacher")
    ell = Person.objects.get(username="ell")
    series = Series.objects.create(school=lms, title="Research PLC")
    soon = timezone.now() + timedelta(days=3)
    upcoming = session_create(
        school=lms,
        by=librarian,
        series=series,
        title="Seeded: databases for research",
        objectives="Search the state databases\nTeach students to cite them",
        audience="Grade 6–8 teachers",
        format="plc",
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        location="Library classroom",
        capacity=1,
        hours=Decimal("1"),
    )
    registration_create(session=upcoming, person=ell)
    registration_create(session=upcoming, person=teacher)  # waitlisted
    past = timezone.now() - timedelta(days=7)
    done = session_create(
        school=lms,
        by=librarian,
        series=series,
        title="Seeded: picture books for ELLs",
        objectives="Choose bilingual picture books",
        audience="ELL and ELA staff",
        format="workshop",
        starts_at=past,
        ends_at=past + timedelta(hours=2),
        link="https://meet.example.org/pd",
        capacity=10,
        hours=Decimal("2"),
    )
    attendance_mark(session=done, person=teacher, by=librarian, attended=True)
    feedback_submit(
        session=done, person=teacher, clarity=5, relevance=4, intent_to_use=5, comments="Useful."
    )
