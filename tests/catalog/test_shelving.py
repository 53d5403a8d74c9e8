"""The copy's stored shelf place (section, division, year): the rule, and that every way a
copy or record is written keeps it equal to the rule worked out in SQL."""

from __future__ import annotations

import importlib
import random

import pymarc
import pytest
from django.apps import apps as django_apps

from shelfwise.catalog.generate import with_holdings, write_marc_file
from shelfwise.catalog.importing import marc_import_file
from shelfwise.catalog.models import Item, Record
from shelfwise.catalog.shelving import items_reshelve, shelf_place
from shelfwise.collection.selectors import section_expression
from shelfwise.marc.reader import open_marc
from tests.catalog.test_import import LOC

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def _place(call_number="", location="", fmt="book", bio=False, fiction=False, dewey=""):
    return shelf_place(
        call_number=call_number,
        location=location,
        format=fmt,
        is_biography=bio,
        is_fiction=fiction,
        dewey=dewey,
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"dewey": "551.21"}, ("500", "550")),
        ({"dewey": "004.16"}, ("000", "000")),
        ({"dewey": "5"}, ("500", "50")),  # as SQL's SUBSTR(dewey, 1, 2) || '0' gives it
        ({"dewey": "[E]"}, ("other", "")),
        ({}, ("other", "")),
        ({"call_number": "ref 551 VOL", "dewey": "551"}, ("reference", "")),
        ({"location": "Main Reference shelf", "fmt": "graphic_novel"}, ("reference", "")),
        ({"fmt": "graphic_novel", "bio": True}, ("graphic", "")),
        ({"fmt": "board_book", "fiction": True}, ("easy", "")),
        ({"call_number": "E SEU", "dewey": "813"}, ("easy", "")),
        ({"call_number": "EASY", "dewey": "813"}, ("800", "810")),  # "E " needs the space
        ({"bio": True, "fiction": True, "dewey": "921"}, ("biography", "")),
        ({"call_number": "Fic RYA", "dewey": "813.54"}, ("fiction", "")),
        ({"fiction": True, "dewey": "813.54"}, ("fiction", "")),
    ],
)
def test_shelf_place_rule(kwargs, expected):
    assert _place(**kwargs) == expected


def _sql_places() -> dict[int, tuple]:
    """Each copy's section as the collection reports used to work it out in SQL."""
    from django.db.models import Case, CharField, Value, When
    from django.db.models.functions import Concat, Substr

    division = Case(
        When(
            section_sql__in=[f"{n}00" for n in range(10)],
            then=Concat(Substr("record__dewey", 1, 2), Value("0")),
        ),
        default=Value(""),
        output_field=CharField(),
    )
    return {
        pk: (section, div, year)
        for pk, section, div, year in Item.objects.annotate(section_sql=section_expression())
        .annotate(division_sql=division)
        .values_list("pk", "section_sql", "division_sql", "record__pub_year")
    }


def _stored() -> dict[int, tuple]:
    return {
        pk: (section, division, year)
        for pk, section, division, year in Item.objects.values_list(
            "pk", "section", "division", "pub_year"
        )
    }


def _marc_file(tmp_path, count=120, call_numbers=("FIC A", "REF 030", "E ABC", "", "551 X")):
    rng = random.Random(5)
    with open(LOC, "rb") as stream:
        records = [p.record for _, p in zip(range(count), open_marc(stream), strict=False)]
    barcode = 7000
    for n, record in enumerate(records):
        with_holdings(record, school_code="LMS", copies=1 + n % 2, barcode_start=barcode, rng=rng)
        barcode += 1 + n % 2
        for f in record.get_fields("852"):
            f["h"] = call_numbers[n % len(call_numbers)] or f["h"]
    path = tmp_path / "shelving.mrc"
    write_marc_file(records, path)
    return path, records


def test_import_fills_the_stored_place_as_sql_worked_it_out(personas, tmp_path):
    path, _records = _marc_file(tmp_path)
    job = marc_import_file(path=path, school=personas.school, by=None)
    assert job.items_created > 100
    stored = _stored()
    assert stored == _sql_places()
    assert {section for section, _, _ in stored.values()} >= {"fiction", "reference", "easy"}


def test_reimport_with_changed_records_reshelves_their_copies(personas, tmp_path):
    path, records = _marc_file(tmp_path, count=20)
    marc_import_file(path=path, school=personas.school, by=None)
    # Another school's copy of the first record, which the file does not list.
    other = Item.objects.create(
        record=Record.objects.order_by("pk").first(),
        school=personas.other_school,
        barcode="OAK-1",
    )
    for record in records:
        for f in record.get_fields("082"):
            record.remove_field(f)
        record.add_ordered_field(
            pymarc.Field(
                tag="082", indicators=["0", "4"], subfields=[pymarc.Subfield("a", "973.2")]
            )
        )
    write_marc_file(records, path)
    job = marc_import_file(path=path, school=personas.school, by=None)
    assert job.updated > 0
    assert _stored() == _sql_places()
    other.refresh_from_db()
    assert other.section in {"900", "fiction", "easy", "graphic", "biography", "reference"}


def test_saving_a_record_or_a_copy_keeps_the_place(personas):
    from shelfwise.catalog.services import item_update

    record = Record.objects.create(title="Rocks", dewey="552", pub_year=2001, marc=b"")
    item = Item.objects.create(record=record, school=personas.school, barcode="R1")
    assert (item.section, item.division, item.pub_year) == ("500", "550", 2001)
    record.dewey, record.pub_year = "973", 2010
    record.save()
    item.refresh_from_db()
    assert (item.section, item.division, item.pub_year) == ("900", "970", 2010)
    record.is_fiction = True
    record.save(update_fields=["is_fiction"])
    item.refresh_from_db()
    assert item.section == "fiction"
    item_update(item=item, by=None, call_number="REF 973")
    item.refresh_from_db()
    assert (item.section, item.division) == ("reference", "")
    assert _stored() == _sql_places()


def test_backfill_migration_fills_existing_copies(personas):
    record = Record.objects.create(title="Atoms", dewey="539.7", pub_year=2020, marc=b"")
    item = Item.objects.create(record=record, school=personas.school, barcode="B1")
    Item.objects.filter(pk=item.pk).update(section="other", division="", pub_year=None)
    migration = importlib.import_module("shelfwise.catalog.migrations.0002_item_shelf_place")
    migration.fill_shelf_place(django_apps, None)
    assert _stored() == _sql_places() == {item.pk: ("500", "530", 2020)}
    Item.objects.filter(pk=item.pk).update(section="other")
    assert items_reshelve([record.pk]) == 1
