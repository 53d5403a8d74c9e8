"""`shelfwise bench search`: catalog search at district size, with facets, on a fresh database.

The child process (`bench_search_child`) writes 300,000 records and
1,000,000 copies with multi-row inserts (COPY on PostgreSQL): this measures
search, not the importer. Text follows Zipf's law per language: the words of
real catalogue text (Library of Congress children's records, the demo word
lists) ranked by their frequency there, then a long tail of made-up words
built from the same letters, drawn with probability ∝ 1/rank^1.07 (the
exponent measured on English text; Piantadosi 2014). Then `reindex` builds the
index (timed), search's in-memory columns are built (timed: the cost of the
first large search after an index change), and a fixed, seeded mix of 200
queries runs twice: once to warm the caches, once timed, through
`search.selectors.search` (match, filters, facet counts, availability here
and one page), and once more as the raw engine MATCH alone.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from shelfwise.core.bench.common import fresh_database, percentile, run_child

SEED = 2026
ZIPF_EXPONENT = 1.07
VOCABULARY = 40_000  # words per language, real ones first
# Share of records per language: a US district with many multilingual learners.
LANGUAGE_SHARES = {
    "eng": 68, "spa": 14, "ara": 4, "vie": 3, "chi": 3, "som": 2, "fre": 2, "hat": 2, "por": 2,
}  # fmt: skip
FORMATS = (("book", 78), ("picture_book", 8), ("graphic_novel", 5), ("ebook", 4),
           ("audiobook", 3), ("board_book", 2))  # fmt: skip
AUDIENCES = (("j", 35), ("c", 20), ("b", 18), ("d", 15), ("a", 5), ("", 7))
STATUSES = (("available", 80), ("checked_out", 15), ("on_hold_shelf", 1), ("in_transit", 1),
            ("lost", 2), ("damaged", 1))  # fmt: skip
SCHOOLS = 20
_WORD = re.compile(r"[^\W\d_]{2,}")


# ---- Text ------------------------------------------------------------------------------


def _real_words() -> tuple[dict[str, Counter], list[str], list[tuple[str, str]]]:
    """Word counts per language from real catalogue text, subject headings, author names."""
    from shelfwise.catalog import demo_words
    from shelfwise.catalog.generate.loc import DATA_FILE

    counts: dict[str, Counter] = {lang: Counter() for lang in LANGUAGE_SHARES}
    subjects: Counter = Counter()
    authors: list[tuple[str, str]] = []
    with DATA_FILE.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            lang = row["language_008"] if row["language_008"] in counts else "eng"
            text = " ".join((row["title"], row["summary_520"]))
            counts[lang].update(w.lower() for w in _WORD.findall(text))
            for heading in row["subjects_650"].split(" | "):
                if heading.strip():
                    subjects[heading.strip()] += 1
            if row["main_author"]:
                authors.append(("eng", row["main_author"]))
    for entry in (*demo_words.TOPICS, *demo_words.STORIES):
        for lang, title in entry.titles.items():
            if lang in counts:
                counts[lang].update(w.lower() for w in _WORD.findall(title))
        counts["eng"].update(w.lower() for w in _WORD.findall(entry.summary))
    for lang, language in demo_words.LANGUAGES.items():
        if lang in counts:
            authors += [(lang, f"{f}, {g}") for f in language.family for g in language.given]
    return counts, [s for s, _ in subjects.most_common()], authors


def _vocabulary(counts: Counter, rng: random.Random, size: int) -> list[str]:
    """Real words by frequency, then made-up words from their letters (the rare tail)."""
    words = [w for w, _ in counts.most_common()]
    letters = "".join(words) or "abcdefghijklmnopqrstuvwxyz"
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words[:size]


class Text:
    """Seeded Zipf word draws per language (numpy for speed: millions of draws)."""

    def __init__(self, seed: int = SEED) -> None:
        import numpy as np

        self.np = np
        self.rng = random.Random(seed)
        self.gen = np.random.default_rng(seed)
        counts, self.subjects, self.authors = _real_words()
        self.words = {
            lang: _vocabulary(counts[lang], self.rng, VOCABULARY) for lang in LANGUAGE_SHARES
        }
        ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
        weights = 1.0 / ranks**ZIPF_EXPONENT
        self.cumulative = np.cumsum(weights / weights.sum())
        self.subject_cumulative = np.cumsum(
            (w := 1.0 / np.arange(1, len(self.subjects) + 1) ** ZIPF_EXPONENT) / w.sum()
        )

    def draw(self, lang: str, count: int) -> list[str]:
        picks = self.np.searchsorted(self.cumulative, self.gen.random(count))
        vocabulary = self.words[lang]
        return [vocabulary[i] for i in picks]

    def subject(self) -> str:
        index = int(self.np.searchsorted(self.subject_cumulative, self.gen.random()))
        return self.subjects[min(index, len(self.subjects) - 1)]


def _isbn13(n: int) -> str:
    body = f"9798{n:08d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _hash(pk: int) -> str:
    return hashlib.sha1(str(pk).encode(), usedforsecurity=False).hexdigest()


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


# ---- The child: build, index, query -------------------------------------------------


def build_catalog(*, records: int, items: int, text: Text) -> dict[str, Any]:
    """Write schools, records (with ISBN rows) and copies; return what the queries need."""
    from django.db import transaction
    from django.utils import timezone

    from shelfwise.catalog.models import Item, Record, RecordIsbn
    from shelfwise.core.bench.circulation_data import _insert  # COPY on PostgreSQL
    from shelfwise.schools.models import School

    rng = text.rng
    now = timezone.now()
    languages = list(LANGUAGE_SHARES)
    shares = list(LANGUAGE_SHARES.values())
    with transaction.atomic():
        schools = [
            School.objects.create(code=f"S{n:03d}", name=f"School {n}") for n in range(SCHOOLS)
        ]
    record_columns = (
        "id", "title", "responsibility", "main_author", "authors", "edition", "publisher",
        "pub_place", "pub_year", "extent", "isbns", "languages", "subjects", "genres", "series",
        "summary", "dewey", "format", "literary_form", "is_fiction", "is_biography", "audience",
        "lexile", "lexile_code", "fp_level", "ar_interest", "marc", "source_encoding",
        "content_hash", "control_number", "control_number_source", "created_at", "updated_at",
    )  # fmt: skip
    samples: dict[str, list] = {"titles": [], "authors": [], "isbns": [], "langs": []}
    chunk, isbn_rows = [], []
    pk = 0
    for pk in range(1, records + 1):
        lang = rng.choices(languages, weights=shares)[0]
        title_words = text.draw(lang, rng.randint(2, 7))
        title = " ".join(title_words).capitalize()
        summary = " ".join(text.draw(lang, rng.randint(15, 60))) if rng.random() < 0.7 else ""
        _author_lang, author = rng.choice(text.authors)
        extra_langs = ["eng"] if lang != "eng" and rng.random() < 0.1 else []
        isbn = _isbn13(pk)
        lexile = rng.randint(-100, 1400) if rng.random() < 0.6 else None
        row = [
            pk, title, f"by {author}", author, [author], "", "Bench Press", "Springfield",
            rng.randint(1960, 2026), "", [isbn], [lang, *extra_langs],
            [text.subject() for _ in range(rng.randint(1, 3))], [], [], summary, "",
            _weighted(rng, FORMATS), "", False, False, _weighted(rng, AUDIENCES), lexile,
            "", "", "", b"", "utf-8", _hash(pk),
            f"bench{pk}", "SW", now, now,
        ]  # fmt: skip
        chunk.append(row)
        isbn_rows.append([pk, pk, isbn])
        if len(samples["titles"]) < 400 and (rng.random() < 0.002 or pk <= 3):
            samples["titles"].append((lang, title_words))
            samples["authors"].append(author)
            samples["isbns"].append(isbn)
        if len(chunk) == 20_000:
            with transaction.atomic():
                _insert(Record, record_columns, chunk)
                _insert(RecordIsbn, ("id", "record_id", "isbn"), isbn_rows)
            chunk, isbn_rows = [], []
    with transaction.atomic():
        _insert(Record, record_columns, chunk)
        _insert(RecordIsbn, ("id", "record_id", "isbn"), isbn_rows)

    # Every record has a copy; the others are spread at random (1 + Poisson(2.3) a title).
    item_columns = ("id", "record_id", "school_id", "barcode", "location", "call_number",
                    "item_type", "copy_number", "status", "circulation_count", "notes",
                    "created_at", "updated_at", "section", "division")  # fmt: skip
    extra = text.gen.integers(1, records + 1, size=max(items - records, 0))
    owners = [*range(1, records + 1), *extra.tolist()][:items]
    statuses = [v for v, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    chunk = []
    for n, record_id in enumerate(owners, start=1):
        school = schools[(record_id * 7 + n) % SCHOOLS]
        chunk.append([
            n, record_id, school.pk, f"B{n:09d}", "Stacks", "", "book", "",
            rng.choices(statuses, weights=weights)[0], 0, "", now, now, "other", "",
        ])  # fmt: skip
        if len(chunk) == 50_000:
            with transaction.atomic():
                _insert(Item, item_columns, chunk)
            chunk = []
    with transaction.atomic():
        _insert(Item, item_columns, chunk)
    samples["school"] = schools[0].pk
    samples["barcodes"] = [f"B{n:09d}" for n in rng.sample(range(1, items + 1), 10)]
    return samples


def query_mix(samples: dict[str, Any], text: Text, count: int = 200) -> list[dict[str, Any]]:
    """The fixed mix: (label, query, filters, field) drawn with the seed."""
    rng = random.Random(SEED + 1)
    eng, spa = text.words["eng"], text.words["spa"]
    mix: list[dict[str, Any]] = []

    def add(kind: str, query: str, filters: dict | None = None, field: str = "keyword") -> None:
        mix.append({"kind": kind, "q": query, "filters": filters or {}, "field": field})

    for _ in range(30):
        add("common word", rng.choice(eng[:100]))
    for _ in range(10):
        add("common word", rng.choice(spa[:100]))
    for _ in range(30):
        add("rare word", rng.choice(eng[5_000:VOCABULARY]))
    for _ in range(10):
        add("rare word", rng.choice(text.words[rng.choice(list(LANGUAGE_SHARES))][3_000:]))
    titles = samples["titles"]
    for _ in range(25):
        _lang, words = rng.choice(titles)
        start = rng.randrange(max(len(words) - 1, 1))
        add("2-word phrase", " ".join(words[start : start + 2]))
    for _ in range(20):
        _lang, words = rng.choice([t for t in titles if len(t[1]) >= 3] or titles)
        start = rng.randrange(max(len(words) - 2, 1))
        add("3-word phrase", " ".join(words[start : start + 3]))
    for _ in range(15):
        add("common word + language", rng.choice(eng[:200]), {"language": ["spa"]})
    for _ in range(10):
        lang, words = rng.choice(titles)
        add("phrase + language", " ".join(words[:2]), {"language": [lang]})
    for _ in range(10):
        add("rare word + language", rng.choice(spa[2_000:]), {"language": ["spa"]})
    for _ in range(5):
        add("browse + language", "", {"language": [rng.choice(["spa", "ara", "vie"])]})
    for _ in range(15):
        name = rng.choice(samples["authors"])
        add("author", name.split(",")[0], field="author" if rng.random() < 0.5 else "keyword")
    for _ in range(10):
        add("ISBN", rng.choice(samples["isbns"]))
    for _ in range(count - len(mix)):
        add("barcode", rng.choice(samples["barcodes"]))
    return mix[:count]


def _raw_match_seconds(entry: dict[str, Any]) -> float | None:
    """The engine's own MATCH for the same words: count every matching record."""
    from django.db import connection

    from shelfwise.search.backends import get_backend
    from shelfwise.search.query import parse_query

    parsed = parse_query(entry["q"], entry["field"])
    if not parsed.words or parsed.isbn:
        return None
    matched = get_backend().match_sql(parsed)
    if matched is None:
        return None
    sql, params = matched
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS m", params)  # noqa: S608
        cursor.fetchone()
    return time.perf_counter() - started


