"""The search backend interface: one text index, whatever the database.

A backend only owns its full-text table: it writes documents, removes them
and turns a ParsedQuery into SQL giving (record_id, score). Everything else
(filters, facets, ordering, availability) is plain SQL shared by every
backend in `selectors.py`, so both databases answer the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from shelfwise.search.query import ParsedQuery


@dataclass(frozen=True)
class Document:
    """The folded text of one record, field by field (see text.fold)."""

    record_id: int
    title: str
    author: str
    series: str
    subject: str
    summary: str


# Field selector → the document fields it searches (keyword: all of them).
FIELD_COLUMNS = {
    "title": ("title",),
    "author": ("author",),
    "series": ("series",),
    "subject": ("subject",),
}


class SearchBackend:
    vendor = ""
    # A collation that orders by code point, the same on every database.
    binary_collation = ""
    # How the text match is written as a CTE ("MATERIALIZED " to evaluate it once).
    materialize = "MATERIALIZED "

    def match_sql(
        self, query: ParsedQuery, columns: tuple[str, ...] | None = None, *, ranked: bool = True
    ) -> tuple[str, list] | None:
        """SQL selecting `record_id, score` (lower score = better) of records matching
        every word of `query` in its field, or in `columns` (document fields, every
        word somewhere among them) when given; None when nothing can match.
        ranked=False: every score is 0 (the engine skips ranking every hit)."""
        raise NotImplementedError

    def index(self, documents: Sequence[Document], *, replace: bool = True) -> None:
        """Write the documents of these records, replacing any they had
        (replace=False: the caller knows there are none)."""
        raise NotImplementedError

    def remove(self, record_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def optimize(self) -> None:
        """Tidy the index after a full rebuild (optional)."""

    @staticmethod
    def _execute(sql: str, params: Sequence | None = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    @staticmethod
    def _executemany(sql: str, rows: Sequence[Sequence]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
