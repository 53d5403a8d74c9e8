"""Programs fixtures: a class that joins the teacher and the student, a second student."""

from __future__ import annotations

import pytest

from tests.conftest import make_person


@pytest.fixture
def classmate(personas):
    return make_person(
        "classmate", personas.school, "student", first_name="Nadia", last_name="Omar",
        grade="06", patron_barcode="P0002",
    )  # fmt: skip


@pytest.fixture
def klass(personas):
    """Tom Baker teaches Sami (and not the classmate) in grade 6 ELA."""
    from shelfwise.people.models import Enrollment, SchoolClass

    school_class = SchoolClass.objects.create(
        sourced_id="c-ela6", school=personas.school, title="ELA 6"
    )
    Enrollment.objects.create(
        sourced_id="e-t", school_class=school_class, person=personas.teacher, role="teacher"
    )
    Enrollment.objects.create(
        sourced_id="e-s", school_class=school_class, person=personas.student, role="student"
    )
    return school_class
