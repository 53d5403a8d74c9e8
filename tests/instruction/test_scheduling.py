"""Booking library spaces: periods, time ranges, weekly series, conflicts, closed days, the past."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from shelfwise.audit.models import AuditEntry
from shelfwise.instruction.models import Booking, BookingSeries, Space
from shelfwise.instruction.scheduling import BookingError, booking_cancel, booking_create, week_grid
from shelfwise.schools.models import ClosedDay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

# A fixed "now": Monday 2 March 2026, 07:00 in New York.
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def space(personas):
    return Space.objects.create(school=personas.school, name="Instruction area", kind="instruction")


def book(personas, space, **kw):
    kw.setdefault("title", "Research")
    kw.setdefault("day", TUESDAY)
    return booking_create(space=space, by=personas.teacher, now=NOW, **kw)


def test_one_period(personas, roster, space):
    (b,) = book(personas, space, period=roster["periods"][2])
    assert b.period == roster["periods"][2]
    assert b.starts_at.astimezone().hour is not None
    local = b.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.date(), local.time()) == (TUESDAY, time(10, 0))
    assert b.series is None
    assert AuditEntry.objects.filter(action="instruction.book").count() == 1


def test_every_tuesday_third_period_for_six_weeks(personas, roster, space, collab):
    made = book(personas, space, period=roster["periods"][2], weeks=6, collaboration=collab)
    assert [b.starts_at.date() for b in made] == [TUESDAY + timedelta(weeks=i) for i in range(6)]
    assert len({b.series_id for b in made}) == 1 and made[0].series.weeks == 6
    assert collab.bookings.count() == 6


def test_conflict_refused_showing_the_other_booking(personas, roster, space):
    (first,) = booking_create(
        space=space,
        by=personas.librarian,
        title="Book fair setup",
        day=TUESDAY + timedelta(weeks=3),
        start_time=time(10, 30),
        end_time=time(11, 30),
        now=NOW,
    )
    with pytest.raises(BookingError) as err:
        book(personas, space, period=roster["periods"][2], weeks=6)
    assert err.value.conflicts == [first]
    assert "Book fair setup" in err.value.problems[0] and "already booked" in err.value.problems[0]
    # Nothing of the series was saved.
    assert Booking.objects.count() == 1 and not BookingSeries.objects.exists()


def test_back_to_back_is_not_a_conflict(personas, roster, space):
    book(personas, space, period=roster["periods"][1])
    book(personas, space, period=roster["periods"][2])
    book(personas, space, start_time=time(9, 50), end_time=time(10, 0))
    assert Booking.objects.count() == 3


def test_another_space_is_free(personas, roster, space):
    lab = Space.objects.create(school=personas.school, name="Lab", kind="computer_lab")
    book(personas, space, period=roster["periods"][2])
    book(personas, lab, period=roster["periods"][2])
    assert Booking.objects.count() == 2


def test_closed_day_in_a_series_refuses_all(personas, roster, space):
    ClosedDay.objects.create(
        school=personas.school, date=TUESDAY + timedelta(weeks=2), reason="Spring break"
    )
    with pytest.raises(BookingError) as err:
        book(personas, space, period=roster["periods"][2], weeks=4)
    assert any("closed" in p and "Spring break" in p for p in err.value.problems)
    assert not Booking.objects.exists()


def test_weekend_is_closed(personas, roster, space):
    with pytest.raises(BookingError, match="closed"):
        book(personas, space, period=roster["periods"][0], day=date(2026, 3, 7))


def test_the_past_is_refused(personas, roster, space):
    with pytest.raises(BookingError, match="in the past"):
        book(personas, space, period=roster["periods"][0], day=date(2026, 2, 27))
    # Earlier today (07:00 local now, so period 1 at 08:00 is still ahead; 06:00 is not).
    book(personas, space, period=roster["periods"][0], day=date(2026, 3, 2))
    with pytest.raises(BookingError, match="outside the bell schedule"):
        book(personas, space, start_time=time(6, 0), end_time=time(6, 30), day=date(2026, 3, 2))


@pytest.mark.parametrize(
    "start,end,message",
    [
        (time(7, 0), time(8, 30), "outside the bell schedule"),
        (time(11, 30), time(12, 30), "outside the bell schedule"),
        (time(10, 0), time(9, 0), "after the start"),
        (None, time(9, 0), "Choose a period"),
    ],
)
def test_bad_time_ranges(personas, roster, space, start, end, message):
    with pytest.raises(BookingError, match=message):
        book(personas, space, start_time=start, end_time=end)
    assert not Booking.objects.exists()


def test_period_and_times_together_are_refused(personas, roster, space):
    with pytest.raises(BookingError, match="not both"):
        book(
            personas,
            space,
            period=roster["periods"][0],
            start_time=time(8, 0),
            end_time=time(8, 30),
        )


def test_another_schools_period_collaboration_or_class(personas, roster, space):
    from shelfwise.schools.models import BellPeriod

    oak = BellPeriod.objects.create(
        school=personas.other_school, name="P1", order=1, starts_at=time(8), ends_at=time(9)
    )
    with pytest.raises(BookingError, match="bell schedule"):
        book(personas, space, period=oak)
    with pytest.raises(BookingError, match="another school"):
        book(personas, space, period=roster["periods"][0], school_class=roster["other_class"])


@pytest.mark.parametrize("weeks", [0, 41])
def test_weeks_bounds(personas, roster, space, weeks):
    with pytest.raises(BookingError, match="weeks"):
        book(personas, space, period=roster["periods"][0], weeks=weeks)


def test_inactive_space_and_empty_title(personas, roster, space):
    with pytest.raises(BookingError, match="title"):
        book(personas, space, period=roster["periods"][0], title="  ")
    space.active = False
    space.save()
    with pytest.raises(BookingError, match="not bookable"):
        book(personas, space, period=roster["periods"][0])


def test_cancel_one_or_the_rest_of_a_series(personas, roster, space):
    made = book(personas, space, period=roster["periods"][2], weeks=4)
    assert booking_cancel(booking=made[0], by=personas.teacher) == 1
    assert booking_cancel(booking=made[2], by=personas.teacher, whole_series=True) == 2
    assert list(Booking.objects.all()) == [made[1]]


def test_week_grid_places_bookings_by_period_and_marks_closed_days(personas, roster, space):
    ClosedDay.objects.create(school=personas.school, date=date(2026, 3, 6), reason="PD day")
    book(personas, space, period=roster["periods"][2])
    book(personas, space, start_time=time(9, 50), end_time=time(10, 0), title="Quick visit")
    grid = week_grid(school=personas.school, monday=date(2026, 3, 2))
    assert len(grid["dates"]) == 5
    third = grid["rows"][2]
    assert [len(c["bookings"]) for c in third["cells"]] == [0, 1, 0, 0, 0]
    assert grid["rows"][-1]["period"] is None  # "other times" row holds the off-period visit
    assert [c["closed"] for c in third["cells"]] == [False, False, False, False, True]


@pytest.mark.parametrize("who", ["student", "aide", "outsider"])
def test_only_staff_of_the_school_book(personas, roster, space, who):
    with pytest.raises(BookingError, match="cannot book"):
        booking_create(
            space=space,
            by=getattr(personas, who),
            title="X",
            day=TUESDAY,
            period=roster["periods"][0],
            now=NOW,
        )
    assert not Booking.objects.exists()


def test_a_collaboration_is_linked_only_by_its_people(personas, roster, space, collab):
    with pytest.raises(BookingError, match="not part of"):
        booking_create(
            space=space,
            by=personas.ell,
            title="X",
            day=TUESDAY,
            period=roster["periods"][0],
            collaboration=collab,
            now=NOW,
        )
    booking_create(
        space=space,
        by=personas.librarian,
        title="X",
        day=TUESDAY,
        period=roster["periods"][0],
        collaboration=collab,
        now=NOW,
    )
    assert collab.bookings.count() == 1


def test_booking_and_cancelling_for_a_collaboration_tells_its_people(
    personas, roster, space, collab
):
    from shelfwise.instruction.models import Notification

    made = booking_create(
        space=space,
        by=personas.librarian,
        title="Databases",
        day=TUESDAY,
        period=roster["periods"][2],
        weeks=3,
        collaboration=collab,
        now=NOW,
    )
    note = Notification.objects.filter(person=personas.teacher).first()
    assert note.subject == "Library time booked for Ecosystems research"
    assert "Instruction area" in note.body and "3 time(s)" in note.body
    booking_cancel(booking=made[1], by=personas.librarian, whole_series=True)
    note = Notification.objects.filter(person=personas.teacher).first()
    assert note.subject == "Library time cancelled for Ecosystems research"
    assert "2 booking(s)" in note.body


@pytest.mark.django_db(transaction=True)
def test_four_people_booking_the_same_slot_at_once_make_one_booking(personas, roster, space):
    """Real threads, real connections: the space's row lock lets one booking through."""
    import threading

    from django.db import connection, connections

    assert "memory" not in str(connection.settings_dict["NAME"])
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    people = [personas.librarian, personas.teacher, personas.ell, personas.district_admin]

    def attempt(person):
        try:
            barrier.wait()
            booking_create(
                space=space,
                by=person,
                title=f"by {person.username}",
                day=TUESDAY,
                period=roster["periods"][2],
                weeks=2,
                now=NOW,
            )
            outcomes.append("booked")
        except BookingError as exc:
            outcomes.append("conflict" if exc.conflicts else "other")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked"] + ["conflict"] * 3
    assert Booking.objects.count() == 2
