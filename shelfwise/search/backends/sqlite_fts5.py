"""SQLite FTS5 backend: one virtual table, rowid = record id, bm25 with column weights.

Every word reaches FTS5 as a double-quoted string (its only literal syntax),
so no user text is ever read as an FTS5 operator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shelfwise.search.backends.base import FIELD_COLUMNS, Document, SearchBackend
from shelfwise.search.query import ParsedQuery

TABLE = "search_fts"  # created by migration 0002 (unicode61, diacritics removed)
COLUMNS = ("title", "author", "series", "subject", "summary")
# bm25 weights in COLUMNS order: title and author above series, subject
# above summary.
WEIGHTS = (10.0, 10.0, 5.0, 3.0, 1.0)


def _phrase(word: str, prefix: bool) -> str:
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


class SqliteFts5Backend(SearchBackend):
    vendor = "sqlite"
    binary_collation = "BINARY"

    def match_sql(
        self, query: ParsedQuery, columns: tuple[str, ...] | None = None, *, ranked: bool = True
    ) -> tuple[str, list] | None:
        if not query.words:
            return None
        expression = " AND ".join(_phrase(w, query.is_prefix(w)) for w in query.words)
        columns = columns or FIELD_COLUMNS.get(query.field)
        if columns:
            expression = "{" + " ".join(columns) + "} : (" + expression + ")"
        weights = ", ".join(str(w) for w in WEIGHTS)
        score = f"bm25({TABLE}, {weights})" if ranked else "0.0"
        sql = (
            f"SELECT rowid AS record_id, {score} AS score "  # noqa: S608
            f"FROM {TABLE} WHERE {TABLE} MATCH %s"
        )
        return sql, [expression]

    def index(self, documents: Sequence[Document], *, replace: bool = True) -> None:
        if replace:
            self.remove([d.record_id for d in documents])
        self._executemany(
            f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
            [(d.record_id, *(getattr(d, c) for c in COLUMNS)) for d in documents],
        )

    def remove(self, record_ids: Iterable[int]) -> None:
        ids = list(record_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            self._execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def clear(self) -> None:
        self._execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def optimize(self) -> None:
        self._execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")  # noqa: S608
