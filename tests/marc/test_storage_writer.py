"""Storage form, content hash and export: everything read from the test files survives
to_storage/from_storage and an ISO 2709 or MARCXML export followed by a re-read."""

from __future__ import annotations

import io

import pymarc
import pytest

from shelfwise.marc.holdings import Holding, holding_to_field
from shelfwise.marc.reader import ParsedRecord, open_marc
from shelfwise.marc.storage import content_hash, from_storage, to_storage, without_holdings
from shelfwise.marc.writer import MarcExportWriter
from tests.marc.conftest import all_data_files, good


def signature(record: pymarc.Record) -> list[tuple]:
    return [
        (f.tag, f.data)
        if f.control_field
        else (f.tag, f.indicator1, f.indicator2, [tuple(s) for s in f.subfields])
        for f in record.fields
    ]


GOOD_FILES = [name for name in all_data_files() if good(name)]


@pytest.mark.parametrize("name", GOOD_FILES)
@pytest.mark.parametrize("fmt", ["iso2709", "marcxml"])
def test_export_round_trip(name: str, fmt: str) -> None:
    first = [p.record for p in good(name)]
    out = io.BytesIO()
    with MarcExportWriter(out, fmt) as writer:
        for record in first:
            writer.write(record)
    assert writer.skipped == [] and writer.written == len(first)
    again = list(open_marc(io.BytesIO(out.getvalue())))
    assert all(isinstance(p, ParsedRecord) for p in again)
    assert [signature(p.record) for p in again] == [signature(r) for r in first]  # type: ignore[union-attr]
    assert all(p.record.leader[9] == "a" for p in again)  # type: ignore[union-attr]


def test_marcxml_export_is_a_collection_pymarc_reads() -> None:
    records = [p.record for p in good("evergreen/lul_fre_100.mrc")]
    out = io.BytesIO()
    with MarcExportWriter(out, "marcxml") as writer:
        for record in records:
            writer.write(record)
    data = out.getvalue()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns=')
    assert data.rstrip().endswith(b"</collection>")
    assert "é".encode() in data  # real UTF-8, not character references
    back = pymarc.parse_xml_to_array(io.BytesIO(data))
    assert [signature(r) for r in back] == [signature(r) for r in records]


def test_iso2709_export_pymarc_reads_back() -> None:
    records = [p.record for p in good("pymarc/1251.dat")]
    out = io.BytesIO()
    with MarcExportWriter(out, "iso2709") as writer:
        for record in records:
            writer.write(record)
    back = list(pymarc.MARCReader(io.BytesIO(out.getvalue()), to_unicode=True))
    assert [signature(r) for r in back] == [signature(r) for r in records]


def test_oversized_record_is_skipped_not_corrupted() -> None:
    record = good("pymarc/one.dat")[0].record
    for _ in range(30):
        record.add_field(
            pymarc.Field(tag="505", indicators=pymarc.Indicators("0", " "),
                         subfields=[pymarc.Subfield("a", "x" * 4000)])
        )  # fmt: skip
    out = io.BytesIO()
    with MarcExportWriter(out, "iso2709") as writer:
        writer.write(record)
    assert out.getvalue() == b""
    assert writer.skipped and "over the ISO 2709 limit" in writer.skipped[0][1]


@pytest.mark.parametrize("name", GOOD_FILES)
def test_storage_round_trip_and_stable_hash(name: str) -> None:
    for item in good(name):
        stored = to_storage(item.record)
        back = from_storage(stored)
        assert signature(back) == signature(item.record)
        assert content_hash(back) == content_hash(item.record)
        assert stored[:1] == b"{" or stored[9:10] == b"a"


def test_large_record_is_stored_as_json() -> None:
    (item,) = good("openlibrary/dasrmischepriv00rein_marc.xml")
    record = item.record
    for _ in range(30):
        record.add_field(
            pymarc.Field(tag="505", indicators=pymarc.Indicators("0", " "),
                         subfields=[pymarc.Subfield("a", "Kapitel " * 500)])
        )  # fmt: skip
    stored = to_storage(record)
    assert stored.startswith(b"{") and len(stored) > 99_999
    assert signature(from_storage(stored)) == signature(record)


def test_content_hash_ignores_005_holdings_and_leader_bookkeeping() -> None:
    record = good("loc/loc_booksall2016_juvenile_sample.mrc")[0].record
    before = content_hash(record)
    assert len(before) == 40 and int(before, 16) >= 0
    copy = from_storage(to_storage(record))
    copy["005"].data = "20991231235959.0"
    copy.leader = pymarc.Leader("99999" + str(copy.leader)[5:9] + " " + str(copy.leader)[10:])
    copy.add_ordered_field(holding_to_field(Holding(barcode="T1"), "LMS"))
    assert content_hash(copy) == before
    copy["245"].add_subfield("c", "changed")
    assert content_hash(copy) != before


def test_without_holdings_copies() -> None:
    record = good("openlibrary/lesabndioeinas00sche_meta.mrc")[0].record
    stripped = without_holdings(record)
    assert "852" in record and "852" not in stripped
    assert "005" in stripped  # kept: see the Decision in storage.py
    stripped["245"].add_subfield("z", "only in the copy")
    assert record["245"].get("z") is None
