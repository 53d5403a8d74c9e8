"""Circulation fixtures: a few titles with copies at the personas' school."""

from __future__ import annotations

import pytest

from shelfwise.catalog.services import item_create, record_create
from shelfwise.marc.build import build_record


@pytest.fixture
def shelf(personas):
    """Three titles; the first has two copies at LMS, the others one each."""
    records = [
        record_create(
            marc_record=build_record(title=title, authors=[author]), by=personas.librarian
        )
        for title, author in [
            ("Los volcanes", "Rivera, Ana"),
            ("Hatchet", "Paulsen, Gary"),
            ("Wonder", "Palacio, R. J."),
        ]
    ]
    items = [
        item_create(
            record=records[0], school=personas.school, by=personas.librarian, barcode="T0001"
        ),
        item_create(
            record=records[0], school=personas.school, by=personas.librarian, barcode="T0002"
        ),
        item_create(
            record=records[1], school=personas.school, by=personas.librarian, barcode="T0003"
        ),
        item_create(
            record=records[2], school=personas.school, by=personas.librarian, barcode="T0004"
        ),
    ]
    return records, items


@pytest.fixture
def aide_on_shift(personas):
    """The aide holds the desk only during a shift (issue 7): give them one now."""
    from tests.programs.shifts import give_current_shift

    return give_current_shift(personas.aide, personas.school)
