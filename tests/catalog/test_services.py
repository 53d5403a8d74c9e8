"""Catalog services: record_create, item_create, item_update — rules that hold whoever calls."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from shelfwise.audit.models import AuditEntry
from shelfwise.catalog import services
from shelfwise.catalog.models import Item, ItemStatus, Record, RecordIsbn
from shelfwise.marc.build import build_record

# Argon2 is slow on purpose; these tests are not about passwords.
pytestmark = pytest.mark.usefixtures("fast_password_hashing")

MARC_DATA = Path(__file__).resolve().parent.parent / "data" / "marc"


def make_record(title: str = "Esperanza rising", **fields: object) -> Record:
    fields.setdefault("authors", ["Ryan, Pam Muñoz"])
    fields.setdefault("isbn", "0-439-12041-1")
    return services.record_create(marc_record=build_record(title=title, **fields), by=None)


@pytest.fixture
def record(db) -> Record:
    return make_record()


def test_record_create_saves_extracted_fields_isbn_rows_and_audit(personas) -> None:
    marc_record = build_record(
        title="Esperanza rising",
        authors=["Ryan, Pam Muñoz"],
        isbn="0-439-12041-1",
        languages=("spa", "eng"),
        year=2000,
    )
    record = services.record_create(marc_record=marc_record, by=personas.librarian)
    record.refresh_from_db()
    assert record.title.startswith("Esperanza rising")
    assert record.isbns == ["9780439120418"]
    assert record.languages[:2] == ["spa", "eng"]
    assert record.pub_year == 2000
    assert bytes(record.marc)[:5].isdigit()
    assert list(RecordIsbn.objects.filter(record=record).values_list("isbn", flat=True)) == [
        "9780439120418"
    ]
    entry = AuditEntry.objects.get(action="catalog.record_create")
    assert entry.actor == personas.librarian
    assert entry.object_id == str(record.pk)


def test_record_create_from_real_library_of_congress_marc(db) -> None:
    files = sorted((MARC_DATA / "loc").glob("*.mrc")) if (MARC_DATA / "loc").is_dir() else []
    if not files:
        pytest.skip("tests/data/marc/loc not there yet")
    from shelfwise.marc.reader import ParsedRecord, open_marc

    with open(files[0], "rb") as stream:
        parsed = [r for r in open_marc(stream) if isinstance(r, ParsedRecord)][:5]
    assert parsed
    for item in parsed:
        record = services.record_create(marc_record=item.record, by=None)
        assert record.title
        assert RecordIsbn.objects.filter(record=record).count() == len(set(record.isbns))


def test_item_create_and_audit(personas, record) -> None:
    item = services.item_create(
        record=record,
        school=personas.school,
        by=personas.librarian,
        barcode=" 31234000123456 ",
        call_number="FIC RYA",
        price=Decimal("7.99"),
        acquired=datetime.date(2024, 9, 1),
    )
    assert item.barcode == "31234000123456"
    assert item.school == personas.school
    assert item.status == ItemStatus.AVAILABLE
    entry = AuditEntry.objects.get(action="catalog.item_create")
    assert entry.school == personas.school
    assert entry.detail["barcode"] == "31234000123456"


def test_barcode_is_unique_in_the_installation_and_the_error_names_the_record(
    personas, record
) -> None:
    services.item_create(record=record, school=personas.school, by=None, barcode="B1")
    other = make_record("Wonder", authors=["Palacio, R. J."], isbn="9780375869020")
    with pytest.raises(ValidationError) as caught:
        services.item_create(
            record=other, school=personas.other_school, by=personas.outsider, barcode="B1"
        )
    message = " ".join(caught.value.message_dict["barcode"])
    assert "Esperanza rising" in message
    assert "Lincoln Middle School" in message
    assert Item.objects.filter(barcode="B1").count() == 1


def test_item_needs_a_barcode(personas, record) -> None:
    with pytest.raises(ValidationError):
        services.item_create(record=record, school=personas.school, by=None, barcode="   ")
    with pytest.raises(ValidationError):
        services.item_create(record=record, school=personas.school, by=None)


def test_item_fields_are_a_closed_list(personas, record) -> None:
    with pytest.raises(TypeError):
        services.item_create(
            record=record, school=personas.school, by=None, barcode="B2", circulation_count=99
        )
    item = services.item_create(record=record, school=personas.school, by=None, barcode="B3")
    with pytest.raises(TypeError):
        services.item_update(item=item, by=None, school=personas.other_school)


def test_item_update_records_each_change(personas, record) -> None:
    item = services.item_create(record=record, school=personas.school, by=None, barcode="B4")
    services.item_update(
        item=item, by=personas.librarian, status=ItemStatus.DAMAGED, price=Decimal("12.50"),
        location="Fiction",
    )  # fmt: skip
    item.refresh_from_db()
    assert item.status == ItemStatus.DAMAGED
    entry = AuditEntry.objects.get(action="catalog.item_update")
    assert entry.detail["changes"] == {
        "status": ["available", "damaged"],
        "price": [None, "12.50"],
        "location": ["", "Fiction"],
    }


def test_item_update_without_changes_writes_nothing(personas, record) -> None:
    item = services.item_create(record=record, school=personas.school, by=None, barcode="B5")
    services.item_update(item=item, by=personas.librarian, barcode="B5", location="")
    assert not AuditEntry.objects.filter(action="catalog.item_update").exists()


def test_item_update_to_a_taken_barcode_is_refused_and_nothing_changes(personas, record) -> None:
    services.item_create(record=record, school=personas.school, by=None, barcode="B6")
    item = services.item_create(record=record, school=personas.school, by=None, barcode="B7")
    with pytest.raises(ValidationError) as caught:
        services.item_update(item=item, by=None, barcode="B6", location="Reference")
    assert "Esperanza rising" in " ".join(caught.value.message_dict["barcode"])
    item.refresh_from_db()
    assert (item.barcode, item.location) == ("B7", "")


def test_a_copy_cannot_take_a_patron_card_barcode(personas):
    from django.core.exceptions import ValidationError

    from shelfwise.catalog.services import item_create, record_create
    from shelfwise.marc.build import build_record

    record = record_create(marc_record=build_record(title="Holes"), by=personas.librarian)
    with pytest.raises(ValidationError) as err:
        item_create(record=record, school=personas.school, by=personas.librarian, barcode="P000123")
    assert "patron cards" in str(err.value)
    item_create(record=record, school=personas.school, by=personas.librarian, barcode="PB-12")
