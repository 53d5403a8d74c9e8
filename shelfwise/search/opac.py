"""Reads for the student catalog (OPAC): facet labels, a record's public page, its neighbours.

Only what an anonymous visitor may see: bibliographic data and the status of
copies (a due date, never who has the copy). Language names come from
langcodes (`marc.languages.language_name`), numbers and dates from babel, so
every label follows the reader's locale without a hand-made table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shelfwise.catalog.forms import AUDIENCE_LABELS
from shelfwise.catalog.models import Format, Item, ItemStatus, Record
from shelfwise.circulation.models import Loan
from shelfwise.marc.languages import language_name
from shelfwise.search.bands import BAND_ORDER
from shelfwise.search.facets import AVAILABLE, band_sort_key, record_facets, subject_value
from shelfwise.search.models import SearchFacet

__all__ = [
    "CopyRow",
    "facet_label",
    "locale_date",
    "locale_number",
    "record_copies",
    "record_other_languages",
    "record_other_levels",
]

# Statuses a reader sees as "on the shelf", "out" or "not available".
_SHELF = {ItemStatus.AVAILABLE}
_OUT = {ItemStatus.CHECKED_OUT, ItemStatus.ON_HOLD_SHELF, ItemStatus.IN_TRANSIT}
_HIDDEN = {ItemStatus.WITHDRAWN}


def _locale() -> str:
    return (get_language() or "en").replace("-", "_")


def locale_number(value: int) -> str:
    """12,345 / 12.345 / ١٢٬٣٤٥ as the reader's locale writes it."""
    return format_decimal(value, locale=_locale())


def locale_date(value: date) -> str:
    return format_date(value, format="medium", locale=_locale())


def band_label(band: str) -> str:
    return _("Grades %(band)s") % {"band": band.replace("-", "–")}


def facet_label(name: str, value: str, *, school: Any = None) -> str:
    """What a reader reads for a facet value, in their language."""
    if name == "language":
        return language_name(value, get_language() or "en")
    if name == "format":
        try:
            return str(Format(value).label)
        except ValueError:
            return value
    if name == "band":
        return band_label(value)
    if name == "audience":
        return str(AUDIENCE_LABELS.get(value, value))
    if name == AVAILABLE:
        if school is not None:
            return _("Available at %(school)s") % {"school": school.name}
        return _("Available now")
    return value


@dataclass(frozen=True)
class CopyRow:
    school: str
    location: str
    call_number: str
    status: str
    status_label: str
    due_on: date | None
    here: bool  # at the reader's school


def record_copies(*, record: Record, school: Any = None) -> list[CopyRow]:
    """Copies of `record` (withdrawn ones left out), the reader's school first.

    A checked-out copy shows its due date and nothing about its borrower.
    """
    items = list(
        Item.objects.filter(record=record)
        .exclude(status__in=_HIDDEN)
        .select_related("school")
        .order_by("school__name", "call_number", "barcode")
    )
    due = dict(
        Loan.objects.filter(item__in=[i.pk for i in items], returned_at=None).values_list(
            "item_id", "due_on"
        )
    )
    school_id = getattr(school, "pk", school)
    rows = [
        CopyRow(
            school=item.school.name,
            location=item.location,
            call_number=item.call_number,
            status=item.status,
            status_label=str(ItemStatus(item.status).label)
            if item.status in ItemStatus.values
            else item.status,
            due_on=due.get(item.pk),
            here=item.school_id == school_id,
        )
        for item in items
    ]
    rows.sort(key=lambda row: not row.here)  # stable: keeps the name order within each
    return rows


def copy_summary(rows: list[CopyRow]) -> dict[str, int]:
    here = [r for r in rows if r.here]
    return {
        "available_here": sum(r.status in _SHELF for r in here),
        "copies_here": len(here),
        "available": sum(r.status in _SHELF for r in rows),
        "copies": len(rows),
    }


def _record_values(record: Record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in (
        "languages", "format", "audience", "subjects", "lexile", "lexile_code",
        "reading_grade_min", "reading_grade_max", "ar_level",
    )}  # fmt: skip


def record_subject(record: Record) -> str:
    """The first main subject heading, as the subject facet stores it ("" if none)."""
    for heading in record.subjects or []:
        value = subject_value(heading)
        if value:
            return value
    return ""


def record_bands(record: Record) -> list[str]:
    return [value for name, value in record_facets(_record_values(record)) if name == "band"]


@dataclass
class Neighbour:
    value: str  # the language code or band
    label: str
    count: int
    url: str = ""  # set by the view: the search that lists them

    @property
    def count_label(self) -> str:
        return locale_number(self.count)


def _with_subject(subject: str):
    return SearchFacet.objects.filter(name="subject", value=subject).values("record_id")


def record_other_languages(*, record: Record) -> tuple[str, list[Neighbour]]:
    """(subject, languages): other languages with records on this record's first
    subject (the whole catalog when it has none), most records first."""
    subject = record_subject(record)
    rows = SearchFacet.objects.filter(name="language").exclude(value__in=record.languages or [""])
    if subject:
        rows = rows.filter(record_id__in=_with_subject(subject))
    counts = rows.values("value").annotate(n=Count("record_id")).order_by("-n", "value")[:8]
    return subject, [
        Neighbour(value=row["value"], label=facet_label("language", row["value"]), count=row["n"])
        for row in counts
    ]


def record_other_levels(*, record: Record) -> tuple[str, list[Neighbour]]:
    """(subject, bands): reading-level bands other than this record's with records
    on its first subject, easiest first. Empty without a subject."""
    subject = record_subject(record)
    if not subject:
        return "", []
    own = record_bands(record)
    counts = (
        SearchFacet.objects.filter(name="band", record_id__in=_with_subject(subject))
        .exclude(value__in=own or [""])
        .exclude(record_id=record.pk)
        .values("value")
        .annotate(n=Count("record_id"))
    )
    found = sorted(
        (row for row in counts if row["value"] in BAND_ORDER),
        key=lambda row: band_sort_key(row["value"]),
    )
    return subject, [
        Neighbour(value=row["value"], label=band_label(row["value"]), count=row["n"])
        for row in found
    ]
