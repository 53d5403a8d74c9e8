"""The desk through HTTP: one scan box, roles, what an aide sees."""

from __future__ import annotations

import pytest

from shelfwise.audit.models import AuditEntry
from shelfwise.circulation.models import Loan

# The aide holds the desk only during one of their shifts (issue 7): they have one now.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_password_hashing", "aide_on_shift"),
]
HX = {"HX-Request": "true"}


def scan(client, code, hx=True):
    return client.post("/circulation/desk/scan/", {"code": code}, headers=HX if hx else {})


def test_scan_patron_then_item_checks_out_then_item_alone_checks_in(personas, shelf, client):
    _, _items = shelf
    client.force_login(personas.aide)
    page = client.get("/circulation/desk/")
    assert page.status_code == 200 and b'id="scan-code"' in page.content
    r = scan(client, "P0001")
    assert "Sami Haddad" in r.content.decode() and b'aria-live="polite"' in r.content
    r = scan(client, "T0003")
    html = r.content.decode()
    assert "Checked out" in html and "Hatchet" in html
    assert Loan.objects.get(returned_at=None).patron == personas.student
    client.post("/circulation/desk/done/", headers=HX)
    r = scan(client, "T0003")
    assert "Checked in" in r.content.decode()
    assert not Loan.objects.filter(returned_at=None).exists()


def test_errors_are_announced_assertively(personas, shelf, client):
    client.force_login(personas.librarian)
    r = scan(client, "NOPE-123")
    assert b'role="alert"' in r.content and b"Unknown barcode" in r.content
    r = scan(client, "'; DROP TABLE catalog_item; --\x00\x1b")
    assert r.status_code == 200 and b'role="alert"' in r.content


def test_without_javascript_the_desk_redirects_and_shows_the_outcome(personas, shelf, client):
    client.force_login(personas.librarian)
    r = scan(client, "P0001", hx=False)
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert "Sami Haddad" in page.content.decode()


def test_aide_sees_name_and_current_loans_only(personas, shelf, client):
    _, _items = shelf
    personas.student.homeroom = "Room 12"
    personas.student.save()
    client.force_login(personas.aide)
    scan(client, "P0001")
    html = scan(client, "T0001").content.decode()
    assert "Sami Haddad" in html and "Los volcanes" in html
    for private in ("Room 12", "ara", "Arabic", "English learner", "06"):
        assert private not in html


def test_viewing_a_patron_at_the_desk_is_audited(personas, shelf, client):
    client.force_login(personas.aide)
    scan(client, "P0001")
    entry = AuditEntry.objects.get(action="people.view_patron_at_desk")
    assert entry.actor == personas.aide and entry.object_id == str(personas.student.pk)


def test_card_from_another_school_is_refused(personas, shelf, client):
    personas.outsider.patron_barcode = "P0999"
    personas.outsider.save()
    client.force_login(personas.librarian)
    assert b"not from this school" in scan(client, "P0999").content


def test_librarian_of_another_school_cannot_check_out_our_copies(personas, shelf, client):
    client.force_login(personas.outsider)
    assert b"belongs to Lincoln Middle School" in scan(client, "T0001").content
    assert not Loan.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "ell", "student"])
def test_desk_is_for_librarian_and_aide_only(personas, shelf, client, who):
    client.force_login(getattr(personas, who))
    assert client.get("/circulation/desk/").status_code == 403
    assert scan(client, "T0001").status_code == 403
    assert not Loan.objects.exists()


def test_renew_at_the_desk_only_for_the_selected_reader(personas, shelf, client):
    _, _items = shelf
    client.force_login(personas.librarian)
    scan(client, "P0001")
    scan(client, "T0001")
    loan = Loan.objects.get()
    r = client.post(f"/circulation/desk/renew/{loan.pk}/", headers=HX)
    assert "Renewed" in r.content.decode()
    client.post("/circulation/desk/done/", headers=HX)
    assert client.post(f"/circulation/desk/renew/{loan.pk}/", headers=HX).status_code == 403


@pytest.mark.parametrize("change", ["deactivated", "left the school"])
def test_a_selected_reader_who_may_no_longer_borrow_here_is_let_go(personas, shelf, client, change):
    """The reader kept in the desk's session is checked again on every scan."""
    from shelfwise.people.models import Membership

    client.force_login(personas.librarian)
    assert "Sami Haddad" in scan(client, "P0001").content.decode()
    if change == "deactivated":
        personas.student.is_active = False
        personas.student.save()
    else:
        Membership.objects.filter(person=personas.student, school=personas.school).delete()
    html = scan(client, "T0001").content.decode()
    assert "Sami Haddad" not in html
    assert not Loan.objects.exists()  # with no reader selected, a scanned copy is a return
