"""My library (/circulation/account/): a person's own loans, holds, notices and
opt-in reading history, and nobody else's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shelfwise.audit.models import AuditEntry
from shelfwise.circulation.history import reading_history_set
from shelfwise.circulation.models import (
    CirculationEvent,
    CirculationSettings,
    Hold,
    Loan,
    Notice,
)
from shelfwise.circulation.notices import notice_send
from shelfwise.circulation.services import hold_place, loan_checkin, loan_checkout, loan_renew
from shelfwise.people.models import Person
from tests.conftest import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
URL = "/circulation/account/"
EVERYONE = ["librarian", "district_admin", "teacher", "ell", "aide", "student", "outsider"]


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def account(personas, shelf):
    """The student: an overdue loan, one on time, a waiting hold; others' loans and holds."""
    records, items = shelf
    lib = personas.librarian
    overdue = loan_checkout(item=items[2], patron=personas.student, by=lib, now=ago(30))
    on_time = loan_checkout(item=items[0], patron=personas.student, by=lib)
    # Wonder is out to the aide; the student and then the teacher wait for it.
    aide_loan = loan_checkout(item=items[3], patron=personas.aide, by=lib)
    hold = hold_place(record=records[2], patron=personas.student, school=personas.school, by=lib)
    teacher_hold = hold_place(
        record=records[2], patron=personas.teacher, school=personas.school, by=lib
    )
    return {
        "overdue": overdue,
        "on_time": on_time,
        "aide_loan": aide_loan,
        "hold": hold,
        "teacher_hold": teacher_hold,
    }


# ---- Who may open it ---------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_every_member_has_their_own_page(personas, client, who):
    client.force_login(personas.all()[who])
    page = client.get(URL)
    assert page.status_code == 200
    assert "My library" in page.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    page = client.get(URL)
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_a_person_without_a_membership_is_refused(personas, client):
    newcomer = Person.objects.create_user(username="newcomer", password="x")
    client.force_login(newcomer)
    assert client.get(URL).status_code == 403


def test_nav_links_to_my_library_for_members_only(personas, client):
    client.force_login(personas.student)
    assert f'href="{URL}"' in client.get("/").content.decode()
    client.force_login(Person.objects.create_user(username="newcomer", password="x"))
    assert f'href="{URL}"' not in client.get("/").content.decode()


# ---- What it shows ---------------------------------------------------------------------


def test_student_sees_own_loans_due_dates_overdue_in_words_and_holds(personas, account, client):
    client.force_login(personas.student)
    html = client.get(URL).content.decode()
    assert "Hatchet" in html and "Los volcanes" in html
    assert "Overdue" in html and "It was due" in html  # words, not colour alone
    assert "Due " in html  # the loan on time
    assert "Wonder" in html and "You are next in line." in html and "Waiting" in html
    # Large, calm type on the student's page.
    assert 'class="page-student"' in html
    # Someone else's loans are nowhere.
    assert html.count("Renew") >= 1
    assert "T0004" not in html


def test_a_reader_sees_only_their_own_rows(personas, account, client):
    client.force_login(personas.teacher)
    html = client.get(URL).content.decode()
    assert "Hatchet" not in html and "Los volcanes" not in html
    assert "Wonder" in html and "You are number 2 in line." in html
    client.force_login(personas.aide)
    html = client.get(URL).content.decode()
    assert "Wonder" in html and "Hatchet" not in html
    # The aide's loan has a hold waiting: no renew button, a reason instead.
    assert "Someone else is waiting for this book" in html
    assert f"/account/loans/{account['aide_loan'].pk}/renew/" not in html


def test_ready_hold_shows_pickup_date(personas, shelf, client):
    records, _items = shelf
    hold = hold_place(
        record=records[1], patron=personas.student, school=personas.school, by=personas.student
    )
    assert hold.status == Hold.Status.READY
    client.force_login(personas.student)
    html = client.get(URL).content.decode()
    assert "Ready" in html and "Pick it up at the Lincoln Middle School library by" in html


def test_notices_newest_first_and_mark_read(personas, client):
    first = notice_send(
        patron=personas.student, kind="overdue", key="k1", subject="Older notice", body="a"
    )
    second = notice_send(
        patron=personas.student, kind="due_soon", key="k2", subject="Newer notice", body="b"
    )
    Notice.objects.filter(pk=first.pk).update(created_at=ago(3))
    notice_send(patron=personas.teacher, kind="overdue", key="k3", subject="Not yours", body="c")
    client.force_login(personas.student)
    html = client.get(URL).content.decode()
    assert html.index("Newer notice") < html.index("Older notice")
    assert "Not yours" not in html and "Mark all as read" in html
    r = client.post(f"/circulation/account/notices/{second.pk}/read/")
    assert r.status_code == 302
    second.refresh_from_db()
    assert second.read_at is not None
    client.post("/circulation/account/notices/read/")
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notice.objects.get(key="k3").read_at is None


# ---- Renew and cancel, only one's own -----------------------------------------------


def test_renew_own_loan(personas, account, client):
    client.force_login(personas.student)
    loan = account["on_time"]
    r = client.post(f"/circulation/account/loans/{loan.pk}/renew/", follow=True)
    loan.refresh_from_db()
    assert loan.renewals == 1
    assert "Renewed “Los volcanes”" in r.content.decode()
    assert AuditEntry.objects.filter(action="circulation.renew", actor=personas.student).exists()


