"""OneRoster sync on the real samples: create, update, deactivate, report."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shelfwise.oneroster import NotOneRosterError
from shelfwise.people.models import Enrollment, Membership, Person, RosterIssue, SchoolClass
from shelfwise.people.rostering import roster_import
from shelfwise.schools.models import School

DATA = Path(__file__).resolve().parent.parent / "data" / "oneroster"
FULL = DATA / "catalyst_Test_full_data_set"
OAT = DATA / "oat-sa_v1p1_OneRosterv1p1BaseCSV"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def copy_set(tmp_path: Path, source: Path = FULL) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_catalyst_full_set_creates_school_people_classes(db):
    job = roster_import(path=FULL)
    assert job.status == "done"
    school = School.objects.get(sourced_id="org-sch-222-456")
    assert school.name == "History Department"
    # 2 teachers + 3 students; the parent gets no library account.
    assert job.counts["people_created"] == 5
    assert job.counts["skipped_family_accounts"] == 1
    assert Person.objects.count() == 5
    mary = Person.objects.get(sourced_id="usr-222-66778899")
    assert (mary.first_name, mary.last_name, mary.grade) == ("Mary", "Jones", "12")
    assert mary.memberships.get().role == "student"
    assert Person.objects.get(username="john.doe").memberships.get().role == "teacher"
    # every new person gets a distinct patron barcode with the patron prefix
    barcodes = list(Person.objects.values_list("patron_barcode", flat=True))
    assert len(set(barcodes)) == 5 and all(b.startswith("P") for b in barcodes)
    assert not mary.has_usable_password()
    assert SchoolClass.objects.count() == 2
    assert not SchoolClass.objects.get(sourced_id="cls-222-123478").active  # tobedeleted
    assert Enrollment.objects.count() == 6
    assert any("treated as a school" in w for w in job.warnings)


def test_reimport_of_the_same_roster_changes_nothing(db):
    roster_import(path=FULL)
    before = list(Person.objects.order_by("pk").values())
    job = roster_import(path=FULL)
    assert job.counts.get("people_created", 0) == 0
    assert job.counts.get("people_updated", 0) == 0
    assert job.counts["people_unchanged"] == 5
    assert list(Person.objects.order_by("pk").values()) == before


def test_person_left_out_of_a_bulk_roster_is_deactivated_and_loans_listed(tmp_path, db):
    from shelfwise.catalog.services import item_create, record_create
    from shelfwise.circulation.models import Loan
    from shelfwise.circulation.services import loan_checkout
    from shelfwise.marc.build import build_record

    roster_import(path=FULL)
    anna = Person.objects.get(username="anna.brown")
    school = School.objects.get()
    record = record_create(marc_record=build_record(title="Holes"), by=None)
    item = item_create(record=record, school=school, by=None, barcode="T1")
    loan_checkout(item=item, patron=anna, by=None)

    folder = copy_set(tmp_path)
    users = folder / "users.csv"
    users.write_text(
        "\n".join(line for line in users.read_text().splitlines() if "anna.brown" not in line)
        + "\n"
    )
    job = roster_import(path=folder)
    anna.refresh_from_db()
    assert not anna.is_active and Person.objects.filter(pk=anna.pk).exists()
    assert job.counts["people_deactivated"] == 1
    issue = job.issues.get(kind="left_with_loans")
    assert "T1" in issue.message and "Holes" in issue.message
    assert Loan.objects.get().patron == anna and Loan.objects.get().returned_at is None


def test_delta_applies_only_what_it_carries(tmp_path, db):
    roster_import(path=FULL)
    folder = copy_set(tmp_path)
    edit(folder / "manifest.csv", "file.users,bulk", "file.users,delta")
    users = (folder / "users.csv").read_text().splitlines()
    header, jim = users[0], next(line for line in users if "jim.smith" in line)
    (folder / "users.csv").write_text(
        header + "\n" + jim.replace("usr-222-987654,active", "usr-222-987654,tobedeleted") + "\n"
    )
    job = roster_import(path=folder)
    assert not Person.objects.get(username="jim.smith").is_active
    assert Person.objects.filter(is_active=True).count() == 4
    assert job.counts.get("people_deactivated") == 1


def test_new_school_year_moves_grades_without_touching_loans(tmp_path, db):
    from shelfwise.catalog.services import item_create, record_create
    from shelfwise.circulation.models import Loan
    from shelfwise.circulation.services import loan_checkout
    from shelfwise.marc.build import build_record

    roster_import(path=FULL)
    anna = Person.objects.get(username="anna.brown")
    record = record_create(marc_record=build_record(title="Holes"), by=None)
    item = item_create(record=record, school=School.objects.get(), by=None, barcode="T1")
    loan = loan_checkout(item=item, patron=anna, by=None)
    folder = copy_set(tmp_path)
    edit(folder / "users.csv", "usr-222-987654,11,Password1-", "usr-222-987654,12,Password1-")
    roster_import(path=folder)
    anna.refresh_from_db()
    assert anna.grade == "12"
    assert Loan.objects.get() == loan and Loan.objects.get().due_on == loan.due_on


def test_roles_given_by_hand_survive_a_roster(db):
    roster_import(path=FULL)
    john = Person.objects.get(username="john.doe")
    Membership.objects.filter(person=john).update(role="librarian")
    roster_import(path=FULL)
    assert john.memberships.get().role == "librarian"


def test_messy_roster_lands_what_it_can_and_lists_rejected_rows(db):
    job = roster_import(path=OAT)
    assert School.objects.filter(sourced_id__in=["12345", "54321"]).count() == 2
    rejected = list(job.issues.filter(kind="rejected").order_by("file", "line"))
    assert [(i.file, i.line) for i in rejected] == [
        ("classes.csv", 2),
        ("classes.csv", 3),
        ("classes.csv", 4),
        ("enrollments.csv", 2),
        ("enrollments.csv", 3),
        ("enrollments.csv", 4),
    ]
    assert all(i.message for i in rejected)
    assert job.counts["people_created"] == 2


def test_not_oneroster_changes_nothing(tmp_path, db):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "books.csv").write_text("title,author\nHoles,Sachar\n")
    with pytest.raises(NotOneRosterError):
        roster_import(path=folder)
    assert not Person.objects.exists() and not School.objects.exists()
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_oneroster", str(folder))


def test_command_prints_counts_and_rejections(db):
    out = io.StringIO()
    call_command("import_oneroster", str(OAT), stdout=out)
    text = out.getvalue()
    assert "people created 2" in text
    assert "REJECTED: classes.csv line 2" in text


def test_zip_works_like_the_folder(db):
    job = roster_import(path=DATA / "catalyst_Test_full_data_set.zip")
    assert job.counts["people_created"] == 5
    assert RosterIssue.objects.filter(kind="rejected").count() == 0
