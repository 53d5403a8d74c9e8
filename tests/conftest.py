"""Shared fixtures: the named personas of DESIGN.md §1 and two schools.

`personas` gives one person per role in Lincoln Middle School (LMS) plus an
outsider: a librarian of another school (OAK). Every permission test reads
like the role table: librarian, district_admin, teacher, ell, aide,
student, outsider.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

PASSWORD = "correct horse battery staple"


@dataclass
class Personas:
    school: object
    other_school: object
    librarian: object
    district_admin: object
    teacher: object
    ell: object
    aide: object
    student: object
    outsider: object

    def all(self) -> dict[str, object]:
        return {
            name: getattr(self, name)
            for name in (
                "librarian",
                "district_admin",
                "teacher",
                "ell",
                "aide",
                "student",
                "outsider",
            )
        }


def make_person(username: str, school, role: str, **fields):
    from shelfwise.people.models import Membership, Person

    person = Person.objects.create_user(username=username, password=PASSWORD, **fields)
    Membership.objects.create(person=person, school=school, role=role)
    return person


@pytest.fixture
def personas(db) -> Personas:
    from shelfwise.schools.models import School

    school = School.objects.create(code="LMS", name="Lincoln Middle School")
    other = School.objects.create(code="OAK", name="Oak Elementary")
    return Personas(
        school=school,
        other_school=other,
        librarian=make_person(
            "librarian", school, "librarian", first_name="Lena", last_name="Ruiz"
        ),
        district_admin=make_person("district", school, "district_admin", first_name="Dana"),
        teacher=make_person("teacher", school, "teacher", first_name="Tom", last_name="Baker"),
        ell=make_person("ell", school, "ell_specialist", first_name="Elif", last_name="Kaya"),
        aide=make_person("aide", school, "aide", first_name="Ava", grade="08"),
        student=make_person(
            "student",
            school,
            "student",
            first_name="Sami",
            last_name="Haddad",
            grade="06",
            patron_barcode="P0001",
            home_languages=["ara"],
            english_learner=True,
        ),
        outsider=make_person("outsider", other, "librarian", first_name="Otto"),
    )


@pytest.fixture
def fast_password_hashing(settings):
    """Opt-in (`pytest.mark.usefixtures`): MD5 instead of Argon2 for the personas' passwords.

    Argon2 is slow on purpose (about 0.25 s a password); tests that are not
    about hashing need not pay it for seven personas every time.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in Arabic leaves Arabic active in this thread (LocaleMiddleware
    activates and nothing deactivates); start and end each test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
