from __future__ import annotations

from datetime import time

import pytest


@pytest.fixture
def roster(personas):
    """A class taught by the teacher, bell periods for LMS, e-mail addresses for staff."""
    from shelfwise.people.models import Enrollment, SchoolClass
    from shelfwise.schools.models import BellPeriod

    for name in ("librarian", "teacher", "ell", "outsider"):
        person = getattr(personas, name)
        person.email = f"{name}@example.org"
        person.save(update_fields=["email"])
    cls = SchoolClass.objects.create(
        sourced_id="c-sci-7",
        school=personas.school,
        title="Science 7 (period 3)",
        grades=["07"],
        subjects=["Science"],
    )
    Enrollment.objects.create(
        sourced_id="e1", school_class=cls, person=personas.teacher, role="teacher"
    )
    Enrollment.objects.create(
        sourced_id="e2", school_class=cls, person=personas.student, role="student"
    )
    other_cls = SchoolClass.objects.create(
        sourced_id="c-oak", school=personas.other_school, title="Oak class"
    )
    periods = [
        BellPeriod.objects.create(
            school=personas.school, name=f"Period {n}", order=n, starts_at=start, ends_at=end
        )
        for n, (start, end) in enumerate(
            [
                (time(8, 0), time(8, 50)),
                (time(9, 0), time(9, 50)),
                (time(10, 0), time(10, 50)),
                (time(11, 0), time(11, 50)),
            ],
            start=1,
        )
    ]
    return {"class": cls, "other_class": other_cls, "periods": periods}


@pytest.fixture
def collab(personas, roster):
    from shelfwise.instruction.services import collaboration_request

    return collaboration_request(
        school=personas.school,
        by=personas.teacher,
        title="Ecosystems research",
        kind="research",
        classes=[roster["class"]],
        grade="07",
        subject="Science",
        learning_goals="Find and evaluate sources on local ecosystems.",
        ml_supports="Sentence frames; Arabic and Spanish glossaries.",
    )
