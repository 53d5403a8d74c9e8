"""MARC import on real files: counts, rejections, encodings, idempotence, round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pymarc
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape

from shelfwise.catalog.exporting import marc_export
from shelfwise.catalog.importing import marc_import_file
from shelfwise.catalog.models import ImportIssue, ImportJob, Item, Record, RecordIsbn
from shelfwise.marc.reader import NotMarcError, open_marc
from shelfwise.marc.storage import from_storage

DATA = Path(__file__).resolve().parent.parent / "data" / "marc"
LOC = DATA / "loc" / "loc_booksall2016_juvenile_sample.mrc"
KOHA_XML = DATA / "koha" / "koha_sample_biblios.marcxml.xml"
BAD = DATA / "pymarc" / "bad_records.mrc"
KOHA_2016 = DATA / "koha" / "koha_sample_biblios_2016.mrc"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def destiny_file(tmp_path) -> Path:
    """300 real LoC records with Follett-Destiny-style 852 copies added (the
    shared test data has no real export with holdings)."""
    import random

    from shelfwise.catalog.generate import with_holdings, write_marc_file

    rng = random.Random(3)
    with open(LOC, "rb") as stream:
        records = [p.record for _, p in zip(range(300), open_marc(stream), strict=False)]
    barcode = 1000
    for record in records:
        copies = rng.randint(1, 2)
        with_holdings(record, school_code="LMS", copies=copies, barcode_start=barcode, rng=rng)
        barcode += copies
    path = tmp_path / "destiny.mrc"
    write_marc_file(records, path)
    return path


@pytest.fixture
def koha_file(tmp_path) -> Path:
    """The real Koha sample biblios with Koha 952 item fields added, as a Koha
    export carries them ($a branch, $c location, $o call number, $p barcode,
    $y item type, $d accessioned, $v replacement price)."""
    with open(KOHA_2016, "rb") as stream:
        records = [p.record for _, p in zip(range(60), open_marc(stream), strict=False)]
    for n, record in enumerate(records):
        record.add_ordered_field(
            pymarc.Field(
                tag="952",
                indicators=[" ", " "],
                subfields=[
                    pymarc.Subfield("a", "MAIN"),
                    pymarc.Subfield("c", "GEN"),
                    pymarc.Subfield("o", f"FIC K{n:03d}"),
                    pymarc.Subfield("p", f"3900{n:04d}"),
                    pymarc.Subfield("y", "BK"),
                    pymarc.Subfield("d", "2019-08-14"),
                    pymarc.Subfield("v", "12.50"),
                ],
            )
        )
    path = tmp_path / "koha.mrc"
    path.write_bytes(b"".join(r.as_marc() for r in records))
    return path


def _import(path: Path, school, **kw) -> ImportJob:
    return marc_import_file(path=path, school=school, **kw)


def _bib_fields(record: pymarc.Record) -> list[tuple]:
    """A record's fields as comparable tuples, holdings and 005 aside."""
    out = []
    for f in record.get_fields():
        if f.tag in {"005", "852", "952"}:
            continue
        if f.is_control_field():
            out.append((f.tag, f.data))
        else:
            out.append((f.tag, tuple(f.indicators), tuple((s.code, s.value) for s in f.subfields)))
    return out


def test_loc_file_imports_every_record_and_reimport_changes_nothing(personas):
    job = _import(LOC, personas.school)
    assert job.status == ImportJob.Status.DONE
    assert (job.records_read, job.created, job.rejected) == (1000, 1000, 0)
    assert Record.objects.count() == 1000
    assert RecordIsbn.objects.count() >= 1000
    again = _import(LOC, personas.school)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1000)
    assert Record.objects.count() == 1000


def test_extracted_fields_land_on_the_record(personas):
    _import(LOC, personas.school)
    with open(LOC, "rb") as stream:
        parsed = next(iter(open_marc(stream)))
        first = parsed.record
    record = Record.objects.get(control_number=first["001"].data.strip())
    assert record.title
    assert record.languages and record.languages[0] == first["008"].data[35:38]
    assert all(len(isbn) == 13 and isbn.startswith("978") for isbn in record.isbns)
    assert record.audience == first["008"].data[22]
    stored = from_storage(bytes(record.marc))
    assert stored["245"]["a"] == first["245"]["a"]
    # The bytes as received are kept: as the stored form when identical, else beside it.
    assert bytes(record.marc_original or record.marc) == parsed.raw


