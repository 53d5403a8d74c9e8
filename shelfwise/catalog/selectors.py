"""Reads for the staff catalog: search, a record with its copies, copies by school.

Every function here returns in a fixed number of queries, whatever the
number of records or items (the list and detail pages assert it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from stdnum import isbn as stdnum_isbn

from shelfwise.catalog.models import Item, ItemStatus, Record, RecordIsbn

__all__ = [
    "SchoolCopies",
    "SearchResult",
    "isbn13_or_none",
    "item_by_barcode",
    "item_for_edit",
    "items_by_school",
    "record_search",
    "record_with_items",
    "records_with_isbn",
]


def isbn13_or_none(text: str) -> str | None:
    """The ISBN-13 for any valid written form of an ISBN (10 or 13 digits, hyphens, spaces)."""
    text = (text or "").strip()
    if not text or len(text) > 32:
        return None
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(text))
    except Exception:  # stdnum's ValidationError family: not an ISBN
        return None


@dataclass
class SearchResult:
    """What a staff search found: a record list, or one item whose barcode was typed."""

    query: str
    records: QuerySet[Record]
    barcode_item: Item | None = None
    isbn: str | None = None


def record_search(*, query: str, school: Any = None) -> SearchResult:
    """Records whose title, author or responsibility contains `query`, or that carry the ISBN.

    A query that is exactly an item barcode comes back as `barcode_item`
    (the desk scans a copy and wants its record). With `school`, every record
    is annotated with `copies_here`/`available_here` at that school and
    `copies_total` everywhere.
    """
    query = " ".join((query or "").split())
    if not query:
        return SearchResult(query="", records=Record.objects.none())
    barcode_item = (
        Item.objects.filter(barcode=query).select_related("record").first()
        if len(query) <= 64
        else None
    )
    isbn = isbn13_or_none(query)
    match = Q(title__icontains=query) | Q(main_author__icontains=query)
    match |= Q(responsibility__icontains=query)
    if isbn:
        match |= Q(pk__in=RecordIsbn.objects.filter(isbn=isbn).values("record_id"))
    records = Record.objects.filter(match).defer("marc", "marc_original").order_by("title", "pk")
    records = records.annotate(copies_total=Count("items", distinct=True))
    if school is not None:
        records = records.annotate(
            copies_here=Count("items", filter=Q(items__school=school), distinct=True),
            available_here=Count(
                "items",
                filter=Q(items__school=school, items__status=ItemStatus.AVAILABLE),
                distinct=True,
            ),
        )
    return SearchResult(query=query, records=records, barcode_item=barcode_item, isbn=isbn)


def records_with_isbn(*, isbn: str) -> list[Record]:
    """Records carrying `isbn` (any valid form); [] for an invalid ISBN."""
    isbn13 = isbn13_or_none(isbn)
    if isbn13 is None:
        return []
    return list(
        Record.objects.filter(isbn_rows__isbn=isbn13)
        .defer("marc", "marc_original")
        .distinct()
        .order_by("title", "pk")
    )


def item_by_barcode(*, barcode: str) -> Item | None:
    return Item.objects.filter(barcode=barcode).select_related("record", "school").first()


def record_with_items(*, pk: int) -> Record:
    """The record with its items (and each item's school) prefetched; Record.DoesNotExist."""
    items = Item.objects.select_related("school").order_by("school__name", "barcode")
    return Record.objects.prefetch_related(Prefetch("items", queryset=items)).get(pk=pk)


def item_for_edit(*, pk: int) -> Item:
    """One item with its record and school; Item.DoesNotExist."""
    return Item.objects.select_related("record", "school").get(pk=pk)


@dataclass
class SchoolCopies:
    """The copies of one record at one school, for the record page."""

    school: Any
    items: list[Item] = field(default_factory=list)

    @property
    def available(self) -> int:
        return sum(1 for item in self.items if item.status == ItemStatus.AVAILABLE)


def items_by_school(*, record: Record, first_school: Any = None) -> list[SchoolCopies]:
    """The record's items grouped by school, `first_school` (the viewer's) first.

    Uses the prefetched items of `record_with_items` when present: no query then.
    """
    groups: dict[int, SchoolCopies] = {}
    for item in record.items.all():
        group = groups.get(item.school_id)
        if group is None:
            group = groups[item.school_id] = SchoolCopies(school=item.school)
        group.items.append(item)
    first_id = getattr(first_school, "pk", first_school)
    return sorted(
        groups.values(),
        key=lambda g: (g.school.pk != first_id, g.school.name.lower(), g.school.pk),
    )
