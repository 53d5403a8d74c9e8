"""Self-check pages: who may manage kiosks and PINs (the role table), and what they do."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password

from shelfwise.audit.models import AuditEntry
from shelfwise.sip2.models import KioskAccount, PatronPin, Sip2Settings
from shelfwise.sip2.services import kiosk_authenticate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

ALLOWED_MANAGE = {"librarian", "district_admin"}


@pytest.mark.parametrize(
    "who", ["librarian", "district_admin", "teacher", "ell", "aide", "student", "outsider"]
)
def test_only_the_librarian_manages_kiosks(client, personas, who):
    client.force_login(getattr(personas, who))
    pages = ["/sip2/", "/sip2/kiosks/new/"]
    for url in pages:
        response = client.get(url)
        expected = 200 if who in ALLOWED_MANAGE else 403
        if who == "outsider":
            expected = 200  # a librarian, of their own school (OAK)
        assert response.status_code == expected, (who, url)
    posted = client.post(
        "/sip2/kiosks/new/",
        {
            "login_id": f"k-{who}",
            "password": "long enough password",
            "location_code": "FRONT",
            "language": "en",
            "max_connections": 2,
        },
    )
    created = KioskAccount.objects.filter(login_id=f"k-{who}").first()
    if who in ALLOWED_MANAGE or who == "outsider":
        assert posted.status_code == 302 and created is not None
        school = personas.other_school if who == "outsider" else personas.school
        assert created.school == school
    else:
        assert posted.status_code == 403 and created is None


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/sip2/").status_code == 302
    assert client.get("/sip2/pin/").status_code == 302


def test_librarian_adds_edits_rekeys_and_removes_a_kiosk(client, personas):
    client.force_login(personas.librarian)
    page = client.post(
        "/sip2/kiosks/new/",
        {
            "login_id": "front",
            "password": "short",
            "location_code": "FRONT",
            "language": "es",
            "max_connections": 2,
        },
    )
    assert page.status_code == 200 and not KioskAccount.objects.exists()
    client.post(
        "/sip2/kiosks/new/",
        {
            "login_id": "front",
            "password": "kiosk secret 123",
            "location_code": "FRONT",
            "language": "es",
            "max_connections": 2,
        },
    )
    kiosk = KioskAccount.objects.get()
    assert kiosk.password != "kiosk secret 123" and kiosk.check_password("kiosk secret 123")
    assert kiosk.actor is not None and not kiosk.actor.is_active
    assert not kiosk.actor.has_usable_password() and not kiosk.actor.memberships.exists()
    listing = client.get("/sip2/").content.decode()
    assert "front" in listing and "FRONT" in listing and "kiosk secret" not in listing
    client.post(
        f"/sip2/kiosks/{kiosk.pk}/",
        {"location_code": "BACK", "language": "ar", "max_connections": 3, "active": "on"},
    )
    kiosk.refresh_from_db()
    assert (kiosk.location_code, kiosk.language, kiosk.max_connections) == ("BACK", "ar", 3)
    client.post(f"/sip2/kiosks/{kiosk.pk}/password/", {"password": "another secret 456"})
    assert kiosk_authenticate(login_id="front", password="another secret 456") is not None
    assert kiosk_authenticate(login_id="front", password="kiosk secret 123") is None
    client.post(
        f"/sip2/kiosks/{kiosk.pk}/",
        {"location_code": "BACK", "language": "ar", "max_connections": 3},
    )  # active unticked
    assert kiosk_authenticate(login_id="front", password="another secret 456") is None
    client.post(f"/sip2/kiosks/{kiosk.pk}/remove/")
    assert not KioskAccount.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "sip2.kiosk_create",
        "sip2.kiosk_update",
        "sip2.kiosk_password",
        "sip2.kiosk_delete",
    } <= actions
    assert not any("secret" in str(d) for d in AuditEntry.objects.values_list("detail", flat=True))


def test_a_librarian_cannot_touch_another_schools_kiosk(client, personas):
    from shelfwise.sip2.services import kiosk_create

    theirs = kiosk_create(
        school=personas.other_school,
        login_id="oak-kiosk",
        password="oak kiosk secret",
        location_code="OAK",
        by=personas.outsider,
    )
    client.force_login(personas.librarian)
    assert client.get(f"/sip2/kiosks/{theirs.pk}/").status_code == 404
    assert client.post(f"/sip2/kiosks/{theirs.pk}/remove/").status_code == 404
    assert KioskAccount.objects.filter(pk=theirs.pk).exists()


def test_policy(client, personas):
    client.force_login(personas.librarian)
    client.post("/sip2/policy/", {"patron_auth": "barcode_pin"})
    assert Sip2Settings.for_school(personas.school).patron_auth == "barcode_pin"
    assert Sip2Settings.for_school(personas.other_school).patron_auth == "barcode"
    client.force_login(personas.teacher)
    assert client.post("/sip2/policy/", {"patron_auth": "barcode"}).status_code == 403
    assert Sip2Settings.for_school(personas.school).patron_auth == "barcode_pin"


def test_librarian_sets_a_readers_pin_of_their_school_only(client, personas):
    personas.outsider.patron_barcode = "P0900"
    personas.outsider.save()
    client.force_login(personas.librarian)
    ok = client.post("/sip2/pins/", {"barcode": "P0001", "pin": "1357", "pin_again": "1357"})
    assert ok.status_code == 302
    stored = PatronPin.objects.get(person=personas.student)
    assert stored.pin_hash != "1357" and check_password("1357", stored.pin_hash)
    assert stored.set_by == personas.librarian
    other = client.post("/sip2/pins/", {"barcode": "P0900", "pin": "1357", "pin_again": "1357"})
    assert (
        other.status_code == 400 and not PatronPin.objects.filter(person=personas.outsider).exists()
    )
    mismatch = client.post("/sip2/pins/", {"barcode": "P0001", "pin": "2468", "pin_again": "2469"})
    assert mismatch.status_code == 400
    assert check_password("1357", PatronPin.objects.get(person=personas.student).pin_hash)
    client.force_login(personas.aide)
    assert (
        client.post(
            "/sip2/pins/", {"barcode": "P0001", "pin": "0000", "pin_again": "0000"}
        ).status_code
        == 403
    )


def test_a_student_sets_their_own_pin(client, personas):
    client.force_login(personas.student)
    account = client.get("/circulation/account/").content.decode()
    assert 'href="/sip2/pin/"' in account
    page = client.get("/sip2/pin/")
    assert page.status_code == 200 and "You do not have a PIN yet." in page.content.decode()
    bad = client.post("/sip2/pin/", {"pin": "12ab", "pin_again": "12ab"})
    assert bad.status_code == 200 and "4 to 8 digits" in bad.content.decode()
    assert not PatronPin.objects.exists()
    client.post("/sip2/pin/", {"pin": "24680", "pin_again": "24680"})
    stored = PatronPin.objects.get(person=personas.student)
    assert check_password("24680", stored.pin_hash) and stored.set_by == personas.student
    assert "24680" not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_someone_without_a_card_has_no_pin_to_set(client, personas):
    client.force_login(personas.teacher)
    page = client.get("/sip2/pin/")
    assert "You do not have a library card yet" in page.content.decode()
    client.post("/sip2/pin/", {"pin": "1234", "pin_again": "1234"})
    assert not PatronPin.objects.exists()