def test_koha_marcxml_imports_every_record(personas):
    job = _import(KOHA_XML, personas.school)
    assert job.file_format == "marcxml"
    # 435 records; two of them are the same book (same 001 and ISBN, one without
    # 003), so the second updates the first.
    assert (job.records_read, job.created, job.updated, job.rejected) == (435, 434, 1, 0)


def test_koha_952_items_become_copies(personas, koha_file):
    job = _import(koha_file, personas.school)
    assert job.items_created == 60
    item = Item.objects.get(barcode="39000007")
    assert (item.call_number, item.item_type, item.location) == ("FIC K007", "BK", "GEN")
    assert str(item.price) == "12.50" and str(item.acquired) == "2019-08-14"
    assert item.school == personas.school


def test_destiny_852_copies_become_items(personas, destiny_file):
    job = _import(destiny_file, personas.school)
    assert job.created == 300
    assert job.items_created == Item.objects.filter(school=personas.school).count() > 300
    item = Item.objects.order_by("barcode").first()
    assert item.call_number and item.location and item.price is not None


def test_broken_records_are_listed_and_the_good_ones_land(personas):
    job = _import(BAD, personas.school)
    # 9 chunks: records 1 and 8 are good (and identical, so one Record), 7 broken.
    assert (job.records_read, job.created, job.updated, job.rejected) == (9, 1, 1, 7)
    rejected = job.issues.filter(kind=ImportIssue.Kind.REJECTED)
    assert rejected.count() == job.rejected
    assert all(issue.message and issue.position >= 1 for issue in rejected)
    assert len({issue.position for issue in rejected}) == job.rejected


def test_a_file_that_is_not_marc_changes_nothing(personas, tmp_path):
    junk = tmp_path / "students.csv"
    junk.write_text("sourcedId,givenName\n1,Ana\n")
    with pytest.raises(NotMarcError):
        _import(junk, personas.school)
    assert Record.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.error


def test_command_refuses_everything_when_one_file_is_unreadable(personas, tmp_path):
    junk = tmp_path / "report.pdf"
    junk.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_marc", str(LOC), str(junk), school="LMS", stderr=err)
    assert "report.pdf" in err.getvalue()
    assert Record.objects.count() == 0


def test_command_prints_summary_and_each_rejection(personas):
    out = io.StringIO()
    call_command("import_marc", str(BAD), school="LMS", stdout=out, no_progress=True)
    text = out.getvalue()
    assert "created 1, updated 1" in text
    assert text.count("REJECTED: record ") == ImportJob.objects.get().rejected


def test_unknown_school_is_a_clear_error(personas):
    with pytest.raises(CommandError, match="No school"):
        call_command("import_marc", str(LOC), school="NOPE")


def test_dry_run_reports_the_real_numbers_and_changes_nothing(personas):
    dry = _import(BAD, personas.school, dry_run=True)
    assert Record.objects.count() == 0 and Item.objects.count() == 0
    real = _import(BAD, personas.school)
    assert (dry.created, dry.rejected) == (real.created, real.rejected)
    assert dry.issues.filter(kind=ImportIssue.Kind.REJECTED).count() == real.rejected


def test_misdeclared_encoding_is_decoded_right_and_reported(personas):
    flagged = _import(DATA / "pymarc" / "utf8_with_leader_flag.dat", personas.school)
    title = Record.objects.get().title
    Record.objects.all().delete()
    job = _import(DATA / "pymarc" / "utf8_without_leader_flag.dat", personas.school)
    assert flagged.created == job.created == 1
    assert Record.objects.get().title == title
    decoded = job.issues.get(kind=ImportIssue.Kind.DECODED)
    assert "utf-8" in decoded.message.lower()


def test_a_changed_record_is_updated_in_place(personas, tmp_path):
    with open(LOC, "rb") as stream:
        records = [p.record for _, p in zip(range(3), open_marc(stream), strict=False)]
    path = tmp_path / "three.mrc"
    path.write_bytes(b"".join(r.as_marc() for r in records))
    _import(path, personas.school)
    records[1]["245"]["a"] = "A corrected title /"
    path.write_bytes(b"".join(r.as_marc() for r in records))
    job = _import(path, personas.school)
    assert (job.created, job.updated, job.unchanged) == (0, 1, 2)
    assert Record.objects.filter(title__startswith="A corrected title").count() == 1


