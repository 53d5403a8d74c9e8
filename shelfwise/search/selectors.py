"""Catalog search: `search(query=…, filters=…, school=…)` → SearchResult.

Up to LARGE matches, everything after the text match is one shared SQL
shape on both backends: the matched set (backend) is filtered by facet rows
and availability, then counted, grouped for facets and ordered for one page,
in the database. A fixed number of queries per search, whatever the size.

Larger sets are counted and ordered on the in-memory columns of cache.py
instead, in numpy: SQL that reads a row per hit cannot count 200,000 hits
in the 150 ms a search may take. Their order differs in one way, on
purpose: bm25 over every hit costs 0.55 µs a hit in FTS5 (170 ms for a word
in every record), so a large set is ordered by the first tier that holds
all the words (title and author, then series, then subject, then anywhere:
the relevance rule itself), then by availability here and title. Up to
LARGE matches, bm25 with column weights orders them, as before.

Decision: availability is read from Item at query time, not stored in the
index. An item's status changes in many places (check-out, check-in, holds,
marking lost, staff edits, SIP2 kiosks, imports); reading it where it lives
means no path can leave search stale, and the (school, status) index on
Item makes "records with an available copy here" one indexed subquery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from shelfwise.catalog.models import Item, ItemStatus, Record, RecordIsbn
from shelfwise.search import cache
from shelfwise.search.backends import get_backend
from shelfwise.search.facets import (
    AVAILABLE,
    FACETS,
    STORED_FACETS,
    SUBJECT_LIMIT,
    band_sort_key,
    clean_filters,
)
from shelfwise.search.query import ParsedQuery, parse_query

__all__ = ["SearchResult", "search"]

MAX_PER_PAGE = 100
LARGE = 500  # matches above which the in-memory columns count and order
# Keyword tiers for large sets: every word within these fields, best first.
TIERS = (
    ("title", "author"),
    ("title", "author", "series"),
    ("title", "author", "series", "subject"),
)
MAX_PAGE = 10_000
_DOC = "search_searchdocument"
_FACET = "search_searchfacet"
_TRUE = {"1", "true", "yes", "on", "available"}


@dataclass
class SearchResult:
    total: int
    records: list[Record]  # this page, best first
    facets: dict[str, list[tuple[str, int]]]
    query: ParsedQuery
    page: int = 1
    per_page: int = 20
    filters: dict[str, list[str]] = field(default_factory=dict)
    exact: bool = False  # an ISBN or item barcode found the record(s)

    @property
    def ids(self) -> list[int]:
        return [record.pk for record in self.records]


def _empty_facets() -> dict[str, list[tuple[str, int]]]:
    return {name: [] for name in FACETS}


def _exact_ids(query: ParsedQuery) -> list[int]:
    ids: set[int] = set()
    if query.isbn:
        ids.update(RecordIsbn.objects.filter(isbn=query.isbn).values_list("record_id", flat=True))
    if query.barcode:
        ids.update(Item.objects.filter(barcode=query.barcode).values_list("record_id", flat=True))
    return sorted(ids)


def _available_sql(school: Any) -> tuple[str, list]:
    """`EXISTS (…)` true when the record at `{row}.record_id` has a copy on the shelf
    (at `school`, or anywhere). Per matched record, through the (record, school)
    index: the cost follows the hits, not the size of the school's collection
    (an `IN (every available copy here)` list read 40,000 rows a statement)."""
    table = Item._meta.db_table
    if school is None:
        return (
            f"EXISTS (SELECT 1 FROM {table} i WHERE i.record_id = {{row}}.record_id "  # noqa: S608
            "AND i.status = %s)",
            [ItemStatus.AVAILABLE],
        )
    school_id = getattr(school, "pk", school)
    return (
        f"EXISTS (SELECT 1 FROM {table} i WHERE i.record_id = {{row}}.record_id "  # noqa: S608
        "AND i.school_id = %s AND i.status = %s)",
        [school_id, ItemStatus.AVAILABLE],
    )


def _count(matched: tuple[str, list]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({matched[0]}) AS m", matched[1])  # noqa: S608
        return int(cursor.fetchone()[0])


def _sort_facets(result: SearchResult, available: int) -> None:
    """Facet values in the order pages show them: bands in band order, subjects the
    SUBJECT_LIMIT most frequent, the rest by count; equal counts by value."""
    result.facets[AVAILABLE] = [("yes", available)] if available else []
    for name in STORED_FACETS:
        values = result.facets[name]
        if name == "band":
            values.sort(key=lambda vc: band_sort_key(vc[0]))
        elif name == "subject":
            values.sort(key=lambda vc: (-vc[1], vc[0].encode()))
            del values[SUBJECT_LIMIT:]
        else:
            values.sort(key=lambda vc: (-vc[1], vc[0]))


def _first(ids: np.ndarray, key: np.ndarray, count: int) -> np.ndarray:
    """The `count` ids of smallest key, in key order (keys are unique)."""
    if count < ids.size:
        part = np.argpartition(key, count - 1)[:count]
        ids, key = ids[part], key[part]
    return ids[np.argsort(key, kind="stable")]


def _search_large(result: SearchResult, school: Any, matched: np.ndarray | None) -> SearchResult:
    """`search` for a large set, on the in-memory columns (see the module docstring);
    `matched`: the ids the words match (None: browse the whole catalog)."""
    parsed, wanted = result.query, result.filters
    columns = cache.columns()
    backend = get_backend()
    hits = columns.all_ids() if matched is None else columns.known(matched)
    hits = columns.having(hits, {n: v for n, v in wanted.items() if n != AVAILABLE})
    shelf = cache.available(school, columns.size)
    if any(v.lower() in _TRUE for v in wanted.get(AVAILABLE, [])):
        hits = hits[shelf[hits]]
    result.total = int(hits.size)
    if not hits.size:
        return result
    result.facets.update(columns.counts(hits))
    _sort_facets(result, int(np.count_nonzero(shelf[hits])))

    # Best tier first, then on the shelf here, then title order (id on equal titles).
    key = np.where(shelf[hits], 0, 1 << 40) + columns.title_rank[hits]
    wanted_count = result.page * result.per_page
    tiers = TIERS if parsed.field == "keyword" and not parsed.is_empty else ()
    chosen, rest, rest_key = [], hits, key
    for tier in (*tiers, None):
        if tier is None:
            inside = np.ones(rest.size, dtype=bool)
        else:
            member = np.zeros(columns.size, dtype=bool)
            in_tier = cache.ids_of(*backend.match_sql(parsed, tier, ranked=False))
            member[columns.known(in_tier)] = True
            inside = member[rest]
        chosen.append(_first(rest[inside], rest_key[inside], wanted_count))
        wanted_count -= chosen[-1].size
        rest, rest_key = rest[~inside], rest_key[~inside]
        if wanted_count <= 0 or not rest.size:
            break
    ordered = np.concatenate(chosen)
    ids = [int(pk) for pk in ordered[(result.page - 1) * result.per_page :]]
    records = Record.objects.defer("marc", "marc_original").in_bulk(ids)
    result.records = [records[pk] for pk in ids if pk in records]
    return result


def search(
    *,
    query: str = "",
    filters: dict[str, Any] | None = None,
    school: Any = None,
    page: int = 1,
    per_page: int = 20,
    field: str = "keyword",
) -> SearchResult:
    """Records matching `query` in `field` (keyword, title, author, subject, series,
    isbn) and every filter (facet name → accepted values; `available` → "yes").

    An ISBN in any written form, or an item barcode, returns its record(s)
    only. An empty query browses the whole catalog. `school` (a School or its
    id; None: any school) is where availability is counted. Never raises on
    user text: what cannot match returns an empty result.
    """
    parsed = parse_query(query, field)
    wanted = clean_filters(filters)
    try:
        page = min(max(int(page), 1), MAX_PAGE)
        per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    except (TypeError, ValueError):
        page, per_page = 1, 20
    result = SearchResult(
        total=0,
        records=[],
        facets=_empty_facets(),
        query=parsed,
        page=page,
        per_page=per_page,
        filters=wanted,
    )

    exact = _exact_ids(parsed) if parsed.isbn or parsed.barcode else []
    if exact:
        marks = ", ".join(["%s"] * len(exact))
        matched = (
            f"SELECT record_id, 0.0 AS score FROM {_DOC} WHERE record_id IN ({marks})",  # noqa: S608
            exact,
        )
        result.exact = True
    elif parsed.field == "isbn":
        return result
    elif parsed.is_empty:
        matched = (f"SELECT record_id, 0.0 AS score FROM {_DOC}", [])  # noqa: S608
    else:
        matched = get_backend().match_sql(parsed)
        if matched is None:
            return result
    if not exact:
        # The matching ids, unranked: one engine match tells which path to take,
        # and the large path needs no other (PostgreSQL's match of a common word
        # costs 60-90 ms; counting first paid it twice).
        ids = (
            None
            if parsed.is_empty
            else cache.ids_of(*get_backend().match_sql(parsed, ranked=False))
        )
        if (_count(matched) if ids is None else ids.size) > LARGE:
            return _search_large(result, school, ids)

    available_sql, available_params = _available_sql(school)
    where, where_params = [], []
    for name, values in wanted.items():
        if name == AVAILABLE:
            if any(v.lower() in _TRUE for v in values):
                where.append(available_sql.format(row="m"))
                where_params += available_params
            continue
        marks = ", ".join(["%s"] * len(values))
        # Probed per hit by the (record, name, value) index: `IN (SELECT …)` built
        # the list of every record in the language first (50 ms for English).
        where.append(
            f"EXISTS (SELECT 1 FROM {_FACET} f WHERE f.record_id = m.record_id "  # noqa: S608
            f"AND f.name = %s AND f.value IN ({marks}))"
        )
        where_params += [name, *values]
    backend = get_backend()
    # MATERIALIZED: without it SQLite pushes the facet filter's record ids into
    # the FTS5 table and runs one MATCH per id (26 s instead of 23 ms on 30,000
    # records); evaluated once, the match is then filtered like any table.
    cte = (
        f"WITH matched AS {backend.materialize}({matched[0]}), "  # noqa: S608
        f"hits AS (SELECT m.record_id, m.score, d.sort_title FROM matched m "
        f"JOIN {_DOC} d ON d.record_id = m.record_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + ") "
    )
    cte_params = [*matched[1], *where_params]
    collate = backend.binary_collation
    others = [n for n in STORED_FACETS if n != "subject"]
    marks = ", ".join(["%s"] * len(others))

    with connection.cursor() as cursor:
        # Total, available here and every facet's counts in one statement, so
        # the text is matched once for all of them (a CTE read several times
        # is computed once). Rows: (kind, name, value, count). CROSS JOIN: hits
        # first, then each hit's facet rows by the (record, name, value) index;
        # SQLite otherwise chose to scan every record's facets of those names
        # (80 ms a query on 100,000 records whatever the hits; PostgreSQL reads
        # CROSS JOIN + WHERE as a plain join and plans it itself).
        counts_sql = (
            "SELECT 'total', NULL, NULL, COUNT(*) FROM hits "  # noqa: S608 - every value is a parameter
            "UNION ALL SELECT 'available', NULL, NULL, COUNT(*) FROM hits "
            f"WHERE {available_sql.format(row='hits')} "
            f"UNION ALL SELECT 'facet', f.name, f.value, COUNT(*) FROM hits h "
            f"CROSS JOIN {_FACET} f WHERE f.record_id = h.record_id AND f.name IN ({marks}) "
            "GROUP BY f.name, f.value "
            "UNION ALL SELECT * FROM (SELECT 'facet', 'subject', f.value, COUNT(*) AS n "
            f"FROM hits h CROSS JOIN {_FACET} f WHERE f.record_id = h.record_id AND f.name = %s "
            f"GROUP BY f.value ORDER BY n DESC, f.value COLLATE {collate} LIMIT %s) AS s"
        )
        cursor.execute(
            cte + counts_sql,  # every value is a parameter; names are ours
            [*cte_params, *available_params, *others, "subject", SUBJECT_LIMIT],
        )
        rows = cursor.fetchall()
        total = available = 0
        subjects: list[tuple[str, int]] = []
        for kind, name, value, count in rows:
            if kind == "total":
                total = int(count)
            elif kind == "available":
                available = int(count)
            elif name == "subject":
                subjects.append((value, int(count)))
            else:
                result.facets[name].append((value, int(count)))
        result.total = total
        if not total:
            return result
        result.facets["subject"] = subjects
        _sort_facets(result, available)

        # Best score first; equal scores: available here first, then by title.
        order = (
            f"score, CASE WHEN {available_sql.format(row='hits')} THEN 0 ELSE 1 END, "
            f"sort_title COLLATE {collate}, record_id"
        )
        cursor.execute(
            f"{cte}SELECT record_id FROM hits ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608
            [*cte_params, *available_params, per_page, (page - 1) * per_page],
        )
        ids = [row[0] for row in cursor.fetchall()]
    records = Record.objects.defer("marc", "marc_original").in_bulk(ids)
    result.records = [records[pk] for pk in ids if pk in records]
    return result
