"""A query is data, never syntax: any text gives results or an empty page, on either backend.

Hypothesis drives the backend of the database in use (SQLite FTS5 locally,
PostgreSQL in CI with DATABASE_URL), on both search paths (search_path).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelfwise.search.query import parse_query
from shelfwise.search.selectors import search
from shelfwise.search.text import words

# Both paths: the SQL one and the in-memory columns of large result sets.
pytestmark = pytest.mark.usefixtures("fast_password_hashing", "search_path")

NASTY = [
    '"',
    '""',
    '"volcano',
    "volcano*",
    "*",
    "**volc*",
    "volcano AND",
    "AND OR NOT",
    "volcano NEAR(fire lava, 2)",
    "NEAR/3",
    "-volcano",
    "- -",
    "volcano -lava",
    "((volcano",
    "volcano)))",
    "title:volcano",
    "{title} : volcano",
    "^volcano",
    "volcano'; DROP TABLE catalog_record; --",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "a\x00b",
    "\x00",
    "🌋 volcano 🔥",
    "🌋",
    "x" * 5000,
    "volcano " * 1000,
    "ب" * 5000,
    "!:&|<->",
    "'simple':*",
    "volcano <-> lava",
    "\ud800",
    "\u200f\u200e\u202e",
    "９７８０４３９１２０４１８",
    "٩٧٨٠٤٣٩١٢٠٤١٨",
]
FIELDS = ["keyword", "title", "author", "subject", "series", "isbn", "bogus"]


@pytest.fixture
def catalog(make_record, personas):
    make_record("Volcano", subjects=["Volcanoes"], copies=[(personas.school, "available")])
    make_record("El volcán y la lava", languages=("spa",), summary="Fire and lava.")
    make_record("البركان", languages=("ara",))
    return personas


@pytest.mark.parametrize("query", NASTY)
def test_nasty_queries_in_every_field(catalog, query) -> None:
    for field in FIELDS:
        result = search(query=query, field=field, school=catalog.school)
        assert result.total >= 0
        assert len(result.records) <= result.total


def test_operators_are_words(catalog) -> None:
    # "volcano AND" looks for both words, and no record has "and" with "volcano"
    assert search(query="volcano AND").total == 0
    assert search(query="volcan OR lava").total == 0  # no record has "or"
    assert search(query="-volcan").total == 2  # "-" is not NOT
    assert search(query='"volcan"*').total == 2


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [*NASTY[:30], "volcano", "lava", "AND", "NEAR", "*", '"', "(", ")", "-", "'"]
            ),
            max_size=8,
        ).map(" ".join),
    ),
    field=st.sampled_from(FIELDS),
    language=st.one_of(st.none(), st.text(max_size=5)),
)
def test_any_text_is_data(catalog, query, field, language) -> None:
    filters = {"language": [language]} if language is not None else None
    result = search(query=query, field=field, filters=filters, school=catalog.school)
    assert result.total >= 0
    assert len(result.records) <= min(result.total, result.query and 20)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(
        alphabet=st.sampled_from("abcdeéñüçßøæ ABCÉ 0123 -'\"*()áرشيدبُ"),
        min_size=1,
        max_size=40,
    ).filter(lambda t: words(t))
)
def test_a_record_is_found_by_its_own_title(make_record, title) -> None:
    record = make_record(title)
    try:
        assert record.pk in search(query=title, field="title", per_page=100).ids
    finally:
        record.delete()


def test_parse_query_keeps_only_words() -> None:
    parsed = parse_query('  "Volcán"* AND (lava -fire) NEAR/2 🌋 \x00 ')
    assert parsed.words == ("volcan", "and", "lava", "fire", "near", "2")
    assert parse_query("x" * 5000).words == ("x" * 64,)
    assert len(parse_query("a " * 5000).words) == 1
    assert len(parse_query(" ".join(f"w{i}" for i in range(500))).words) == 32
    assert parse_query("0-439-12041-1").isbn == "9780439120418"
    assert parse_query("title words").barcode is None