def test_copy_of_another_school_is_not_taken_over(personas, destiny_file):
    _import(destiny_file, personas.school)
    job = _import(destiny_file, personas.other_school)
    assert job.items_created == 0 and job.items_updated == 0
    assert job.issues.filter(
        kind=ImportIssue.Kind.WARNING, message__contains="another school"
    ).exists()
    assert not Item.objects.filter(school=personas.other_school).exists()


@pytest.mark.parametrize("fmt", ["iso2709", "marcxml"])
def test_round_trip_import_export_import(personas, tmp_path, fmt, destiny_file):
    source = destiny_file
    first = _import(source, personas.school)
    items_before = {
        i.barcode: (i.record_id, i.location, i.call_number, i.item_type, i.price, i.acquired)
        for i in Item.objects.all()
    }
    exported = tmp_path / f"export.{fmt}"
    with open(exported, "wb") as out:
        count = marc_export(school=personas.school, stream=out, fmt=fmt)
    assert count == Record.objects.filter(items__school=personas.school).distinct().count()

    again = _import(exported, personas.school)
    assert (again.created, again.updated, again.rejected) == (0, 0, 0)
    assert (again.items_created, again.items_updated) == (0, 0)
    assert Record.objects.count() == first.created
    items_after = {
        i.barcode: (i.record_id, i.location, i.call_number, i.item_type, i.price, i.acquired)
        for i in Item.objects.all()
    }
    assert items_after == items_before

    # The exported bibliographic fields equal the imported ones.
    with open(source, "rb") as stream:
        originals = {
            p.record["001"].data: _bib_fields(p.record)
            for p in open_marc(stream)
            if not hasattr(p, "reason") and p.record["001"]
        }
    with open(exported, "rb") as stream:
        for parsed in open_marc(stream):
            key = parsed.record["001"].data
            if key in originals:
                assert _bib_fields(parsed.record) == originals[key]


def test_web_import_runs_in_the_background_and_shows_the_summary(personas, client):
    client.force_login(personas.librarian)
    with open(BAD, "rb") as upload:
        response = client.post("/catalog/import/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/catalog/import/{job.pk}/")
    assert job.status == ImportJob.Status.DONE and job.created == 1 and job.rejected == 7
    assert job.started_by == personas.librarian
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "bad_records.mrc" in html
    for issue in job.issues.filter(kind=ImportIssue.Kind.REJECTED):
        assert escape(issue.message) in html
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<progress" in partial.content and b"<html" not in partial.content
    assert not Path(job.path).exists()  # the uploaded copy is removed afterwards


def test_web_import_of_garbage_fails_visibly(personas, client):
    client.force_login(personas.librarian)
    client.post("/catalog/import/", {"file": _named(b"hello, not marc", "x.mrc")})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert escape(job.error) in client.get(f"/catalog/import/{job.pk}/").content.decode()
    assert Record.objects.count() == 0


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("who", ["teacher", "ell", "aide", "student"])
def test_only_the_librarian_may_import_or_export(personas, client, who):
    client.force_login(getattr(personas, who))
    assert client.get("/catalog/import/").status_code == 403
    assert client.get("/catalog/export/").status_code == 403
    with open(BAD, "rb") as upload:
        assert client.post("/catalog/import/", {"file": upload}).status_code == 403
    assert ImportJob.objects.count() == 0


def test_outsider_cannot_see_another_schools_import(personas, client):
    job = _import(BAD, personas.school)
    client.force_login(personas.outsider)
    assert client.get(f"/catalog/import/{job.pk}/").status_code == 403
    client.force_login(personas.district_admin)
    assert client.get(f"/catalog/import/{job.pk}/").status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get("/catalog/import/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_web_export_downloads_the_schools_records(personas, client, destiny_file):
    _import(destiny_file, personas.school)
    client.force_login(personas.librarian)
    response = client.post("/catalog/export/", {"format": "marcxml"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    records = pymarc.parse_xml_to_array(io.BytesIO(body))
    assert len(records) == Record.objects.filter(items__school=personas.school).distinct().count()
    assert all(r.get_fields("852") for r in records)