def test_refused_renewal_shows_the_reason(personas, account, client):
    loan = account["on_time"]
    loan_renew(loan=loan, by=personas.librarian)
    loan_renew(loan=loan, by=personas.librarian)  # the two renewals a student has
    client.force_login(personas.student)
    r = client.post(f"/circulation/account/loans/{loan.pk}/renew/", follow=True)
    html = r.content.decode()
    assert "was not renewed: No renewals left for this loan." in html
    assert 'role="alert"' in html
    loan.refresh_from_db()
    assert loan.renewals == 2


def test_cannot_renew_someone_elses_loan(personas, account, client):
    client.force_login(personas.teacher)
    loan = account["on_time"]
    r = client.post(f"/circulation/account/loans/{loan.pk}/renew/")
    assert r.status_code == 404
    loan.refresh_from_db()
    assert loan.renewals == 0


def test_renew_needs_post(personas, account, client):
    client.force_login(personas.student)
    url = f"/circulation/account/loans/{account['on_time'].pk}/renew/"
    assert client.get(url).status_code == 405


def test_cancel_own_hold(personas, account, client):
    client.force_login(personas.student)
    hold = account["hold"]
    r = client.post(f"/circulation/account/holds/{hold.pk}/cancel/", follow=True)
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED
    assert "is cancelled" in r.content.decode()


def test_cannot_cancel_someone_elses_hold_or_read_their_notice(personas, account, client):
    client.force_login(personas.student)
    hold = account["teacher_hold"]
    assert client.post(f"/circulation/account/holds/{hold.pk}/cancel/").status_code == 404
    hold.refresh_from_db()
    assert hold.status == Hold.Status.WAITING
    notice = notice_send(patron=personas.teacher, kind="overdue", key="t", subject="s", body="b")
    assert client.post(f"/circulation/account/notices/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_anonymous_cannot_renew_or_cancel(personas, account, client):
    r = client.post(f"/circulation/account/loans/{account['on_time'].pk}/renew/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    r = client.post(f"/circulation/account/holds/{account['hold'].pk}/cancel/")
    assert r.status_code == 302
    account["hold"].refresh_from_db()
    assert account["hold"].status == Hold.Status.WAITING


# ---- Reading history: only by the student's choice ----------------------------------


def test_history_is_off_by_default_and_returned_books_leave_no_trace(personas, account, client):
    loan_checkin(item=account["on_time"].item, by=personas.librarian)
    client.force_login(personas.student)
    html = client.get(URL).content.decode()
    assert "Your reading history is off" in html
    assert "Los volcanes" not in html  # returned and unlinked
    assert not Loan.objects.filter(patron=personas.student).exclude(returned_at=None).exists()


def test_history_text_tells_the_schools_retention(personas, client):
    CirculationSettings.objects.create(school=personas.school, retention_days=7)
    client.force_login(personas.student)
    assert "keeps the record that you had it for 7 days" in client.get(URL).content.decode()


def test_turning_history_on_keeps_returned_books_and_shows_them(personas, account, client):
    client.force_login(personas.student)
    r = client.post("/circulation/account/history/", {"keep": "on"})
    assert r.status_code == 302
    personas.student.refresh_from_db()
    assert personas.student.keeps_reading_history
    loan_checkin(item=account["on_time"].item, by=personas.librarian)
    html = client.get(URL).content.decode()
    assert "Books you returned" in html and "Los volcanes" in html
    assert 'aria-labelledby="history-caption"' in html and 'tabindex="0"' in html


def test_turning_history_off_cuts_the_link_at_once(personas, account, client):
    reading_history_set(person=personas.student, keep=True)
    loan_checkin(item=account["on_time"].item, by=personas.librarian)
    returned = Loan.objects.get(pk=account["on_time"].pk)
    assert returned.patron == personas.student
    events = CirculationEvent.objects.count()
    client.force_login(personas.student)
    r = client.post("/circulation/account/history/", {"keep": "off"}, follow=True)
    assert "the list is deleted (1 books)" in r.content.decode()
    returned.refresh_from_db()
    assert returned.patron is None and returned.anonymized
    # Open loans keep their patron (the desk needs them); statistics survive.
    assert Loan.objects.get(pk=account["overdue"].pk).patron == personas.student
    assert CirculationEvent.objects.count() == events
    entry = AuditEntry.objects.get(action="people.reading_history_set", detail__keep=False)
    assert entry.actor == personas.student and entry.detail["loans_unlinked"] == 1
    assert "Los volcanes" not in entry.detail.values()


def test_reading_history_set_touches_only_that_person(personas, shelf):
    _records, items = shelf
    other = make_person("other", personas.school, "student", keeps_reading_history=True)
    reading_history_set(person=personas.student, keep=True)
    for item, patron in ((items[0], personas.student), (items[1], other)):
        loan_checkout(item=item, patron=patron, by=personas.librarian)
        loan_checkin(item=item, by=personas.librarian)
    assert reading_history_set(person=personas.student, keep=False) == 1
    assert Loan.objects.filter(patron=other).count() == 1
    assert not Person.objects.get(pk=personas.student.pk).keeps_reading_history


def test_history_stays_private_from_other_readers(personas, account, client):
    reading_history_set(person=personas.student, keep=True)
    loan_checkin(item=account["on_time"].item, by=personas.librarian)
    client.force_login(personas.teacher)
    html = client.get(URL).content.decode()
    assert "Los volcanes" not in html
