"""A fixture school year, 2025-26 (1 July 2025 – 30 June 2026), small enough to count by hand.

Lincoln Middle School (LMS, time zone America/New_York by default) and, for
isolation, Oak Elementary (OAK). Everything below happens at LMS unless said.

Students: Sami (personas: grade 06, ara, EL, card P0001), Lucía (07, spa, EL,
keeps her reading history), Jay (08, eng).

Copies (R1 eng, R2 eng, R3 spa, R4 ara):
| copy | title | acquired | now |
| A1 | R1 | 2020-05-01 | available |
| A2 | R1 | 2025-09-15 (in the year) | available |
| A3 | R2 | 2026-02-01 (in the year) | checked out |
| A4 | R3 | 2019-01-01 | weeded 2026-03-10 (in the year) |
| A5 | R4 | 2026-08-01 (next year) | available |
| A6 | R2 | 2018-01-01 | lost (no date) |
| A7 | R3 | 2015-01-01 | weeded 2025-06-01 (the year before) |
| OAK1 | R1 | 2020-01-01 (OAK) | checked out at OAK |

Loans: Sami A1 2025-09-10 (renewed 09-20, back 09-30) and again 2026-01-12
(back 01-20); Lucía A2 2025-10-05 (back 10-20); Jay A3 2026-02-03 (renewed
02-10, still out); at OAK, an OAK reader takes OAK1 on 2025-11-01. Two stray
LMS check-out events lie outside the year (2025-06-30, 2026-07-01).

Visits (Sami's card): checkout 2025-09-10, 2025-10-01, 2026-03-03; study
2026-04-01; class 2025-06-30 (the year before).

Collaborations: A (teacher, 07 Science, standards AASL I + IV.B, taught,
created 2025-10-01); B (ELL specialist, 06 ELA, AASL IV.B, taught, created
2026-01-15); C (teacher, declined, 2026-02-01); D (teacher, 2025-06-15, the
year before).

Professional learning: S1 "Inquiry with primary sources" 2025-10-08, 1.5 h,
attended by the teacher, the ELL specialist and three more teachers (T3, T4,
T5), all five give feedback; S2 "Databases for multilingual learners"
2026-02-11, 2 h, the teacher attends and gives feedback; S0 2025-05-01 (the
year before), 3 h, the teacher attends.

Programs: "Noche de cuentos" 2025-11-05 (spa, ara; partner "ELL department";
6-8: 12, family: 3); "Author visit: Ms. Lee" 2026-03-20 (eng; partner "Public
library"; 6-8: 30); "Summer reading kickoff" 2026-08-20 (next year).

Aides: the aide worked 2025-10-14 10:00–10:50 and 2026-02-10 08:00–09:30,
has 2026-03-10 not confirmed, and worked 2025-06-10 (the year before); Ben
(aide) worked 2026-04-02 12:00–13:00.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import UTC, date, time
from decimal import Decimal

import pytest
import time_machine

from tests.conftest import make_person

YEAR = "2025-26"


def at(day: str, hour: int = 16) -> datetime.datetime:
    """Noon-ish in New York (16:00 UTC) on `day`: the same date everywhere that matters."""
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class Year:
    personas: object
    students: dict
    items: dict
    sessions: dict
    label: str = YEAR

    @property
    def school(self):
        return self.personas.school


def _record(title: str, lang: str):
    from shelfwise.catalog.services import record_create
    from shelfwise.marc.build import build_record

    record = record_create(marc_record=build_record(title=title, languages=[lang]), by=None)
    record.languages = [lang]
    record.save()
    return record


def _item(record, school, barcode, acquired, status="available"):
    from shelfwise.catalog.models import Item

    return Item.objects.create(
        record=record,
        school=school,
        barcode=barcode,
        acquired=date.fromisoformat(acquired),
        status=status,
    )


def _weed(item, when: str, by):
    from shelfwise.collection.models import WeedingDecision

    item.status = "withdrawn"
    item.save(update_fields=["status"])
    WeedingDecision.objects.create(
        item=item,
        school=item.school,
        decision="withdraw",
        barcode=item.barcode,
        title=item.record.title,
        decided_by=by,
        decided_at=at(when),
        withdrawn_at=at(when),
    )


@pytest.fixture
def year(personas) -> Year:
    from shelfwise.circulation import services as circulation
    from shelfwise.circulation.models import CirculationEvent
    from shelfwise.instruction import services as instruction
    from shelfwise.instruction.models import Standard
    from shelfwise.learning import services as learning
    from shelfwise.programs import services as programs

    lib, school, oak = personas.librarian, personas.school, personas.other_school
    sami = personas.student
    lucia = make_person(
        "lucia",
        school,
        "student",
        first_name="Lucía",
        last_name="Ortega",
        grade="07",
        home_languages=["spa"],
        english_learner=True,
        patron_barcode="P0002",
        keeps_reading_history=True,
    )
    jay = make_person(
        "jay", school, "student", first_name="Jay", last_name="Park", grade="08",
        home_languages=["eng"], patron_barcode="P0003",
    )  # fmt: skip
    oak_reader = make_person("oakreader", oak, "student", first_name="Olive", grade="03")

    r1, r2 = _record("Volcanoes", "eng"), _record("Atoms", "eng")
    r3, r4 = _record("Plantas", "spa"), _record("Una novela árabe", "ara")
    items = {
        "A1": _item(r1, school, "A1", "2020-05-01"),
        "A2": _item(r1, school, "A2", "2025-09-15"),
        "A3": _item(r2, school, "A3", "2026-02-01"),
        "A4": _item(r3, school, "A4", "2019-01-01"),
        "A5": _item(r4, school, "A5", "2026-08-01"),
        "A6": _item(r2, school, "A6", "2018-01-01", status="lost"),
        "A7": _item(r3, school, "A7", "2015-01-01"),
        "OAK1": _item(r1, oak, "OAK1", "2020-01-01"),
    }
    _weed(items["A4"], "2026-03-10", lib)
    _weed(items["A7"], "2025-06-01", lib)

    loan = circulation.loan_checkout(item=items["A1"], patron=sami, by=lib, now=at("2025-09-10"))
    circulation.loan_renew(loan=loan, by=lib, now=at("2025-09-20"))
    circulation.loan_checkin(item=items["A1"], by=lib, now=at("2025-09-30"))
    circulation.loan_checkout(item=items["A2"], patron=lucia, by=lib, now=at("2025-10-05"))
    circulation.loan_checkin(item=items["A2"], by=lib, now=at("2025-10-20"))
    circulation.loan_checkout(item=items["A1"], patron=sami, by=lib, now=at("2026-01-12"))
    circulation.loan_checkin(item=items["A1"], by=lib, now=at("2026-01-20"))
    loan = circulation.loan_checkout(item=items["A3"], patron=jay, by=lib, now=at("2026-02-03"))
    circulation.loan_renew(loan=loan, by=lib, now=at("2026-02-10"))
    circulation.loan_checkout(
        item=items["OAK1"], patron=oak_reader, by=personas.outsider, now=at("2025-11-01")
    )
    for day in ("2025-06-30", "2026-07-01"):
        CirculationEvent.objects.create(
            kind="checkout", on=date.fromisoformat(day), school=school, item=items["A1"]
        )

    for day, purpose in [
        ("2025-09-10", "checkout"),
        ("2025-10-01", "checkout"),
        ("2026-03-03", "checkout"),
        ("2026-04-01", "study"),
        ("2025-06-30", "class"),
    ]:
        programs.visit_record(school=school, barcode="P0001", purpose=purpose, now=at(day))

    inquire = Standard.objects.get(framework__code="AASL", code="I")
    curate = Standard.objects.get(framework__code="AASL", code="IV.B")

    def collaboration(when, by, title, grade, subject, standards, to):
        with time_machine.travel(at(when), tick=False):
            c = instruction.collaboration_request(
                school=school, by=by, title=title, kind="lesson", grade=grade,
                subject=subject, standards=standards,
            )  # fmt: skip
            for step in to:
                instruction.collaboration_transition(
                    collaboration=c, by=lib, to=step, reason="Not this term"
                )
        return c

    taught = ("planning", "scheduled", "taught")
    collaboration(
        "2025-10-01", personas.teacher, "Ecosystems", "07", "Science", [inquire, curate], taught
    )
    collaboration("2026-01-15", personas.ell, "Poetry voices", "06", "ELA", [curate], taught)
    collaboration("2026-02-01", personas.teacher, "Declined one", "07", "Math", [], ("declined",))
    collaboration("2025-06-15", personas.teacher, "Last year", "08", "History", [inquire], taught)

    extra = [make_person(f"t{n}", school, "teacher", first_name=f"T{n}") for n in (3, 4, 5)]

    def session(title, day, hours):
        start = at(day, 19)
        return learning.session_create(
            school=school, by=lib, title=title, objectives="Learn", audience="Staff",
            format="workshop", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
            location="Library", capacity=20, hours=Decimal(hours),
        )  # fmt: skip

    s1 = session("Inquiry with primary sources", "2025-10-08", "1.5")
    s2 = session("Databases for multilingual learners", "2026-02-11", "2")
    s0 = session("Last year's PLC", "2025-05-01", "3")
    s1_people = [personas.teacher, personas.ell, *extra]
    s1_answers = [(5, 4, 5, "Very useful"), (4, 4, 3, ""), (4, 5, 4, ""), (3, 5, 4, ""),
                  (5, 5, 4, "")]  # fmt: skip
    for person, (clarity, relevance, intent, comment) in zip(s1_people, s1_answers, strict=True):
        learning.attendance_mark(session=s1, person=person, by=lib, attended=True)
        learning.feedback_submit(
            session=s1, person=person, clarity=clarity, relevance=relevance,
            intent_to_use=intent, comments=comment,
        )  # fmt: skip
    learning.attendance_mark(session=s2, person=personas.teacher, by=lib, attended=True)
    learning.feedback_submit(
        session=s2, person=personas.teacher, clarity=3, relevance=5, intent_to_use=4,
        comments="More time please",
    )  # fmt: skip
    learning.attendance_mark(session=s0, person=personas.teacher, by=lib, attended=True)

    def program(title, day, kind, languages, partners, counts):
        p = programs.program_save(
            school=school, by=lib, languages=languages, title=title, kind=kind,
            partners=partners, starts_at=at(day, 22),
        )  # fmt: skip
        programs.program_attendance_set(program=p, counts=counts, by=lib)

    program("Noche de cuentos", "2025-11-05", "family_literacy", ["spa", "ara"],
            "ELL department", {"6-8": 12, "family": 3})  # fmt: skip
    program("Author visit: Ms. Lee", "2026-03-20", "author_visit", ["eng"], "Public library",
            {"6-8": 30})  # fmt: skip
    program("Summer reading kickoff", "2026-08-20", "other", [], "", {"6-8": 50})

    ben = make_person("ben", school, "aide", first_name="Ben", last_name="Aidan", grade="07")
    for aide, day, start, end, worked in [
        (personas.aide, "2025-10-14", time(10, 0), time(10, 50), True),
        (personas.aide, "2026-02-10", time(8, 0), time(9, 30), True),
        (personas.aide, "2026-03-10", time(8, 0), time(9, 0), False),
        (personas.aide, "2025-06-10", time(8, 0), time(9, 0), True),
        (ben, "2026-04-02", time(12, 0), time(13, 0), True),
    ]:
        shift = programs.shift_create(
            school=school, aide=aide, role="desk_aide", on=date.fromisoformat(day),
            starts_at=start, ends_at=end, by=lib,
        )  # fmt: skip
        if worked:
            programs.shift_mark_worked(shift=shift, worked=True, by=lib)

    return Year(
        personas=personas,
        students={"sami": sami, "lucia": lucia, "jay": jay, "ben": ben},
        items=items,
        sessions={"s0": s0, "s1": s1, "s2": s2},
    )
