"""iCalendar feeds: who is in them, stable UIDs, SEQUENCE moves on change, token reset."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from shelfwise.instruction import feeds, services
from shelfwise.instruction.models import Space
from shelfwise.instruction.scheduling import booking_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    # Autouse: runs before the personas and the collaboration are made.
    time_machine.move_to(NOW)


@pytest.fixture
def booked(personas, roster, collab):
    space = Space.objects.create(
        school=personas.school, name="Instruction area", kind="instruction"
    )
    made = booking_create(
        space=space,
        by=personas.librarian,
        title="Ecosystems: databases",
        day=date(2026, 3, 3),
        period=roster["periods"][2],
        weeks=3,
        collaboration=collab,
        now=NOW,
    )
    other = booking_create(
        space=space,
        by=personas.ell,
        title="Newcomer tour",
        day=date(2026, 3, 4),
        period=roster["periods"][0],
        now=NOW,
    )
    return space, made, other


def events(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_person_feed_has_their_collaborations_bookings(client, personas, booked):
    token = feeds.feed_token_for(person=personas.teacher)
    response = client.get(reverse("instruction:feed", args=[token.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    evs = events(response.content)
    assert [str(e["summary"]) for e in evs] == ["Ecosystems: databases"] * 3
    assert all("Instruction area" in str(e["location"]) for e in evs)
    # The ELL specialist's feed has only their own booking.
    token = feeds.feed_token_for(person=personas.ell)
    evs = events(client.get(reverse("instruction:feed", args=[token.token])).content)
    assert [str(e["summary"]) for e in evs] == ["Newcomer tour"]


def test_space_feed_has_every_booking_of_the_space(client, personas, booked):
    space, _made, _other = booked
    token = feeds.feed_token_for(space=space)
    evs = events(client.get(reverse("instruction:feed", args=[token.token])).content)
    assert len(evs) == 4


def test_events_update_when_the_plan_changes(client, personas, booked, collab, time_machine):
    token = feeds.feed_token_for(person=personas.teacher)
    url = reverse("instruction:feed", args=[token.token])
    before = {str(e["uid"]): e for e in events(client.get(url).content)}
    time_machine.move_to(datetime(2026, 3, 2, 13, 0, tzinfo=UTC))
    services.collaboration_transition(collaboration=collab, by=personas.librarian, to="planning")
    after = {str(e["uid"]): e for e in events(client.get(url).content)}
    assert before.keys() == after.keys()  # stable UIDs
    for uid in before:
        assert int(after[uid]["sequence"]) == int(before[uid]["sequence"]) + 1
        assert after[uid]["last-modified"].dt > before[uid]["last-modified"].dt
        assert "Planning" in str(after[uid]["description"])


def test_reset_token_kills_the_old_url(client, personas, booked):
    token = feeds.feed_token_for(person=personas.teacher)
    old = token.token
    client.force_login(personas.teacher)
    assert client.post(reverse("instruction:feed_reset")).status_code == 302
    token.refresh_from_db()
    assert token.token != old
    assert client.get(reverse("instruction:feed", args=[old])).status_code == 404
    assert client.get(reverse("instruction:feed", args=[token.token])).status_code == 200


def test_only_the_librarian_resets_a_space_feed(client, personas, booked):
    space = booked[0]
    token = feeds.feed_token_for(space=space)
    old = token.token
    client.force_login(personas.teacher)
    assert client.post(reverse("instruction:feed_reset"), {"space": space.pk}).status_code == 403
    token.refresh_from_db()
    assert token.token == old
    client.force_login(personas.librarian)
    assert client.post(reverse("instruction:feed_reset"), {"space": space.pk}).status_code == 302
    token.refresh_from_db()
    assert token.token != old


def test_unknown_token_and_inactive_person(client, personas, booked):
    assert client.get(reverse("instruction:feed", args=["nope"])).status_code == 404
    token = feeds.feed_token_for(person=personas.teacher)
    personas.teacher.is_active = False
    personas.teacher.save()
    assert client.get(reverse("instruction:feed", args=[token.token])).status_code == 404


def test_feeds_page_shows_the_address(client, personas):
    client.force_login(personas.teacher)
    page = client.get(reverse("instruction:feeds")).content.decode()
    token = feeds.feed_token_for(person=personas.teacher)
    assert token.token in page
