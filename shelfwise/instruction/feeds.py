"""iCalendar feeds of bookings, per person and per space, behind a secret token.

Built with the `icalendar` library. Each booking is one VEVENT whose UID
never changes; SEQUENCE and LAST-MODIFIED move whenever the booking or its
collaboration changes, so subscribed calendars replace the old event.
Resetting a token makes the old URL answer 404 at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from shelfwise.audit.services import audit_log
from shelfwise.instruction.models import Booking, FeedToken, Space, new_feed_token
from shelfwise.learning.ical import add_person_sessions

# Past events stay in a feed for a term; older ones only make feeds heavy.
FEED_PAST_DAYS = 120


def feed_token_for(*, person=None, space: Space | None = None) -> FeedToken:
    if (person is None) == (space is None):
        raise ValueError("a feed belongs to a person or a space")
    lookup = {"person": person} if person is not None else {"space": space}
    token, _created = FeedToken.objects.get_or_create(**lookup)
    return token


def feed_token_reset(*, token: FeedToken, by) -> FeedToken:
    with transaction.atomic():
        token.token = new_feed_token()
        token.save(update_fields=["token", "created_at"])
        audit_log(
            actor=by,
            action="instruction.feed_reset",
            obj=token,
            school=token.space.school if token.space_id else None,
        )
    return token


def feed_bookings(token: FeedToken):
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    qs = Booking.objects.filter(ends_at__gte=since)
    if token.space_id:
        qs = qs.filter(space_id=token.space_id)
    else:
        person = token.person
        qs = qs.filter(
            Q(booked_by=person) | Q(collaboration__participants__person=person)
        ).distinct()
    return qs.select_related("space", "space__school", "collaboration", "period").order_by(
        "starts_at"
    )


def booking_uid(booking: Booking) -> str:
    host = getattr(settings, "CALENDAR_UID_DOMAIN", "shelfwise.invalid")
    return f"booking-{booking.pk}@{host}"


def feed_calendar(token: FeedToken, *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Shelfwise//School library//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for booking in feed_bookings(token):
        event = Event()
        event.add("uid", booking_uid(booking))
        collab = booking.collaboration
        summary = booking.title
        description = []
        modified = booking.updated_at
        if collab is not None:
            description.append(f"{collab.title} ({collab.get_status_display()})")
            if collab.learning_goals:
                description.append(collab.learning_goals)
            modified = max(modified, collab.updated_at)
        if booking.period_id:
            description.append(str(booking.period.name))
        event.add("summary", summary)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("dtstamp", timezone.now())
        event.add("created", booking.created_at)
        event.add("last-modified", modified)
        event.add("sequence", booking.sequence)
        event.add("location", f"{booking.space.name}, {booking.space.school.name}")
        if description:
            event.add("description", "\n".join(description))
        if collab is not None and collab.status == "declined":
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    if token.person_id:
        add_person_sessions(cal, person=token.person)  # professional learning (issue 7)
    return cal.to_ical()
