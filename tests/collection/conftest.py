"""A fixture school small enough to work every collection number out by hand.

Today is 2026-06-15. Lincoln Middle School (LMS) has six students:

| student | grade | home languages | EL |
| Sami (personas) | 06 | ara | yes |
| Omar | 07 | ara, eng | no |
| Lucía | 07 | spa | yes |
| Mateo | 06 | spa | yes |
| Ana | 03 | spa | no |
| Jay | 08 | eng | no |

and these copies (R6 has a second, withdrawn copy; OAK holds R9):

| rec | Dewey / kind | year | languages | Lexile | copies (last circulated) |
| R1 Volcanoes | 551.21 | 2012 | eng | 800 | A1 2026-01-10 "Worn spine", A2 never (acq. 2013) |
| R2 Atoms | 539.7 | 2020 | eng | 1000 | 2025-03-01 |
| R3 Plantas | 580 | 2005 | spa+eng | 600 | never (acq. 2006) |
| R4 Historia | 972 | 1998 | spa | — | 2020-05-01 |
| R5 Arabic novel | fiction | 2018 | ara | 700 | 2026-02-01 |
| R6 Esperanza | fiction | 2000 | spa | 750 | 2024-09-01 (+ withdrawn copy) |
| R7 Computers | 004.16 | 2015 | eng | — | 2026-05-01, status damaged |
| R8 Math | 510 | 2019 | eng | — | never (acq. 2019-09-01) |
| R10 Board book | easy | 2022 | eng | — | never |
| R9 Arabic science (OAK only) | 500 | 2021 | ara | — | — |

Check-out events at LMS: R5 ×2 by the "ara" group and R3 ×1 by "spa" on
2026-03-01; R4 by "spa" on 2025-01-01 (outside the last 365 days); a
check-in of R5 (not a check-out) and an OAK check-out by "ara".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tests.conftest import make_person

TODAY = datetime.date(2026, 6, 15)


@dataclass
class Fixture:
    personas: object
    records: dict
    items: dict
    today: datetime.date = TODAY

    @property
    def school(self):
        return self.personas.school


def _record(title, *, dewey="", year=None, langs=("eng",), fiction=False, fmt="book", lexile=None):
    from shelfwise.catalog.services import record_create
    from shelfwise.marc.build import build_record

    record = record_create(
        marc_record=build_record(title=title, languages=langs, year=year, dewey=dewey, fmt=fmt),
        by=None,
    )
    record.pub_year = year
    record.dewey = dewey
    record.is_fiction = fiction
    record.lexile = lexile
    record.languages = list(langs)
    record.save()  # re-indexes its facets (search signal)
    return record


def _item(
    record, school, barcode, *, last=None, acquired=None, status="available", notes="", call=""
):
    from shelfwise.catalog.models import Item

    return Item.objects.create(
        record=record,
        school=school,
        barcode=barcode,
        last_circulated=last,
        acquired=acquired,
        status=status,
        notes=notes,
        call_number=call,
    )


@pytest.fixture
def fx(personas) -> Fixture:
    from shelfwise.circulation.models import CirculationEvent

    school, oak = personas.school, personas.other_school
    for username, grade, langs, el in [
        ("omar", "07", ["ara", "eng"], False),
        ("lucia", "07", ["spa"], True),
        ("mateo", "06", ["spa"], True),
        ("ana", "03", ["spa"], False),
        ("jay", "08", ["eng"], False),
    ]:
        make_person(
            username, school, "student", grade=grade, home_languages=langs, english_learner=el
        )
    # Inactive students do not count.
    make_person("gone", school, "student", grade="06", home_languages=["spa"], is_active=False)
    d = datetime.date
    r = {
        "R1": _record("Volcanoes", dewey="551.21", year=2012, lexile=800),
        "R2": _record("Atoms", dewey="539.7", year=2020, lexile=1000),
        "R3": _record("Plantas", dewey="580", year=2005, langs=("spa", "eng"), lexile=600),
        "R4": _record("Historia", dewey="972", year=1998, langs=("spa",)),
        "R5": _record("Arabic novel", year=2018, langs=("ara",), fiction=True, lexile=700),
        "R6": _record("Esperanza", year=2000, langs=("spa",), fiction=True, lexile=750),
        "R7": _record("Computers", dewey="004.16", year=2015),
        "R8": _record("Math", dewey="510", year=2019),
        "R9": _record("Arabic science", dewey="500", year=2021, langs=("ara",)),
        "R10": _record("Board book", year=2022, fmt="board_book"),
    }
    i = {
        "A1": _item(
            r["R1"], school, "A1", last=d(2026, 1, 10), acquired=d(2013, 1, 1), notes="Worn spine"
        ),
        "A2": _item(r["R1"], school, "A2", acquired=d(2013, 1, 1)),
        "B": _item(r["R2"], school, "B", last=d(2025, 3, 1), acquired=d(2020, 9, 1)),
        "C": _item(r["R3"], school, "C", acquired=d(2006, 1, 1)),
        "D": _item(r["R4"], school, "D", last=d(2020, 5, 1), acquired=d(1999, 1, 1)),
        "E": _item(r["R5"], school, "E", last=d(2026, 2, 1), call="FIC HAD"),
        "F1": _item(r["R6"], school, "F1", last=d(2024, 9, 1), call="FIC RYA"),
        "F2": _item(r["R6"], school, "F2", status="withdrawn", call="FIC RYA"),
        "G": _item(r["R7"], school, "G", last=d(2026, 5, 1), status="damaged"),
        "H": _item(r["R8"], school, "H", acquired=d(2019, 9, 1)),
        "K": _item(r["R10"], school, "K"),
        "O1": _item(r["R9"], oak, "O1"),
    }
    ev = CirculationEvent.objects.create
    for _n in range(2):
        ev(
            kind="checkout",
            on=d(2026, 3, 1),
            school=school,
            item=i["E"],
            record=r["R5"],
            language_group="ara",
        )
    ev(
        kind="checkout",
        on=d(2026, 3, 1),
        school=school,
        item=i["C"],
        record=r["R3"],
        language_group="spa",
    )
    ev(
        kind="checkout",
        on=d(2025, 1, 1),
        school=school,
        item=i["D"],
        record=r["R4"],
        language_group="spa",
    )
    ev(
        kind="checkin",
        on=d(2026, 3, 10),
        school=school,
        item=i["E"],
        record=r["R5"],
        language_group="ara",
    )
    ev(
        kind="checkout",
        on=d(2026, 3, 1),
        school=oak,
        item=i["O1"],
        record=r["R9"],
        language_group="ara",
    )
    return Fixture(personas=personas, records=r, items=i)
