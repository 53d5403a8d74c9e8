"""Reading-level bands (DOMAIN.md §2, 2012 stretch Lexile and ATOS columns)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shelfwise.search.bands import record_bands
from shelfwise.search.facets import record_facets, subject_value


@pytest.mark.parametrize(
    ("fields", "bands"),
    [
        ({"lexile": 420}, ["2-3"]),
        ({"lexile": 800}, ["2-3", "4-5"]),  # the bands overlap
        ({"lexile": 1000}, ["4-5", "6-8"]),
        ({"lexile": 1150}, ["6-8", "9-10"]),
        ({"lexile": 1200}, ["9-10", "11-12"]),
        ({"lexile": 300}, ["K-1"]),
        ({"lexile": -100}, ["K-1"]),  # BR100L
        ({"lexile": 1500}, ["11-12"]),
        ({"lexile": None, "lexile_code": "BR"}, ["K-1"]),
        ({"lexile": None, "reading_grade_min": Decimal("3.4")}, ["2-3"]),
        ({"lexile": None, "reading_grade_min": 0, "reading_grade_max": 3}, ["K-1", "2-3"]),
        ({"lexile": None, "reading_grade_min": 9, "reading_grade_max": 12}, ["9-10", "11-12"]),
        ({"lexile": None, "ar_level": Decimal("4.3")}, ["2-3"]),
        ({"lexile": None, "ar_level": Decimal("5.0")}, ["2-3", "4-5"]),
        ({"lexile": None}, []),
        # Lexile wins over the other measures
        ({"lexile": 1300, "reading_grade_min": 2, "ar_level": Decimal("2.0")}, ["9-10", "11-12"]),
    ],
)
def test_record_bands(fields, bands) -> None:
    assert record_bands(**fields) == bands


def test_record_facets() -> None:
    pairs = record_facets(
        {
            "languages": ["spa", "eng", "spa"],
            "format": "book",
            "audience": "c",
            "subjects": ["Volcanoes -- Mexico -- Juvenile literature.", "Volcanoes."],
            "lexile": 800,
        }
    )
    assert pairs == [
        ("language", "spa"),
        ("language", "eng"),
        ("format", "book"),
        ("band", "2-3"),
        ("band", "4-5"),
        ("audience", "c"),
        ("subject", "Volcanoes"),
    ]
    assert subject_value("  ") == ""
