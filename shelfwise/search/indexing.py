"""Writing the index: `index_records(ids)`, `remove_records(ids)`, `reindex_all()`.

Call these inside the transaction that changes the records: the index then
commits or rolls back with them. The ORM path (record_create, edits) is
hooked by signals; bulk writers (the MARC import) call `index_records` per
batch with the ids they created or changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from shelfwise.catalog.models import Record
from shelfwise.search.backends import Document, get_backend
from shelfwise.search.facets import RECORD_FIELDS, record_facets
from shelfwise.search.models import SearchDocument, SearchFacet
from shelfwise.search.text import fold

__all__ = ["index_records", "reindex_all", "remove_records"]

BATCH = 1000
_TEXT_FIELDS = ("title", "main_author", "authors", "responsibility", "series", "subjects")
_FIELDS = ("id", *_TEXT_FIELDS, "genres", "summary", *RECORD_FIELDS)


def _document(values: dict) -> Document:
    authors = [values["main_author"], *(values["authors"] or []), values["responsibility"]]
    return Document(
        record_id=values["id"],
        title=fold(values["title"]),
        author=fold(" ".join(a for a in authors if a)),
        series=fold(" ".join(values["series"] or [])),
        subject=fold(" ".join([*(values["subjects"] or []), *(values["genres"] or [])])),
        summary=fold(values["summary"]),
    )


def _chunks(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _write(rows: list[dict], *, replace: bool = True) -> None:
    """Index `rows` (Record values); replace=False when the index is known to lack them."""
    ids = [row["id"] for row in rows]
    if replace:
        SearchFacet.objects.filter(record_id__in=ids).delete()
        SearchDocument.objects.filter(record_id__in=ids).delete()
    get_backend().index([_document(row) for row in rows], replace=replace)
    SearchDocument.objects.bulk_create(
        [SearchDocument(record_id=row["id"], sort_title=fold(row["title"])[:255]) for row in rows]
    )
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(record_id=row["id"], name=name, value=value)
            for row in rows
            for name, value in record_facets(row)
        ],
        batch_size=2000,
    )


def index_records(ids: Iterable[int]) -> None:
    """(Re)index these records now; ids of records that no longer exist are removed."""
    ids = sorted({int(pk) for pk in ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        for chunk in _chunks(ids):
            rows = list(Record.objects.filter(pk__in=chunk).values(*_FIELDS))
            found = {row["id"] for row in rows}
            gone = [pk for pk in chunk if pk not in found]
            if gone:
                remove_records(gone)
            if rows:
                _write(rows)


def remove_records(ids: Iterable[int]) -> None:
    ids = sorted({int(pk) for pk in ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        for chunk in _chunks(ids):
            SearchFacet.objects.filter(record_id__in=chunk).delete()
            SearchDocument.objects.filter(record_id__in=chunk).delete()
            get_backend().remove(chunk)


def reindex_all(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the catalog in one transaction; the number indexed."""
    backend = get_backend()
    total = Record.objects.count()
    done = 0
    with transaction.atomic():
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        backend.clear()
        last = 0
        while True:
            rows = list(Record.objects.filter(pk__gt=last).order_by("pk").values(*_FIELDS)[:BATCH])
            if not rows:
                break
            _write(rows, replace=False)
            last = rows[-1]["id"]
            done += len(rows)
            if progress:
                progress(done, total)
        backend.optimize()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchfacet")
    return done
