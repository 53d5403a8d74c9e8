"""The librarian's dashboard: who may open it, and that its figures are the apps' own."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shelfwise.reports.dashboard import librarian_dashboard

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("librarian", 200),
        ("district_admin", 200),
        ("teacher", 403),
        ("ell", 403),
        ("aide", 403),
        ("student", 403),
    ],
)
def test_only_the_librarian_opens_the_dashboard(client, personas, name, status):
    client.force_login(getattr(personas, name))
    assert client.get(reverse("reports:dashboard")).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_this_weeks_session_and_the_years_hours(client, personas):
    from shelfwise.learning import services

    now = timezone.now()
    session = services.session_create(
        school=personas.school,
        by=personas.librarian,
        title="Dashboard PLC",
        objectives="Look at data",
        audience="All staff",
        format="plc",
        starts_at=now + timedelta(minutes=1),
        ends_at=now + timedelta(hours=1),
        location="Library",
        capacity=5,
        hours=Decimal("1.25"),
    )
    services.attendance_mark(session=session, person=personas.teacher, by=None, attended=True)
    board = librarian_dashboard(school=personas.school, now=now)
    # A session starting in a minute could fall in next week on a Sunday at midnight: rare.
    if board.week_start <= timezone.localdate(session.starts_at) < board.week_end:
        assert [s.title for s in board.sections["learning"]["sessions"]] == ["Dashboard PLC"]
    assert board.sections["learning"]["year"]["hours"] == Decimal("1.25")
    client.force_login(personas.librarian)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "1.25" in html
    assert "&lt;5" in html  # one attendee, masked
