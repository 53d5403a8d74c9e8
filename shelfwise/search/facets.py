"""The facets search counts and filters by, and how a record's values become facet values.

Stored facets (one SearchFacet row per value): language (MARC code), format
(catalog Format), band (bands.BAND_ORDER), audience (008/22 code) and
subject (the main heading, without subdivisions: "Volcanoes -- Juvenile
literature" counts as "Volcanoes"). `available` is computed from Item at
query time for the reader's school.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shelfwise.search.bands import BAND_ORDER, record_bands

STORED_FACETS = ("language", "format", "band", "audience", "subject")
AVAILABLE = "available"
FACETS = (*STORED_FACETS, AVAILABLE)
SUBJECT_LIMIT = 20
MAX_VALUE = 255

# Record columns the facet values come from.
RECORD_FIELDS = (
    "languages",
    "format",
    "audience",
    "subjects",
    "lexile",
    "lexile_code",
    "reading_grade_min",
    "reading_grade_max",
    "ar_level",
)


def subject_value(heading: str) -> str:
    main = (heading or "").split(" -- ")[0].strip().rstrip(".").strip()
    return main[:MAX_VALUE]


def record_facets(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, value) pairs of one record, without duplicates."""
    pairs: list[tuple[str, str]] = []
    pairs += [("language", code) for code in values.get("languages") or [] if code]
    if values.get("format"):
        pairs.append(("format", values["format"]))
    pairs += [
        ("band", band)
        for band in record_bands(
            lexile=values.get("lexile"),
            lexile_code=values.get("lexile_code") or "",
            reading_grade_min=values.get("reading_grade_min"),
            reading_grade_max=values.get("reading_grade_max"),
            ar_level=values.get("ar_level"),
        )
    ]
    if (values.get("audience") or "").strip():
        pairs.append(("audience", values["audience"]))
    pairs += [("subject", s) for s in map(subject_value, values.get("subjects") or []) if s]
    return list(dict.fromkeys((name, str(value)[:MAX_VALUE]) for name, value in pairs))


def clean_filters(filters: dict[str, Any] | None) -> dict[str, list[str]]:
    """Filters from a request, made safe: known facets only, strings without control chars."""
    cleaned: dict[str, list[str]] = {}
    for name, raw in (filters or {}).items():
        if name not in FACETS:
            continue
        values: Iterable[Any] = [raw] if isinstance(raw, str | bool | int) else (raw or [])
        kept = []
        for value in values:
            text = "".join(ch for ch in str(value) if ch.isprintable())[:MAX_VALUE]
            if text:
                kept.append(text)
        if kept:
            cleaned[name] = list(dict.fromkeys(kept))[:50]
    return cleaned


def band_sort_key(value: str) -> int:
    return BAND_ORDER.index(value) if value in BAND_ORDER else len(BAND_ORDER)
