"""The librarian's dashboard: this week and the school year so far, from each app's own selectors.

Nothing here queries another app's models: every figure comes from that
app's selectors (instruction, circulation, learning, programs), so the
dashboard, the app's own pages and the annual report agree. An app whose
selectors are missing (not installed, or renamed) leaves its section out
instead of breaking the page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shelfwise.lib.school_years import school_year_bounds, school_year_of

log = logging.getLogger(__name__)


@dataclass
class Dashboard:
    today: date
    week_start: date
    week_end: date  # exclusive
    school_year: str
    sections: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def _instruction(school: Any, today: date) -> dict[str, Any]:
    from shelfwise.instruction.selectors import librarian_overview

    overview = librarian_overview(school=school, today=today)
    return {
        "waiting": overview.waiting,
        "this_week": overview.this_week,
        "bookings": overview.week_bookings,
        "teachers_reached": len(overview.teachers),
        "departments_reached": len(overview.departments),
        "counts": overview.counts,
    }


def _circulation(school: Any, today: date) -> dict[str, Any]:
    from shelfwise.circulation.selectors import overdue_for_school, school_holds

    groups = overdue_for_school(school=school, today=today)
    people = sum(len(group.rows) for group in groups)
    items = sum(row.count for group in groups for row in group.rows)
    ready, waiting = school_holds(school=school)
    return {
        "overdue_people": people,
        "overdue_items": items,
        "holds_waiting": waiting,
        "holds_ready": ready,
    }


def _learning(school: Any, start: datetime, end: datetime, year: str) -> dict[str, Any]:
    from shelfwise.learning.selectors import sessions_between, year_totals

    return {
        "sessions": list(sessions_between(school=school, start=start, end=end)),
        "year": year_totals(school=school, school_year=year),
    }


def _programs(school: Any, monday: date, sunday: date, year: str) -> dict[str, Any]:
    from shelfwise.programs.selectors import aide_totals, shifts_of_school, visit_counts

    first, after = school_year_bounds(year)
    last = min(after - timedelta(days=1), sunday)
    aides = aide_totals(school=school, start=first, end=last)
    return {
        "shifts": list(
            shifts_of_school(school=school, start=monday, end=sunday).order_by("date", "starts_at")
        ),
        "aides": aides["aides"],
        "aide_hours": aides["hours"],
        "visits": visit_counts(school=school, start=first, end=last)["total"],
    }


def librarian_dashboard(*, school: Any, now: datetime) -> Dashboard:
    zone = ZoneInfo(school.timezone)
    today = now.astimezone(zone).date()
    monday, next_monday = _week(today)
    year = school_year_of(today)
    board = Dashboard(today=today, week_start=monday, week_end=next_monday, school_year=year)
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(next_monday, time.min, tzinfo=zone)
    parts = {
        "instruction": lambda: _instruction(school, today),
        "circulation": lambda: _circulation(school, today),
        "learning": lambda: _learning(school, start, end, year),
        "programs": lambda: _programs(school, monday, next_monday - timedelta(days=1), year),
    }
    for name, build in parts.items():
        try:
            board.sections[name] = build()
        except ImportError:
            # The app (or the selector this reads) is not there: leave the section out.
            log.info("dashboard: %s selectors unavailable", name)
            board.missing.append(name)
    return board
