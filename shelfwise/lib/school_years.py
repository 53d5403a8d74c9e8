"""School years as people name them ("2026-27"): which one a date falls in, and its bounds.

Decision: a school year runs from 1 July to 30 June (the US federal and most
state reporting years); DOMAIN.md is silent and schools' own first and last
days vary, so July–June is the one boundary every report can agree on.
"""

from __future__ import annotations

import re
from datetime import date

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_MONTH = 7


def school_year_of(day: date) -> str:
    """ "2026-27" for any date from 1 July 2026 to 30 June 2027."""
    start = day.year if day.month >= FIRST_MONTH else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def school_year_bounds(label: str) -> tuple[date, date]:
    """(first day, first day of the next year) of a label such as "2026-27"."""
    match = _LABEL.match(label or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"{label!r} is not a school year such as 2026-27")
    start = int(match[1])
    return date(start, FIRST_MONTH, 1), date(start + 1, FIRST_MONTH, 1)
