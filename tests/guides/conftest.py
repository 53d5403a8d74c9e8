"""Guide fixtures: two classes with hand-counted students, and a small volcano catalog.

The `unit` fixture's numbers, worked by hand (test_access_check.py asserts them):

Science 6 (teacher): Sami (06, ara, EL), Ana (06, spa, EL), Ben (06, spa+eng),
Hodan (06, som, EL), Kim (07, eng), Lee (no grade), Vu (06, vie, *inactive*).
ELD 4: Rami (04, ara, EL) and Ana again.
Active students, each once: 7. Multilingual (a home language other than
English): Sami, Ana, Ben, Hodan, Rami = 5. spa 2 (1 EL), ara 2 (2 EL), som 1
(1 EL); vie none (Vu left). Bands: 6-8 = 5 (Sami, Ana, Ben, Hodan, Kim),
4-5 = 1 (Rami); 1 without a grade (Lee).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shelfwise.catalog.models import Item, ItemStatus, Record
from shelfwise.catalog.services import item_create, record_create
from shelfwise.marc.build import build_record
from shelfwise.people.models import Enrollment, Person, SchoolClass
from tests.conftest import make_person


@dataclass
class Unit:
    science: SchoolClass
    eld: SchoolClass
    students: dict[str, Person]
    records: dict[str, Record]


@pytest.fixture
def make_record(personas):
    counter = iter(range(1, 10_000))

    def make(title: str, *, extra: dict | None = None, copies=(), **fields) -> Record:
        record = record_create(marc_record=build_record(title=title, **fields), by=None)
        if extra:
            for name, value in extra.items():
                setattr(record, name, value)
            record.save()
        for school, status in copies:
            item = item_create(
                record=record, school=school, by=None, barcode=f"G{record.pk:05d}-{next(counter)}"
            )
            Item.objects.filter(pk=item.pk).update(status=status)
        return record

    return make


def enroll(school_class: SchoolClass, person: Person, role: str = "student") -> None:
    Enrollment.objects.create(
        sourced_id=f"enr-{school_class.pk}-{person.pk}",
        school_class=school_class,
        person=person,
        role=role,
    )


@pytest.fixture
def unit(personas, make_record) -> Unit:
    school = personas.school
    science = SchoolClass.objects.create(
        sourced_id="cls-sci6", school=school, title="Science 6", grades=["06"]
    )
    eld = SchoolClass.objects.create(
        sourced_id="cls-eld4", school=school, title="ELD 4", grades=["04"]
    )
    enroll(science, personas.teacher, role="teacher")
    enroll(eld, personas.ell, role="teacher")
    people = {"sami": personas.student}
    for username, grade, languages, learner in [
        ("ana", "06", ["spa"], True),
        ("ben", "06", ["spa", "eng"], False),
        ("hodan", "06", ["som"], True),
        ("kim", "07", ["eng"], None),
        ("lee", "", [], None),
        ("vu", "06", ["vie"], True),
        ("rami", "04", ["ara"], True),
    ]:
        people[username] = make_person(
            username,
            school,
            "student",
            first_name=username.title(),
            grade=grade,
            home_languages=languages,
            english_learner=learner,
        )
    Person.objects.filter(username="vu").update(is_active=False)
    for username in ("sami", "ana", "ben", "hodan", "kim", "lee", "vu"):
        enroll(science, people[username])
    for username in ("rami", "ana"):
        enroll(eld, people[username])

    here, there = personas.school, personas.other_school
    available, out = ItemStatus.AVAILABLE, ItemStatus.CHECKED_OUT
    records = {
        "volcanoes": make_record(
            "Volcanoes!", subjects=["Volcanoes"], extra={"lexile": 1100}, copies=[(here, available)]
        ),
        "los_volcanes": make_record(
            "Los volcanes",
            languages=("spa",),
            subjects=["Volcanoes -- Juvenile literature"],
            copies=[(here, available)],
        ),
        "el_volcan": make_record(
            "El volcán", languages=("spa",), subjects=["Volcanoes"], copies=[(there, available)]
        ),
        "volcanes_out": make_record(
            "Volcanes en erupción",
            languages=("spa",),
            subjects=["Volcanoes"],
            copies=[(here, out)],
        ),
        "terremotos": make_record(
            "Terremotos", languages=("spa",), subjects=["Earthquakes"], copies=[(here, available)]
        ),
        "volcano_baby": make_record(
            "Volcano baby",
            subjects=["Volcanoes"],
            extra={"lexile": 800},
            copies=[(here, available)],
        ),
    }
    return Unit(science=science, eld=eld, students=people, records=records)
