"""Booking library spaces on the school's bell schedule: checks, conflicts, weekly series.

A request (one day or the same slot for N weeks) is checked whole before
anything is written: closed days, the past, the bell schedule, and
overlaps with other bookings of the space. Any problem refuses the whole
request with every reason listed, so nothing is half-saved. The space row
is locked while checking and writing, so two people booking the same slot
at once get one booking and one refusal.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shelfwise.audit.services import audit_log
from shelfwise.instruction.models import Booking, BookingSeries, Collaboration, Space
from shelfwise.lib.calendars import is_open
from shelfwise.people.models import SchoolClass
from shelfwise.schools.models import BellPeriod, School

MAX_WEEKS = 40


class BookingError(Exception):
    """A refused booking request; `problems` are messages, `conflicts` the bookings in the way."""

    def __init__(self, problems: list[str], conflicts: list[Booking] | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.conflicts = conflicts or []


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    period: BellPeriod | None = None
    day: date = field(init=False)

    def __post_init__(self) -> None:
        self.day = self.starts_at.date()


def school_tz(school: School) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(school.timezone)


def school_now(school: School) -> datetime:
    return timezone.now().astimezone(school_tz(school))


def day_bounds(school: School, first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    tz = school_tz(school)
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last_exclusive, time.min, tzinfo=tz),
    )


def bookings_between(
    *, school: School, first: date, last_exclusive: date, space: Space | None = None
):
    start, end = day_bounds(school, first, last_exclusive)
    qs = Booking.objects.filter(space__school=school, starts_at__lt=end, ends_at__gt=start)
    if space is not None:
        qs = qs.filter(space=space)
    return qs.select_related(
        "space", "period", "collaboration", "school_class", "booked_by"
    ).order_by("starts_at", "space__name")


def _describe(booking: Booking, tz) -> str:
    start = booking.starts_at.astimezone(tz)
    end = booking.ends_at.astimezone(tz)
    return _("%(title)s in %(space)s on %(day)s, %(start)s–%(end)s (booked by %(who)s)") % {
        "title": booking.title,
        "space": booking.space.name,
        "day": date_format(start.date(), "DATE_FORMAT"),
        "start": time_format(start.time(), "TIME_FORMAT"),
        "end": time_format(end.time(), "TIME_FORMAT"),
        "who": booking.booked_by,
    }


def describe_booking(booking: Booking) -> str:
    return _describe(booking, school_tz(booking.space.school))


def plan_slots(
    *,
    school: School,
    day: date,
    period: BellPeriod | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    weeks: int = 1,
) -> list[Slot]:
    """The concrete times of a request, or BookingError for a malformed one."""
    if weeks < 1 or weeks > MAX_WEEKS:
        raise BookingError([_("Repeat for 1 to %(max)s weeks.") % {"max": MAX_WEEKS}])
    periods = list(BellPeriod.objects.filter(school=school).order_by("order"))
    if period is not None:
        if start_time or end_time:
            raise BookingError([_("Choose a period or a time range, not both.")])
        if period.school_id != school.pk:
            raise BookingError([_("That period is not on this school's bell schedule.")])
        start_time, end_time = period.starts_at, period.ends_at
    else:
        if start_time is None or end_time is None:
            raise BookingError([_("Choose a period, or give both a start and an end time.")])
        if end_time <= start_time:
            raise BookingError([_("The end time must be after the start time.")])
        # Decision: a school without a bell schedule has no "outside" to refuse;
        # its time ranges are only checked against closed days and the past.
        if periods:
            opens, closes = periods[0].starts_at, max(p.ends_at for p in periods)
            if start_time < opens or end_time > closes:
                raise BookingError(
                    [
                        _(
                            "%(start)s–%(end)s is outside the bell schedule "
                            "(%(opens)s to %(closes)s)."
                        )
                        % {
                            "start": time_format(start_time, "TIME_FORMAT"),
                            "end": time_format(end_time, "TIME_FORMAT"),
                            "opens": time_format(opens, "TIME_FORMAT"),
                            "closes": time_format(closes, "TIME_FORMAT"),
                        }
                    ]
                )
    tz = school_tz(school)
    return [
        Slot(
            starts_at=datetime.combine(day + timedelta(weeks=i), start_time, tzinfo=tz),
            ends_at=datetime.combine(day + timedelta(weeks=i), end_time, tzinfo=tz),
            period=period,
        )
        for i in range(weeks)
    ]


def booking_create(
    *,
    space: Space,
    by,
    title: str,
    day: date,
    period: BellPeriod | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    weeks: int = 1,
    collaboration: Collaboration | None = None,
    school_class: SchoolClass | None = None,
    now: datetime | None = None,
) -> list[Booking]:
    """Book `space` once or weekly for `weeks` weeks: all the bookings, or BookingError."""
    school = space.school
    title = title.strip()
    if not title:
        raise BookingError([_("Give the booking a title.")])
    if not space.active:
        raise BookingError([_("This space is not bookable.")])
    from shelfwise.instruction.selectors import collaboration_can_edit
    from shelfwise.people.permissions import has_perm

    if not has_perm(by, "instruction.book", school):
        raise BookingError([_("You cannot book library spaces in this school.")])
    if collaboration is not None and collaboration.school_id != school.pk:
        raise BookingError([_("That collaboration belongs to another school.")])
    if collaboration is not None and not collaboration_can_edit(by, collaboration):
        raise BookingError([_("You are not part of that collaboration.")])
    if school_class is not None and school_class.school_id != school.pk:
        raise BookingError([_("That class belongs to another school.")])
    slots = plan_slots(
        school=school,
        day=day,
        period=period,
        start_time=start_time,
        end_time=end_time,
        weeks=weeks,
    )
    tz = school_tz(school)
    now = (now or timezone.now()).astimezone(tz)
    closed = set(
        school.closed_days.filter(date__gte=slots[0].day, date__lte=slots[-1].day).values_list(
            "date", flat=True
        )
    )
    problems: list[str] = []
    for slot in slots:
        label = date_format(slot.day, "DATE_FORMAT")
        if slot.starts_at < now:
            problems.append(
                _("%(day)s at %(time)s is in the past.")
                % {
                    "day": label,
                    "time": time_format(slot.starts_at.time(), "TIME_FORMAT"),
                }
            )
        if not is_open(slot.day, closed):
            reason = (
                school.closed_days.filter(date=slot.day).values_list("reason", flat=True).first()
            )
            if reason:
                problems.append(
                    _("The library is closed on %(day)s (%(reason)s).")
                    % {"day": label, "reason": reason}
                )
            else:
                problems.append(_("The library is closed on %(day)s.") % {"day": label})
    if problems:
        raise BookingError(problems)

    with transaction.atomic():
        Space.objects.select_for_update().get(pk=space.pk)
        conflicts: list[Booking] = []
        for slot in slots:
            conflicts.extend(
                Booking.objects.filter(
                    space=space, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
                ).select_related("space", "booked_by")
            )
        if conflicts:
            raise BookingError(
                [
                    _("%(space)s is already booked: %(booking)s.")
                    % {"space": space.name, "booking": _describe(b, tz)}
                    for b in conflicts
                ],
                conflicts,
            )
        series = BookingSeries.objects.create(created_by=by, weeks=weeks) if weeks > 1 else None
        made = [
            Booking.objects.create(
                space=space,
                title=title,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                period=slot.period,
                collaboration=collaboration,
                school_class=school_class,
                series=series,
                booked_by=by,
            )
            for slot in slots
        ]
        audit_log(
            actor=by,
            action="instruction.book",
            obj=made[0],
            school=school,
            count=len(made),
            series=series.pk if series else None,
        )
        if collaboration is not None:
            from shelfwise.instruction.services import notify

            notify(
                collaboration=collaboration,
                actor=by,
                subject=gettext_noop("Library time booked for %(title)s"),
                body=gettext_noop(
                    "%(actor)s booked %(space)s for “%(title)s”, %(count)s time(s) from %(first)s."
                ),
                params={
                    "space": space.name,
                    "count": len(made),
                    "first": _describe_start(made[0], tz),
                },
            )
    return made


def _describe_start(booking: Booking, tz) -> str:
    start = booking.starts_at.astimezone(tz)
    return f"{date_format(start.date(), 'DATE_FORMAT')} {time_format(start.time(), 'TIME_FORMAT')}"


def booking_cancel(*, booking: Booking, by, whole_series: bool = False) -> int:
    """Delete a booking (or what is left of its series from it on); returns how many."""
    with transaction.atomic():
        if whole_series and booking.series_id:
            qs = Booking.objects.filter(
                series_id=booking.series_id, starts_at__gte=booking.starts_at
            )
        else:
            qs = Booking.objects.filter(pk=booking.pk)
        audit_log(
            actor=by,
            action="instruction.cancel_booking",
            obj=booking,
            school=booking.space.school,
            count=qs.count(),
        )
        collaboration = booking.collaboration
        count, _detail = qs.delete()
        if collaboration is not None:
            from shelfwise.instruction.services import notify

            notify(
                collaboration=collaboration,
                actor=by,
                subject=gettext_noop("Library time cancelled for %(title)s"),
                body=gettext_noop(
                    "%(actor)s cancelled %(count)s booking(s) of %(space)s for “%(title)s” "
                    "from %(first)s."
                ),
                params={
                    "space": booking.space.name,
                    "count": count,
                    "first": _describe_start(booking, school_tz(booking.space.school)),
                },
            )
    return count


def booking_can_change(person, booking: Booking) -> bool:
    from shelfwise.instruction.selectors import collaboration_can_edit
    from shelfwise.people.permissions import has_perm

    if has_perm(person, "instruction.manage", booking.space.school_id):
        return True
    if booking.booked_by_id == person.pk and has_perm(
        person, "instruction.book", booking.space.school_id
    ):
        return True
    return booking.collaboration is not None and collaboration_can_edit(
        person, booking.collaboration
    )


def space_create(*, school: School, by, name: str, kind: str, capacity: int | None) -> Space:
    with transaction.atomic():
        space = Space(school=school, name=name.strip(), kind=kind, capacity=capacity)
        space.full_clean()
        space.save()
        audit_log(actor=by, action="instruction.space_add", obj=space, school=school)
    return space


def week_grid(*, school: School, monday: date, days: int = 5, space: Space | None = None):
    """Rows of the week view: one per bell period (or one "bookings" row), a cell per day."""
    dates = [monday + timedelta(days=i) for i in range(days)]
    bookings = list(
        bookings_between(
            school=school, first=dates[0], last_exclusive=dates[-1] + timedelta(days=1), space=space
        )
    )
    tz = school_tz(school)
    closed = dict(
        school.closed_days.filter(date__gte=dates[0], date__lte=dates[-1]).values_list(
            "date", "reason"
        )
    )
    periods = list(BellPeriod.objects.filter(school=school).order_by("order"))
    rows = []
    placed: set[int] = set()
    for period in periods:
        cells = []
        for d in dates:
            start = datetime.combine(d, period.starts_at, tzinfo=tz)
            end = datetime.combine(d, period.ends_at, tzinfo=tz)
            here = [b for b in bookings if b.starts_at < end and b.ends_at > start]
            placed.update(b.pk for b in here)
            cells.append({"date": d, "bookings": here, "closed": d in closed})
        rows.append({"period": period, "cells": cells})
    others = [b for b in bookings if b.pk not in placed]
    if others or not periods:
        cells = []
        for d in dates:
            cells.append(
                {
                    "date": d,
                    "bookings": [b for b in others if b.starts_at.astimezone(tz).date() == d],
                    "closed": d in closed,
                }
            )
        rows.append({"period": None, "cells": cells})
    return {"dates": dates, "rows": rows, "closed": closed, "bookings": bookings}
