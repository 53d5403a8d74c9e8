"""OneRoster import from the web: upload → background task → progress → report, for every persona.

The role table (people/roles.py): "people.import_roster" is the librarian's
(and the district administrator's everywhere). A librarian rosters only
their own schools; a job is seen by whoever started it and the district
administrator.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from shelfwise.audit.models import AuditEntry
from shelfwise.people.models import Person, RosterImport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

DATA = Path(__file__).resolve().parent.parent / "data" / "oneroster"
FULL = DATA / "catalyst_Test_full_data_set"
FULL_ZIP = DATA / "catalyst_Test_full_data_set.zip"
OAT = DATA / "oat-sa_v1p1_OneRosterv1p1BaseCSV"

IMPORTERS = ["librarian", "district_admin", "outsider"]
NOT_IMPORTERS = ["teacher", "ell", "aide", "student"]
START = "/people/roster/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def zipped(folder: Path, tmp_path: Path, name: str | None = None) -> Path:
    target = tmp_path / (name or folder.name)
    return Path(shutil.make_archive(str(target), "zip", folder))


def upload(client, path: Path, name: str | None = None):
    return client.post(START, {"file": SimpleUploadedFile(name or path.name, path.read_bytes())})


def test_librarian_imports_a_zip_and_reads_the_report(personas, client, media):
    client.force_login(personas.librarian)
    response = upload(client, FULL_ZIP)
    job = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:detail", args=[job.pk])
    assert job.status == RosterImport.Status.DONE and job.started_by == personas.librarian
    assert job.filename == "catalyst_Test_full_data_set.zip"
    assert job.counts["people_created"] == 5
    assert Person.objects.filter(sourced_id="usr-222-66778899").exists()
    # The uploaded copy (students' data) is removed once imported.
    assert not Path(job.path).exists() and list((media / "rosters").iterdir()) == []

    html = client.get(response["Location"]).content.decode()
    assert "catalyst_Test_full_data_set.zip" in html
    assert "People created" in html and "<dd>5</dd>" in html
    assert "Family accounts skipped" in html
    assert "No row was rejected." in html
    assert "No one left with items out." in html
    assert escape(job.warnings[0]) in html  # "treated as a school"
    assert 'role="status"' in html and "Finished." in html
    assert "hx-trigger" not in html  # nothing left to poll
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"people.roster_upload", "people.import_oneroster"} <= actions


def test_rejected_rows_are_listed_with_file_line_sourcedid_and_reason(personas, client, tmp_path):
    client.force_login(personas.librarian)
    upload(client, zipped(OAT, tmp_path))
    job = RosterImport.objects.get()
    rejected = list(job.issues.filter(kind="rejected"))
    assert len(rejected) == 6 and job.counts["rejected"] == 6
    html = client.get(reverse("roster:detail", args=[job.pk])).content.decode()
    for issue in rejected:
        assert f"<td>{issue.file}</td><td>{issue.line}</td>" in html
        assert escape(issue.sourced_id) in html
        assert escape(issue.message) in html

    response = client.get(reverse("roster:issues_csv", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["kind"], r["file"], r["line"]) for r in rows] == [
        ("rejected", i.file, str(i.line)) for i in rejected
    ]
    assert all(r["reason"] for r in rows)
    assert AuditEntry.objects.filter(action="people.export_roster_issues").count() == 1


def test_people_who_left_with_loans_are_listed_and_in_the_csv(personas, client, tmp_path):
    from shelfwise.catalog.services import item_create, record_create
    from shelfwise.circulation.services import loan_checkout
    from shelfwise.marc.build import build_record

    personas.school.sourced_id = "org-sch-222-456"  # the roster's school is LMS
    personas.school.save()
    client.force_login(personas.librarian)
    upload(client, FULL_ZIP)
    anna = Person.objects.get(username="anna.brown")
    record = record_create(marc_record=build_record(title="Holes"), by=None)
    item = item_create(record=record, school=personas.school, by=None, barcode="T1")
    loan_checkout(item=item, patron=anna, by=None)

    folder = tmp_path / "next-year"
    shutil.copytree(FULL, folder)
    users = folder / "users.csv"
    users.write_text(
        "\n".join(line for line in users.read_text().splitlines() if "anna.brown" not in line)
        + "\n"
    )
    upload(client, zipped(folder, tmp_path, "next-year"))
    job = RosterImport.objects.first()  # newest
    assert job.counts["people_deactivated"] == 1
    html = client.get(reverse("roster:detail", args=[job.pk])).content.decode()
    assert "People who left with items still out" in html
    assert escape(anna.full_name) in html and "T1" in html and "Holes" in html
    # Seeing who still has which items out is a view of patrons' loans: audited.
    assert AuditEntry.objects.filter(action="people.view_roster_report").count() == 1
    text = b"".join(client.get(reverse("roster:issues_csv", args=[job.pk])).streaming_content)
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert [(r["kind"], r["person"]) for r in rows] == [("left_with_loans", anna.full_name)]


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"hello, not a zip", "roster.zip", "roster.zip is not a zip archive"),
        (None, "books.zip", "no manifest.csv and no OneRoster files"),
    ],
)
def test_a_file_that_is_not_oneroster_fails_visibly_and_changes_nothing(
    personas, client, tmp_path, content, name, reason
):
    if content is None:  # a zip, but of something else
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("books.csv", "title,author\nHoles,Sachar\n")
        content = buffer.getvalue()
    people = Person.objects.count()
    client.force_login(personas.librarian)
    response = client.post(START, {"file": SimpleUploadedFile(name, content)})
    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.FAILED
    assert reason in job.error
    assert "/rosters/" not in job.error  # our stored copy's path is not shown
    html = client.get(response["Location"]).content.decode()
    assert escape(job.error) in html
    assert "The import failed. Nothing was changed." in html
    assert Person.objects.count() == people and job.issues.count() == 0
    assert not Path(job.path).exists()


def test_an_empty_file_is_refused_by_the_form(personas, client):
    client.force_login(personas.librarian)
    response = client.post(START, {"file": SimpleUploadedFile("empty.zip", b"")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not RosterImport.objects.exists()


def test_progress_is_polled_with_htmx_and_unchanged_status_swaps_nothing(personas, client):
    client.force_login(personas.librarian)
    job = RosterImport.objects.create(
        started_by=personas.librarian, filename="big.zip", status="running"
    )
    url = reverse("roster:detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}?status=running"' in page and 'hx-trigger="every 2s"' in page
    assert "<progress" in page and 'id="roster-live" role="status"' in page

    htmx = {"HX-Request": "true"}
    assert client.get(url + "?status=running", headers=htmx).status_code == 204

    job.status = RosterImport.Status.DONE
    job.counts = {"people_created": 3}
    job.save()
    partial = client.get(url + "?status=running", headers=htmx)
    html = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in html
    assert 'id="roster-result"' in html and "hx-trigger" not in html
    assert "<dd>3</dd>" in html
    # The live region, which stays in the page, gets the new status out of band.
    assert 'id="roster-live" hx-swap-oob="innerHTML"' in html and "Finished." in html


@pytest.mark.parametrize("who", IMPORTERS)
def test_importers_may_open_the_page(personas, client, who):
    client.force_login(getattr(personas, who))
    response = client.get(START)
    assert response.status_code == 200
    assert "OneRoster" in response.content.decode()


@pytest.mark.parametrize("who", NOT_IMPORTERS)
def test_others_may_not_import(personas, client, who):
    client.force_login(getattr(personas, who))
    assert client.get(START).status_code == 403
    assert upload(client, FULL_ZIP).status_code == 403
    assert (
        not RosterImport.objects.exists()
        and not Person.objects.filter(sourced_id__startswith="usr-").exists()
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(START)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("librarian", 200),
        ("district_admin", 200),
        ("outsider", 403),
        ("teacher", 403),
        ("ell", 403),
        ("aide", 403),
        ("student", 403),
    ],
)
def test_a_job_is_seen_by_its_starter_and_the_district_admin(personas, client, who, status):
    job = RosterImport.objects.create(
        started_by=personas.librarian, filename="x.zip", status="done", counts={}
    )
    client.force_login(getattr(personas, who))
    assert client.get(reverse("roster:detail", args=[job.pk])).status_code == status
    assert client.get(reverse("roster:issues_csv", args=[job.pk])).status_code == status
    listing = client.get(START)
    if listing.status_code == 200:
        assert ("x.zip" in listing.content.decode()) == (status == 200)


def test_missing_job_is_404(personas, client):
    client.force_login(personas.librarian)
    assert client.get(reverse("roster:detail", args=[999])).status_code == 404


def test_a_librarian_may_not_roster_another_school(personas, client):
    # OAK's librarian uploads a roster whose school is LMS: refused, nothing changes.
    personas.school.sourced_id = "org-sch-222-456"
    personas.school.save()
    client.force_login(personas.outsider)
    response = upload(client, FULL_ZIP)
    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.FAILED
    assert "Lincoln Middle School" in job.error
    assert not Person.objects.filter(sourced_id__startswith="usr-").exists()
    html = client.get(response["Location"]).content.decode()
    assert escape(job.error) in html

    client.force_login(personas.librarian)
    upload(client, FULL_ZIP)
    assert RosterImport.objects.first().status == RosterImport.Status.DONE
    assert Person.objects.filter(sourced_id__startswith="usr-").count() == 5


def test_the_district_admin_may_roster_any_school(personas, client):
    personas.other_school.sourced_id = "org-sch-222-456"
    personas.other_school.save()
    client.force_login(personas.district_admin)
    upload(client, FULL_ZIP)
    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.DONE
    assert Person.objects.get(username="anna.brown").memberships.get().school == (
        personas.other_school
    )


def test_a_roster_matching_a_school_by_code_counts_as_that_school(personas, client, tmp_path):
    folder = tmp_path / "coded"
    shutil.copytree(FULL, folder)
    orgs = folder / "orgs.csv"
    text = orgs.read_text()
    assert "org-sch-222-456" in text
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    sid, ident = header.index("sourcedId"), header.index("identifier")
    for row in rows[1:]:
        if row[sid] == "org-sch-222-456":
            row[ident] = "OAK"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    orgs.write_text(out.getvalue())
    client.force_login(personas.librarian)  # LMS's librarian, roster names OAK by code
    upload(client, zipped(folder, tmp_path, "coded"))
    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.FAILED and "Oak Elementary" in job.error


def test_a_bulk_roster_of_one_school_leaves_other_schools_alone(personas, client, tmp_path):
    personas.school.sourced_id = "org-sch-222-456"
    personas.school.save()
    personas.other_school.sourced_id = "12345"  # one of the OAT set's schools
    personas.other_school.save()
    client.force_login(personas.librarian)
    upload(client, FULL_ZIP)
    assert Person.objects.filter(sourced_id__startswith="usr-", is_active=True).count() == 5
    client.force_login(personas.outsider)
    upload(client, zipped(OAT, tmp_path))
    assert RosterImport.objects.first().status == RosterImport.Status.DONE
    assert Person.objects.filter(sourced_id__startswith="usr-", is_active=True).count() == 5
