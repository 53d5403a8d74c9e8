"""Instruction's "this school year" is lib/school_years' July–June year, like every report."""

from __future__ import annotations

from datetime import date

from shelfwise.instruction.selectors import school_year_start


def test_july_starts_the_new_school_year():
    assert school_year_start(date(2026, 7, 1)) == date(2026, 7, 1)
    assert school_year_start(date(2026, 7, 15)) == date(2026, 7, 1)
    assert school_year_start(date(2027, 6, 30)) == date(2026, 7, 1)
    assert school_year_start(date(2026, 6, 30)) == date(2025, 7, 1)
