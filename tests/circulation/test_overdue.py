"""The overdue list: teachers see names and counts for their own classes only,
librarians the whole school by grade and homeroom; every view is audited.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from shelfwise.audit.models import AuditEntry
from shelfwise.catalog.models import Item
from shelfwise.circulation.models import Loan
from shelfwise.circulation.services import loan_checkin, loan_checkout
from shelfwise.people.models import Enrollment, SchoolClass
from tests.conftest import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
URL = "/circulation/overdue/"
CSV_URL = "/circulation/overdue/overdue.csv"
ALLOWED = ["librarian", "district_admin", "teacher", "ell", "outsider"]
DENIED = ["aide", "student"]
_ids = count(1)


def enrol(school_class, person, role="student"):
    return Enrollment.objects.create(
        sourced_id=f"e{next(_ids)}", school_class=school_class, person=person, role=role
    )


def a_class(school, title):
    return SchoolClass.objects.create(sourced_id=f"c{next(_ids)}", school=school, title=title)


def overdue_loan(patron, record, school, days=10):
    """An open loan due `days` ago (made directly: many of them, fast)."""
    item = Item.objects.create(record=record, school=school, barcode=f"X{next(_ids):05d}")
    now = timezone.now()
    return Loan.objects.create(
        item=item,
        school=school,
        patron=patron,
        checked_out_at=now - timedelta(days=days + 14),
        due_on=(now - timedelta(days=days)).date(),
    )


@pytest.fixture
def classes(personas, shelf):
    records, items = shelf
    school = personas.school
    english = a_class(school, "Period 2 English")
    science = a_class(school, "Period 5 Science")
    oak_class = a_class(personas.other_school, "Oak Reading")
    noor = make_person("noor", school, "student", first_name="Noor", last_name="Ali", grade="06")
    zed = make_person(
        "zed", school, "student", first_name="Zed", last_name="Young", grade="07", homeroom="7B"
    )
    kai = make_person("kai", school, "student", first_name="Kai", last_name="Lee", grade="06")
    oaky = make_person("oaky", personas.other_school, "student", first_name="Oaky")
    personas.student.homeroom = "6A"
    personas.student.save()
    enrol(english, personas.teacher, "teacher")
    for person in (personas.student, noor, zed):
        enrol(english, person)
    enrol(science, personas.ell, "teacher")
    enrol(science, kai)
    enrol(oak_class, personas.teacher, "teacher")
    enrol(oak_class, oaky)
    # Sami: two overdue (one through the desk's own service), one not yet due.
    long_ago = timezone.now() - timedelta(days=40)
    loan_checkout(item=items[2], patron=personas.student, by=personas.librarian, now=long_ago)
    overdue_loan(personas.student, records[0], school)
    loan_checkout(item=items[3], patron=personas.student, by=personas.librarian)
    # Noor: overdue once, but returned since.
    returned = loan_checkout(item=items[0], patron=noor, by=personas.librarian, now=long_ago)
    loan_checkin(item=returned.item, by=personas.librarian)
    overdue_loan(zed, records[1], school)
    overdue_loan(kai, records[1], school)
    overdue_loan(oaky, records[1], personas.other_school)
    return {"english": english, "science": science, "noor": noor, "zed": zed, "kai": kai}


# ---- Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ALLOWED)
def test_allowed(personas, classes, client, who):
    client.force_login(personas.all()[who])
    assert client.get(URL).status_code == 200
    assert client.get(CSV_URL).status_code == 200


@pytest.mark.parametrize("who", DENIED)
def test_denied(personas, classes, client, who):
    client.force_login(personas.all()[who])
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert not AuditEntry.objects.filter(action="circulation.view_overdue").exists()


def test_anonymous_logs_in_first(client):
    assert client.get(URL)["Location"].startswith("/login/")
    assert client.get(CSV_URL)["Location"].startswith("/login/")


# ---- What a teacher sees -----------------------------------------------------------------


def test_teacher_sees_names_and_counts_of_their_classes_only(personas, classes, client):
    client.force_login(personas.teacher)
    html = client.get(URL).content.decode()
    assert "Period 2 English" in html
    assert "Sami Haddad" in html and "Zed Young" in html
    assert '<td class="num">2</td>' in html  # Sami: two overdue, not the one not yet due
    # Not overdue now; not in this teacher's classes; not at this school.
    for absent in ("Noor", "Kai Lee", "Oaky", "Period 5 Science", "Oak Reading"):
        assert absent not in html


def test_teacher_never_sees_titles_barcodes_or_due_dates(personas, classes, shelf, client):
    client.force_login(personas.teacher)
    html = client.get(URL).content.decode() + client.get(CSV_URL).content.decode()
    for loan in Loan.objects.filter(returned_at=None).select_related("item__record"):
        assert loan.item.record.title not in html
        assert loan.item.barcode not in html
        assert loan.due_on.isoformat() not in html
        assert date_format(loan.due_on, "DATE_FORMAT") not in html


def test_ell_specialist_sees_the_classes_they_teach(personas, classes, client):
    client.force_login(personas.ell)
    html = client.get(URL).content.decode()
    assert "Period 5 Science" in html and "Kai Lee" in html and "Sami" not in html


def test_teacher_without_classes_gets_a_clear_empty_page(personas, classes, client):
    other = make_person("t2", personas.school, "teacher")
    client.force_login(other)
    html = client.get(URL).content.decode()
    assert "no classes in this school" in html and "Sami" not in html


def test_quiet_classes_are_listed_as_having_nothing_overdue(personas, classes, client):
    quiet = a_class(personas.school, "Period 7 Art")
    enrol(quiet, personas.teacher, "teacher")
    enrol(quiet, classes["noor"])
    client.force_login(personas.teacher)
    html = client.get(URL).content.decode()
    assert "Nothing overdue in: Period 7 Art." in html


def test_inactive_students_leave_the_teachers_list(personas, classes, client):
    classes["zed"].is_active = False
    classes["zed"].save()
    client.force_login(personas.teacher)
    assert "Zed" not in client.get(URL).content.decode()


# ---- What a librarian sees ------------------------------------------------------------------


def test_librarian_sees_the_whole_school_by_grade_and_homeroom(personas, classes, client):
    client.force_login(personas.librarian)
    html = client.get(URL).content.decode()
    for name in ("Sami Haddad", "Zed Young", "Kai Lee"):
        assert name in html
    assert "Oaky" not in html and "Noor" not in html
    six_a = html.index("Grade 6 · homeroom 6A")
    six = html.index("Grade 6 · no homeroom")
    seven = html.index("Grade 7 · homeroom 7B")
    assert six_a < html.index("Sami Haddad") < six < html.index("Kai Lee") < seven
    assert "Hatchet" not in html and "T0003" not in html


def test_outsider_sees_their_own_school_only(personas, classes, client):
    client.force_login(personas.outsider)
    html = client.get(URL).content.decode()
    assert "Oaky" in html
    assert "Sami" not in html and "Kai" not in html


# ---- Audit and CSV ----------------------------------------------------------------------------


def test_every_view_is_audited(personas, classes, client):
    client.force_login(personas.teacher)
    client.get(URL)
    client.get(URL)
    client.get(CSV_URL)
    entries = AuditEntry.objects.filter(action="circulation.view_overdue", actor=personas.teacher)
    assert entries.count() == 3
    assert sorted(e.detail["format"] for e in entries) == ["csv", "html", "html"]
    entry = entries.filter(detail__format="csv").get()
    assert entry.school == personas.school and entry.detail["scope"] == "classes"
    assert entry.detail["patrons"] == sorted([personas.student.pk, classes["zed"].pk])


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_teacher_csv_has_class_name_and_count(personas, classes, client):
    client.force_login(personas.teacher)
    rows = read_csv(client.get(CSV_URL))
    assert rows == [
        ["Class", "Name", "Overdue items"],
        ["Period 2 English", "Sami Haddad", "2"],
        ["Period 2 English", "Zed Young", "1"],
    ]


def test_librarian_csv_by_grade_and_homeroom(personas, classes, client):
    client.force_login(personas.librarian)
    rows = read_csv(client.get(CSV_URL))
    assert rows[0] == ["Grade", "Homeroom", "Name", "Overdue items"]
    assert rows[1:] == [
        ["06", "6A", "Sami Haddad", "2"],
        ["06", "", "Kai Lee", "1"],
        ["07", "7B", "Zed Young", "1"],
    ]


def test_csv_names_cannot_become_spreadsheet_formulas(personas, classes, client):
    zed = classes["zed"]
    zed.first_name, zed.last_name = '=HYPERLINK("http://evil")', ""
    zed.save()
    client.force_login(personas.teacher)
    rows = read_csv(client.get(CSV_URL))
    assert ["Period 2 English", '\'=HYPERLINK("http://evil")', "1"] in rows


# ---- Speed: queries do not grow with rows ----------------------------------------------------


def more_overdue(personas, shelf, school_class, n):
    records, _items = shelf
    for _ in range(n):
        k = next(_ids)
        person = make_person(f"s{k}", personas.school, "student", first_name=f"S{k}", grade="08")
        enrol(school_class, person)
        overdue_loan(person, records[k % len(records)], personas.school)


@pytest.mark.parametrize("who", ["teacher", "librarian"])
def test_query_count_does_not_grow_with_rows(
    personas, classes, shelf, client, django_assert_num_queries, who
):
    client.force_login(personas.all()[who])
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert "Sami Haddad" in client.get(URL).content.decode()
    more_overdue(personas, shelf, classes["english"], 25)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(URL).content.decode()
    assert html.count("<tr>") >= 28
