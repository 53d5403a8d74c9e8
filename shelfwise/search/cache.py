"""What search keeps in memory per process, as numpy columns, for large result sets.

Counting facets in SQL reads one facet row per hit and value: a common word
matching 60,000 of 300,000 records meant 350,000 rows grouped, 400 ms on this
2-core machine. Search engines keep such columns in memory (Lucene's doc
values, Solr's facet caches); none of them works over SQLite FTS5 or
PostgreSQL full text, so this module does the same with numpy, by hand:

- `Columns`: which records are indexed, each record's facet values (codes in a
  CSR layout: `codes[ptr[r]:ptr[r + 1]]` are record r's values), and each
  record's place in title order (sort_title by code point, then id).
- `available(school)`: which records have a copy on the shelf at a school.

Freshness: both are keyed by a token of SearchState, read in the search's own
transaction. Every index write draws a new `index_token` (indexing.py); on
SQLite, triggers draw a new `item_token` when a copy changes (see
`_item_key`). A key that differs means rebuild, here and now, from the same
snapshot: a search never answers from stale columns. On PostgreSQL
availability is read afresh every time (migration 0004 says why).

Decision: a changed token rebuilds everything rather than patching the
change in. Building takes 0.9 s for 300,000 records and 1.7 million facet
values (one ordered read, one GROUP BY by the (name, value, record) index;
`bench search` prints it), so a district catalog being edited pays it once
per edit and process, on its first large search (a school of 20,000
records: about 60 ms, by proportion, not measured). On PostgreSQL the index token's row
also orders concurrent index writers (imports, record edits) by its lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.search import item_triggers
from shelfwise.search.backends import get_backend
from shelfwise.search.facets import STORED_FACETS

__all__ = ["Columns", "available", "columns"]

_STATE = "search_searchstate"
_lock = threading.Lock()
_columns: Columns | None = None
_available: dict[Any, tuple[tuple[int, int], np.ndarray]] = {}


def _index_token() -> int | None:
    """SearchState.index_token, or None when the state row is missing (cache nothing)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT index_token FROM {_STATE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _id_array(text: str | None) -> np.ndarray:
    if not text:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def concat_ids_sql(column: str) -> str:
    """An aggregate giving `column`'s values as one comma-separated string (fast to
    read into numpy: one Python string instead of a tuple per row)."""
    if connection.vendor == "postgresql":
        return f"string_agg(({column})::text, ',')"
    return f"group_concat({column})"


def ids_of(sql: str, params: list) -> np.ndarray:
    """The record ids `sql` selects (its first column is record_id, each id once)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {concat_ids_sql('m.record_id')} FROM ({sql}) AS m",  # noqa: S608
            params,
        )
        row = cursor.fetchone()
    return _id_array(row[0] if row else None)


@dataclass
class Columns:
    token: int | None
    size: int  # record ids are below this
    title_rank: np.ndarray  # int64 [size]: place in title order; -1 not indexed
    ptr: np.ndarray  # int64 [size + 1]
    codes: np.ndarray  # int32: facet value codes, record by record
    values: list[tuple[str, str]]  # code → (facet name, value)

    @classmethod
    def build(cls, token: int | None) -> Columns:
        collate = get_backend().binary_collation  # the order the SQL path sorts titles in
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT record_id FROM search_searchdocument "  # noqa: S608
                f"ORDER BY sort_title COLLATE {collate}, record_id"
            )
            ordered = np.fromiter((row[0] for row in cursor), dtype=np.int64)
            cursor.execute(
                f"SELECT name, value, {concat_ids_sql('record_id')} "  # noqa: S608
                "FROM search_searchfacet GROUP BY name, value"
            )
            groups = cursor.fetchall()
        values = [(name, value) for name, value, _ in groups]
        owners = [_id_array(ids) for _, _, ids in groups]
        size = 1 + max([int(a.max()) for a in (ordered, *owners) if a.size], default=0)
        title_rank = np.full(size, -1, dtype=np.int64)
        title_rank[ordered] = np.arange(ordered.size, dtype=np.int64)
        if owners:
            record_of = np.concatenate(owners)
            code_of = np.repeat(np.arange(len(owners), dtype=np.int32), [o.size for o in owners])
            order = np.argsort(record_of, kind="stable")
            codes = code_of[order]
            counts = np.bincount(record_of, minlength=size)
        else:
            codes = np.empty(0, dtype=np.int32)
            counts = np.zeros(size, dtype=np.int64)
        ptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        return cls(token, size, title_rank, ptr, codes, values)

    def known(self, ids: np.ndarray) -> np.ndarray:
        """The ids among `ids` that are indexed records."""
        ids = ids[(ids >= 0) & (ids < self.size)]
        return ids[self.title_rank[ids] >= 0]

    def all_ids(self) -> np.ndarray:
        return np.flatnonzero(self.title_rank >= 0)

    def value_codes(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(codes, owner): every facet value code of these records, and for each the
        position in `ids` of the record it belongs to."""
        starts = self.ptr[ids]
        lengths = self.ptr[ids + 1] - starts
        owner = np.repeat(np.arange(ids.size), lengths)
        first = np.cumsum(lengths) - lengths
        offsets = np.arange(owner.size) - first[owner] + starts[owner]
        return self.codes[offsets], owner

    def having(self, ids: np.ndarray, wanted: dict[str, list[str]]) -> np.ndarray:
        """The ids that have, for each facet named in `wanted`, one of its values."""
        if not wanted or not ids.size:
            return ids
        codes, owner = self.value_codes(ids)
        keep = np.ones(ids.size, dtype=bool)
        for name, accepted in wanted.items():
            accepted_set = {(name, value) for value in accepted}
            chosen = np.zeros(len(self.values) + 1, dtype=bool)
            chosen[[c for c, pair in enumerate(self.values) if pair in accepted_set]] = True
            found = np.zeros(ids.size, dtype=bool)
            found[owner[chosen[codes]]] = True
            keep &= found
        return ids[keep]

    def counts(self, ids: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """Facet name → [(value, records among `ids` with it)], unsorted."""
        counted: dict[str, list[tuple[str, int]]] = {name: [] for name in STORED_FACETS}
        if not ids.size:
            return counted
        codes, _owner = self.value_codes(ids)
        per_code = np.bincount(codes, minlength=len(self.values))
        for code in np.flatnonzero(per_code):
            name, value = self.values[code]
            if name in counted:  # a name search no longer counts: left out, as in SQL
                counted[name].append((value, int(per_code[code])))
        return counted


def columns() -> Columns:
    """The columns for the index as this transaction sees it (rebuilt if it changed)."""
    global _columns
    token = _index_token()
    with _lock:
        current = _columns
        if current is not None and token is not None and current.token == token:
            return current
        built = Columns.build(token)
        if token is not None:
            _columns = built
        return built


def _item_key() -> tuple[int, int] | None:
    """(item_token, highest copy id) on SQLite; None (keep nothing) elsewhere, without
    the state row, or when a trigger is missing.

    The token changes with every copy changed, removed or added below the
    highest id (item_triggers); an added copy above it changes the highest id.
    Read before the copies, so a write committed in between makes the key
    older than the data, never newer."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:  # one statement: one snapshot, one round trip
        cursor.execute(
            f"SELECT (SELECT item_token FROM {_STATE} WHERE id = 1), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 0) FROM {Item._meta.db_table}), "
            "(SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s))",
            list(item_triggers.NAMES),
        )
        token, highest, triggers = cursor.fetchone()
    if token is None or triggers != len(item_triggers.NAMES):
        return None
    return int(token), int(highest)


def available(school: Any, size: int) -> np.ndarray:
    """bool [size]: records with a copy on the shelf at `school` (None: anywhere).

    Kept only when read in autocommit mode: inside a transaction, copies added
    and then rolled back would leave a highest id that a later copy can take
    again, with other data behind the same key."""
    school_id = getattr(school, "pk", school)
    key = _item_key()
    with _lock:
        kept = _available.get(school_id)
        if key is not None and kept and kept[0] == key and kept[1].size >= size:
            return kept[1][:size]
    table = Item._meta.db_table
    where, params = "status = %s", [ItemStatus.AVAILABLE]
    if school_id is not None:
        where, params = "school_id = %s AND status = %s", [school_id, ItemStatus.AVAILABLE]
    ids = ids_of(f"SELECT DISTINCT record_id FROM {table} WHERE {where}", params)  # noqa: S608
    mask = np.zeros(max(size, int(ids.max()) + 1 if ids.size else 0), dtype=bool)
    mask[ids] = True
    if key is not None and connection.get_autocommit():
        with _lock:
            _available[school_id] = (key, mask)
    return mask[:size]


def forget() -> None:
    """Drop what this process holds (tests; a rebuilt index is noticed by its token)."""
    global _columns
    with _lock:
        _columns = None
        _available.clear()
