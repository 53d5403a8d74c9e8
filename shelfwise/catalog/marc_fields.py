"""From a decoded MARC record to the values of a catalog Record row.

Import, the add-record form and the editors all go through `record_values`,
so a Record's extracted fields always mean the same thing.
"""

from __future__ import annotations

from typing import Any

import pymarc

from shelfwise.marc.extract import BibData, extract
from shelfwise.marc.storage import content_hash, to_storage

# Extracted fields copied one to one from BibData onto Record.
BIB_FIELDS = (
    "control_number",
    "control_number_source",
    "title",
    "responsibility",
    "main_author",
    "authors",
    "edition",
    "publisher",
    "pub_place",
    "pub_year",
    "extent",
    "isbns",
    "languages",
    "subjects",
    "genres",
    "series",
    "summary",
    "dewey",
    "format",
    "literary_form",
    "is_fiction",
    "is_biography",
    "audience",
    "reading_grade_min",
    "reading_grade_max",
    "interest_age_min",
    "interest_age_max",
    "interest_grade_min",
    "interest_grade_max",
    "lexile",
    "lexile_code",
    "fp_level",
    "ar_level",
    "ar_points",
    "ar_interest",
)
# Every column import may change on update (what `bulk_update` writes).
UPDATABLE_FIELDS = (*BIB_FIELDS, "marc", "marc_original", "source_encoding", "content_hash")


def _clip(value: Any, length: int) -> Any:
    return value[:length] if isinstance(value, str) and len(value) > length else value


_MAX_LENGTHS = {
    "control_number": 64,
    "control_number_source": 32,
    "main_author": 255,
    "edition": 255,
    "publisher": 255,
    "pub_place": 255,
    "extent": 255,
    "dewey": 32,
    "literary_form": 1,
    "audience": 1,
    "lexile_code": 2,
    "fp_level": 3,
    "ar_interest": 4,
}


def record_values(
    record: pymarc.Record,
    *,
    bib: BibData | None = None,
    encoding: str = "utf-8",
    original: bytes | None = None,
    stored: bytes | None = None,
) -> dict[str, Any]:
    """Column values for a Record built from `record` (already decoded to Unicode).

    `stored`: bytes already in storage form (clean UTF-8 ISO 2709 as received),
    which saves serialising the record again.
    """
    bib = bib if bib is not None else extract(record)
    values = {name: getattr(bib, name) for name in BIB_FIELDS}
    for name, length in _MAX_LENGTHS.items():
        values[name] = _clip(values[name], length)
    if values["pub_year"] is not None and not -32768 <= values["pub_year"] <= 32767:
        values["pub_year"] = None
    values["title"] = values["title"] or ""
    stored = stored if stored is not None else to_storage(record)
    values["marc"] = stored
    values["marc_original"] = original if original is not None and original != stored else None
    values["source_encoding"] = _clip(encoding, 80)
    values["content_hash"] = content_hash(record)
    return values
