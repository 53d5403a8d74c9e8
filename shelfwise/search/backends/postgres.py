"""PostgreSQL backend: tsvector columns with GIN indexes in one table.

`document` holds every field with weights (A title and authors, B series,
C subjects, D summary) for keyword search and ranking; one column per
selectable field answers title/author/series/subject searches. The text
search configuration `shelfwise_search` is 'simple' (no stemming, no stop
words: the catalog mixes languages) with `unaccent`. Words reach
`to_tsquery` single-quoted, so none is read as a tsquery operator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shelfwise.search.backends.base import FIELD_COLUMNS, Document, SearchBackend
from shelfwise.search.query import ParsedQuery

TABLE = "search_pg_document"  # created by migration 0002, GIN on every column
CONFIG = "shelfwise_search"
# ts_rank weights for {D, C, B, A}.
RANK_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"
FIELD_TSV = ("title", "author", "series", "subject")
# The weight `document` gives each field's words (see _INSERT).
FIELD_WEIGHTS = {"title": "A", "author": "A", "series": "B", "subject": "C", "summary": "D"}


_INSERT = f"""
INSERT INTO {TABLE} (record_id, document, title, author, series, subject)
SELECT id,
       setweight(t, 'A') || setweight(a, 'A') || setweight(s, 'B') || setweight(j, 'C')
         || setweight(to_tsvector('{CONFIG}', summary), 'D'),
       t, a, s, j
FROM (SELECT %s::bigint AS id,
             to_tsvector('{CONFIG}', %s::text) AS t,
             to_tsvector('{CONFIG}', %s::text) AS a,
             to_tsvector('{CONFIG}', %s::text) AS s,
             to_tsvector('{CONFIG}', %s::text) AS j,
             %s::text AS summary) AS v
"""  # noqa: S608


def _operand(word: str, prefix: bool) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    binary_collation = '"C"'

    def match_sql(
        self, query: ParsedQuery, columns: tuple[str, ...] | None = None, *, ranked: bool = True
    ) -> tuple[str, list] | None:
        if not query.words:
            return None
        if columns and len(columns) > 1:
            # Every word among these fields: `document` labels each field's words
            # with its weight, and a tsquery operand can ask for those weights.
            weights = "".join(sorted({FIELD_WEIGHTS[c] for c in columns}))
            tsquery = " & ".join(
                _operand(w, query.is_prefix(w)) + ("" if query.is_prefix(w) else ":") + weights
                for w in query.words
            )
            sql = (
                f"SELECT record_id, 0.0 AS score "  # noqa: S608
                f"FROM {TABLE}, to_tsquery('{CONFIG}', %s) AS q WHERE document @@ q"
            )
            return sql, [tsquery]
        tsquery = " & ".join(_operand(w, query.is_prefix(w)) for w in query.words)
        columns = columns or FIELD_COLUMNS.get(query.field)
        column = columns[0] if columns else "document"
        rank = f"ts_rank({column}, q)" if columns else f"ts_rank('{RANK_WEIGHTS}', document, q)"
        rank = rank if ranked else "0.0"
        sql = (
            f"SELECT record_id, -{rank} AS score "  # noqa: S608
            f"FROM {TABLE}, to_tsquery('{CONFIG}', %s) AS q WHERE {column} @@ q"
        )
        return sql, [tsquery]

    def index(self, documents: Sequence[Document], *, replace: bool = True) -> None:
        if replace:
            self.remove([d.record_id for d in documents])
        self._executemany(
            _INSERT,
            [(d.record_id, d.title, d.author, d.series, d.subject, d.summary) for d in documents],
        )

    def remove(self, record_ids: Iterable[int]) -> None:
        ids = list(record_ids)
        if ids:
            self._execute(f"DELETE FROM {TABLE} WHERE record_id = ANY(%s)", [ids])  # noqa: S608

    def clear(self) -> None:
        self._execute(f"TRUNCATE {TABLE}")
