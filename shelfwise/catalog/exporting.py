"""MARC export of one school's catalog: each record with that school's copies as 852s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from django.db.models import Prefetch

from shelfwise.catalog.models import Item, Record
from shelfwise.marc.holdings import HOLDING_TAGS, Holding, holding_to_field
from shelfwise.marc.storage import from_storage
from shelfwise.marc.writer import MarcExportWriter

CHUNK = 1000


def _holding(item: Item) -> Holding:
    return Holding(
        barcode=item.barcode,
        location=item.location,
        call_number=item.call_number,
        item_type=item.item_type,
        copy_number=item.copy_number,
        price=item.price,
        acquired=item.acquired,
        source_tag="852",
        notes=item.notes,
    )


def marc_export(
    *, school: Any, stream: BinaryIO, fmt: str, progress: Callable[[int], None] | None = None
) -> int:
    """Write every record holding copies at `school` to `stream`; returns the record count."""
    items = Item.objects.filter(school=school).order_by("barcode")
    records = (
        Record.objects.filter(items__school=school)
        .distinct()
        .order_by("pk")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="school_items"))
    )
    count = 0
    with MarcExportWriter(stream, fmt) as writer:
        for row in records.iterator(chunk_size=CHUNK):
            marc = from_storage(bytes(row.marc))
            for tag in HOLDING_TAGS:
                marc.remove_fields(tag)
            for item in row.school_items:
                marc.add_ordered_field(holding_to_field(_holding(item), school.code))
            writer.write(marc)
            count += 1
            if progress and count % CHUNK == 0:
                progress(count)
    return count