def run(*, records: int, items: int, queries: int) -> dict[str, Any]:
    """The child's work: build, index (timed), query (timed); figures as a dict."""
    from django.db import connection

    from shelfwise.search.indexing import reindex_all
    from shelfwise.search.selectors import search

    text = Text()
    started = time.perf_counter()
    samples = build_catalog(records=records, items=items, text=text)
    build_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    indexed = reindex_all()
    index_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    mix = query_mix(samples, text, queries)
    school = samples["school"]
    # What the first large search after an index change pays (search/cache.py).
    from shelfwise.search import cache

    started = time.perf_counter()
    cache.columns()
    columns_seconds = time.perf_counter() - started

    def one(entry: dict[str, Any]) -> tuple[float, int]:
        began = time.perf_counter()
        result = search(
            query=entry["q"], filters=entry["filters"], field=entry["field"], school=school
        )
        return time.perf_counter() - began, result.total

    for entry in mix:  # warm-up: page cache and prepared plans, as a running server has
        one(entry)
    timings, by_kind = [], {}
    hits = []
    for entry in mix:
        seconds, total = one(entry)
        timings.append(seconds)
        hits.append(total)
        by_kind.setdefault(entry["kind"], []).append(seconds)
    raw = [s for s in (_raw_match_seconds(e) for e in mix) if s is not None]
    # A copy changes (as a check-out does): the next large search re-reads which
    # records are on the shelf at the school; the timed mix above did not.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_item SET status = status WHERE id = 1")
    started = time.perf_counter()
    cache.available(school, cache.columns().size)
    shelf_seconds = time.perf_counter() - started
    slowest = sorted(zip(timings, mix, hits, strict=True), key=lambda t: -t[0])[:5]
    return {
        "vendor": connection.vendor,
        "records": records,
        "items": items,
        "indexed": indexed,
        "build_seconds": build_seconds,
        "index_seconds": index_seconds,
        "columns_seconds": columns_seconds,
        "shelf_ms": shelf_seconds * 1000,
        "queries": len(mix),
        "search_ms": [t * 1000 for t in timings],
        "raw_ms": [t * 1000 for t in raw],
        "kinds": {k: [t * 1000 for t in v] for k, v in by_kind.items()},
        "median_hits": sorted(hits)[len(hits) // 2],
        "slowest": [
            {"ms": t * 1000, "q": e["q"][:60], "filters": e["filters"], "hits": h}
            for t, e, h in slowest
        ],
    }


# ---- The parent: fresh database, child, report ------------------------------------------


def bench_search(
    *,
    records: int,
    items: int,
    queries: int,
    database_url: str | None,
    write: Callable[[str], Any],
) -> dict[str, Any]:
    with fresh_database(database_url, "search") as env:
        write(
            f"building {records:,} records and {items:,} copies, indexing, "
            f"then {queries} queries … ({datetime.datetime.now():%H:%M:%S})"
        )
        result = run_child(
            ["bench_search_child", f"--records={records}", f"--items={items}",
             f"--queries={queries}"],
            env,
        )  # fmt: skip
    search_ms, raw_ms = result["search_ms"], result["raw_ms"]

    def line(label: str, values: list[float]) -> str:
        return (
            f"  {label:<28} p50 {percentile(values, 50):7.1f} ms   "
            f"p95 {percentile(values, 95):7.1f} ms   "
            f"p99 {percentile(values, 99):7.1f} ms   (n={len(values)})"
        )

    write(
        f"search ({result['vendor']}): {result['records']:,} records, {result['items']:,} copies\n"
        f"  catalog written in {result['build_seconds']:.1f} s; "
        f"index built in {result['index_seconds']:.1f} s ({result['indexed']:,} records); "
        f"in-memory columns built in {result['columns_seconds']:.2f} s\n"
        + line("search + facet counts", search_ms)
        + "\n"
        + line("raw FTS MATCH (same words)", raw_ms)
        + f"\n  after a copy changes, a large search first re-reads the shelf: "
        f"{result['shelf_ms']:.1f} ms\n  by kind of query (p50 / max):"
    )
    for kind, values in result["kinds"].items():
        write(f"    {kind:<26} {percentile(values, 50):7.1f} / {max(values):7.1f} ms")
    write(f"  median result size: {result['median_hits']:,} records; slowest:")
    for slow in result["slowest"]:
        write(f"    {slow['ms']:7.1f} ms  {slow['q']!r} {slow['filters']} ({slow['hits']:,} hits)")
    return result
