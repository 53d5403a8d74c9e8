"""Writing the index: `index_records(ids)`, `remove_records(ids)`, `reindex_all()`.

Call these inside the transaction that changes the records: the index then
commits or rolls back with them. The ORM path (record_create, edits) is
hooked by signals; bulk writers (the MARC import) call `index_records` per
batch with the ids they created or changed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction

from shelfwise.catalog.bulk import insert_rows
from shelfwise.catalog.models import Record
from shelfwise.search.backends import Document, get_backend
from shelfwise.search.facets import RECORD_FIELDS, record_facets
from shelfwise.search.models import SearchDocument, SearchFacet
from shelfwise.search.text import fold

__all__ = ["index_entries", "index_entry", "index_records", "reindex_all", "remove_records"]

BATCH = 1000
_TEXT_FIELDS = ("title", "main_author", "authors", "responsibility", "series", "subjects")
_FIELDS = ("id", *_TEXT_FIELDS, "genres", "summary", *RECORD_FIELDS)


@dataclass(frozen=True)
class IndexEntry:
    """Everything the index stores for one record, computed from its values alone
    (no database), so the MARC import can build it in its preparing process."""

    title: str
    author: str
    series: str
    subject: str
    summary: str
    sort_title: str
    facets: tuple[tuple[str, str], ...]

    def document(self, record_id: int) -> Document:
        return Document(
            record_id=record_id,
            title=self.title,
            author=self.author,
            series=self.series,
            subject=self.subject,
            summary=self.summary,
        )


def index_entry(values: dict) -> IndexEntry:
    """The index entry of a record from its column values (Record fields by name)."""
    authors = [values["main_author"], *(values["authors"] or []), values["responsibility"]]
    title = fold(values["title"])
    return IndexEntry(
        title=title,
        author=fold(" ".join(a for a in authors if a)),
        series=fold(" ".join(values["series"] or [])),
        subject=fold(" ".join([*(values["subjects"] or []), *(values["genres"] or [])])),
        summary=fold(values["summary"]),
        sort_title=title[:255],
        facets=tuple(record_facets(values)),
    )


_untouched: ContextVar[bool] = ContextVar("search_index_untouched", default=False)


@contextmanager
def untouched() -> Iterator[None]:
    """Index writes that are certain to roll back (an import's dry run) draw no
    new token: on PostgreSQL the state row's lock would hold every other index
    write back until the dry run ends, and after the rollback nothing changed."""
    reset = _untouched.set(True)
    try:
        yield
    finally:
        _untouched.reset(reset)


def _touch() -> None:
    """Draw a new SearchState.index_token (recreating the row if a flush removed
    it): every process's cached columns (cache.py) are then rebuilt."""
    if _untouched.get():
        return
    token = secrets.randbits(62) + 1
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_searchstate (id, index_token, item_token) VALUES (1, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET index_token = excluded.index_token",
            [token, token],
        )


def _chunks(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_entries(entries: Sequence[tuple[int, IndexEntry]], *, replace: bool = True) -> None:
    """Write prepared entries (record id, entry); replace=False when the index
    is known to lack them (new records, a rebuild). Plain multi-row INSERTs:
    the import calls this for every batch."""
    if not entries:
        return
    ids = [record_id for record_id, _ in entries]
    with transaction.atomic():  # the token and the rows it stands for, together
        _touch()
        if replace:
            SearchFacet.objects.filter(record_id__in=ids).delete()
            SearchDocument.objects.filter(record_id__in=ids).delete()
        get_backend().index([entry.document(pk) for pk, entry in entries], replace=replace)
        insert_rows(
            SearchDocument,
            ("record_id", "sort_title"),
            [(pk, entry.sort_title) for pk, entry in entries],
        )
        insert_rows(
            SearchFacet,
            ("record_id", "name", "value"),
            [(pk, name, value) for pk, entry in entries for name, value in entry.facets],
        )


def _write(rows: list[dict], *, replace: bool = True) -> None:
    """Index `rows` (Record values); replace=False when the index is known to lack them."""
    index_entries([(row["id"], index_entry(row)) for row in rows], replace=replace)


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
        _touch()
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
        _touch()
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
