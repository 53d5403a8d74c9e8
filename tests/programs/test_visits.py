"""Library visits: the sign-in kiosk counts a visit per card scan and purpose (no names
kept); an unknown card records nothing; the librarian sees counts by day and purpose."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest
import time_machine

from shelfwise.programs.models import Visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
NY = zoneinfo.ZoneInfo("America/New_York")


def test_a_card_scan_counts_a_visit_with_no_name(personas, client):
    client.force_login(personas.librarian)
    with time_machine.travel(datetime(2026, 11, 5, 23, 30, tzinfo=NY), tick=False):
        response = client.post("/programs/kiosk/", {"barcode": "P0001", "purpose": "study"})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "Welcome, Sami!" in page
    visit = Visit.objects.get()
    assert (visit.purpose, visit.grade_band, str(visit.on)) == ("study", "6-8", "2026-11-05")
    assert not any(
        "Sami" in str(v) or "P0001" in str(v) for v in Visit.objects.values().get().values()
    )


@pytest.mark.parametrize("code", ["P9999", "", "T0001", "x" * 500, "' OR 1=1 --"])
def test_an_unknown_card_records_nothing(personas, client, code):
    client.force_login(personas.aide)
    response = client.post("/programs/kiosk/", {"barcode": code, "purpose": "checkout"})
    assert response.status_code == 200
    assert not Visit.objects.exists()
    if code and len(code) <= 64:
        assert "We do not know this card" in response.content.decode()


def test_a_card_of_another_school_is_unknown_here(personas, client):
    personas.outsider.patron_barcode = "P0999"
    personas.outsider.save()
    client.force_login(personas.librarian)
    response = client.post("/programs/kiosk/", {"barcode": "P0999", "purpose": "study"})
    assert "We do not know this card" in response.content.decode()
    assert not Visit.objects.exists()


def test_counts_by_day_and_purpose_with_csv(personas, client):
    client.force_login(personas.librarian)
    for when, purpose in [
        (datetime(2026, 11, 4, 9, 0, tzinfo=NY), "class"),
        (datetime(2026, 11, 4, 10, 0, tzinfo=NY), "class"),
        (datetime(2026, 11, 5, 9, 0, tzinfo=NY), "checkout"),
    ]:
        with time_machine.travel(when, tick=False):
            client.post("/programs/kiosk/", {"barcode": "P0001", "purpose": purpose})
    html = client.get("/programs/visits/?start=2026-11-01&end=2026-11-07").content.decode()
    assert "3 visits in this period" in html
    csv_text = client.get(
        "/programs/visits/?start=2026-11-01&end=2026-11-07&format=csv"
    ).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Date,With my class,Check out or return books")
    assert lines[1] == "2026-11-04,2,0,0,0,0,2"
    assert lines[2] == "2026-11-05,0,1,0,0,0,1"


@pytest.mark.parametrize("who", ["teacher", "ell", "student"])
def test_kiosk_is_for_librarian_and_aides(personas, client, who):
    client.force_login(getattr(personas, who))
    assert (
        client.post("/programs/kiosk/", {"barcode": "P0001", "purpose": "study"}).status_code == 403
    )
    assert not Visit.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "ell", "aide", "student"])
def test_visit_counts_are_for_the_librarian(personas, client, who):
    client.force_login(getattr(personas, who))
    assert client.get("/programs/visits/").status_code == 403
