"""School calendars: the next day the library is open, for due dates and hold shelves.

Plain functions over a set of closed dates, so circulation, holds and
scheduling agree on what "open" means and tests need no database.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

# Decision: the library is open Monday to Friday; a school that opens on
# Saturdays can list its open weekdays later. DOMAIN.md is silent.
OPEN_WEEKDAYS = frozenset({0, 1, 2, 3, 4})

# A run of closed days longer than this means the calendar is wrong
# (e.g. every day closed); we stop rather than loop forever.
_MAX_CLOSED_RUN = 400


def is_open(
    day: date, closed: Collection[date], open_weekdays: Collection[int] = OPEN_WEEKDAYS
) -> bool:
    return day.weekday() in open_weekdays and day not in closed


def next_open_day(
    day: date, closed: Collection[date], open_weekdays: Collection[int] = OPEN_WEEKDAYS
) -> date:
    """`day` itself if the library is open then, else the first open day after it."""
    for _ in range(_MAX_CLOSED_RUN):
        if is_open(day, closed, open_weekdays):
            return day
        day += timedelta(days=1)
    raise ValueError(f"no open day within {_MAX_CLOSED_RUN} days of {day}")


def due_date(
    start: date,
    loan_days: int,
    closed: Collection[date],
    open_weekdays: Collection[int] = OPEN_WEEKDAYS,
) -> date:
    """Calendar days after `start`, moved forward past weekends and closed days."""
    return next_open_day(start + timedelta(days=loan_days), closed, open_weekdays)


def add_open_days(
    start: date, days: int, closed: Collection[date], open_weekdays: Collection[int] = OPEN_WEEKDAYS
) -> date:
    """The date `days` open days after `start` (a hold shelf counts open days)."""
    day = start
    for _ in range(days):
        day = next_open_day(day + timedelta(days=1), closed, open_weekdays)
    return day
