"""iCalendar (RFC 5545) for professional learning sessions, built with the `icalendar` library.

`session_event` is the one place a session becomes a VEVENT: the per-session
download and the person's calendar feed (scheduling's secret-URL feed in
shelfwise/instruction/feeds.py, which calls `add_person_sessions`) both use
it, so a session looks the same in every calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vText

PRODID = "-//Shelfwise//Professional learning//EN"
# As the scheduling feed does: past events stay for a term, no longer.
FEED_PAST_DAYS = 120


def session_uid(session) -> str:
    # Stable across edits, so a calendar app updates the event instead of adding one.
    return f"pd-session-{session.pk}@shelfwise"


def session_event(session, *, url: str = "") -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.title)
    description = [session.objectives.strip()]
    if session.link:
        description.append(session.link)
    event.add("description", "\n\n".join(part for part in description if part))
    location = session.location or session.link
    if location:
        event["location"] = vText(location)
    if url:
        event.add("url", url)
    event.add("sequence", 0)
    return event


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def add_person_sessions(calendar: Calendar, *, person) -> int:
    """Add the sessions `person` holds a seat in to their calendar feed; returns how many."""
    from shelfwise.learning.models import Registration

    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    registrations = (
        Registration.objects.filter(
            person=person,
            status=Registration.Status.REGISTERED,
            session__ends_at__gte=since,
        )
        .select_related("session")
        .order_by("session__starts_at")
    )
    n = 0
    for registration in registrations:
        calendar.add_component(session_event(registration.session))
        n += 1
    return n
