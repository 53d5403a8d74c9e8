"""Where a copy stands on the shelf: its section (a Dewey class such as "500", or fiction,
easy …), its Dewey division and its record's publication year, kept on the Item.

The collection reports group a district's million copies by these. Worked out
per row in SQL (a CASE of LIKEs over the call number and the record's Dewey
number, joined to the record) they cost seconds a query, so they are stored
on the item and kept current here: by `Item.save`, by `Record.save` (for the
record's copies), by the MARC import's bulk writes, and by the migration that
filled them for existing rows.

Decision: sections outrank Dewey: reference (REF call number or a location
named reference), graphic novel, easy (picture and board books, call numbers
"E …"), biography, fiction (a fiction record or FIC call number), then the
Dewey class of 082 ("5" followed by "00"), else "other".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

DEWEY_DIGITS = frozenset("0123456789")
# Item columns the section depends on, and the record's.
ITEM_FIELDS = frozenset({"call_number", "location", "record", "record_id"})
RECORD_FIELDS = frozenset({"format", "is_biography", "is_fiction", "dewey", "pub_year"})


def _starts(text: str, prefix: str) -> bool:
    # ASCII case-insensitive, like SQL LIKE on SQLite; the prefixes are ASCII.
    return text[: len(prefix)].lower() == prefix


def shelf_place(
    *,
    call_number: str,
    location: str,
    format: str,
    is_biography: bool,
    is_fiction: bool,
    dewey: str,
) -> tuple[str, str]:
    """(section, division) of a copy; division is "510" for a Dewey section, else ""."""
    call_number, location, dewey = call_number or "", location or "", dewey or ""
    if _starts(call_number, "ref") or "reference" in location.lower():
        return "reference", ""
    if format == "graphic_novel":
        return "graphic", ""
    if format in ("picture_book", "board_book") or _starts(call_number, "e "):
        return "easy", ""
    if is_biography:
        return "biography", ""
    if is_fiction or _starts(call_number, "fic"):
        return "fiction", ""
    if dewey[:1] in DEWEY_DIGITS and dewey:
        return f"{dewey[0]}00", f"{dewey[:2]}0"
    return "other", ""


def record_values(record: Any) -> dict[str, Any]:
    """The record's side of `shelf_place` from a Record (or anything with its fields)."""
    return {
        "format": record.format,
        "is_biography": record.is_biography,
        "is_fiction": record.is_fiction,
        "dewey": record.dewey,
    }


def item_shelve(item: Any, record: Any) -> None:
    """Set `item`'s section, division and pub_year from itself and its record (unsaved)."""
    item.section, item.division = shelf_place(
        call_number=item.call_number, location=item.location, **record_values(record)
    )
    item.pub_year = record.pub_year


def items_reshelve(record_ids: Iterable[int]) -> int:
    """Recompute the stored place of every copy of these records; returns copies changed.

    Reads the records and their copies in chunks and writes only what changed,
    one UPDATE per distinct (section, division, year) value.
    """
    from shelfwise.catalog.models import Item, Record

    ids = sorted(set(record_ids))
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        records = {
            r["pk"]: r
            for r in Record.objects.filter(pk__in=chunk).values(
                "pk", "format", "is_biography", "is_fiction", "dewey", "pub_year"
            )
        }
        updates: dict[tuple[str, str, int | None], list[int]] = defaultdict(list)
        for pk, record_id, call_number, location, section, division, year in (
            Item.objects.filter(record_id__in=chunk)
            .order_by()
            .values_list(
                "pk", "record_id", "call_number", "location", "section", "division", "pub_year"
            )
        ):
            r = records[record_id]
            place = shelf_place(
                call_number=call_number,
                location=location,
                format=r["format"],
                is_biography=r["is_biography"],
                is_fiction=r["is_fiction"],
                dewey=r["dewey"],
            )
            wanted = (*place, r["pub_year"])
            if wanted != (section, division, year):
                updates[wanted].append(pk)
        for (section, division, year), pks in updates.items():
            for i in range(0, len(pks), 500):
                changed += Item.objects.filter(pk__in=pks[i : i + 500]).update(
                    section=section, division=division, pub_year=year
                )
    return changed
