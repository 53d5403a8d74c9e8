"""Catalog search: the same results contract on SQLite FTS5 and PostgreSQL full text."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from shelfwise.catalog.importing import marc_import_file
from shelfwise.catalog.models import ItemStatus, Record
from shelfwise.catalog.services import item_update
from shelfwise.circulation.services import loan_checkin, loan_checkout
from shelfwise.search.backends import get_backend
from shelfwise.search.indexing import index_records, reindex_all, remove_records
from shelfwise.search.selectors import search

# Every test here runs twice: on the SQL path and on the in-memory columns.
pytestmark = pytest.mark.usefixtures("fast_password_hashing", "search_path")


AVAILABLE = ItemStatus.AVAILABLE
MARC_DATA = Path(__file__).resolve().parent.parent / "data" / "marc"


def titles(result) -> list[str]:
    return [r.title for r in result.records]


def test_backend_follows_the_database(db) -> None:
    assert get_backend().vendor == connection.vendor


def test_keyword_ignores_case_and_diacritics(make_record) -> None:
    volcan = make_record("El volcán dormido", languages=("spa",))
    make_record("Hatchet")
    for query in ("volcan", "VOLCÁN", "Volcán", "dormido volcan", "volcán!"):
        result = search(query=query)
        assert result.ids == [volcan.pk], query
    # a word of three letters or more also finds longer words
    assert search(query="volc").ids == [volcan.pk]
    assert search(query="volcanes").ids == []


def test_arabic_with_or_without_short_vowels_and_hamza(make_record) -> None:
    book = make_record("البركان الكبير", languages=("ara",))
    make_record("Wonder")
    for query in ("البركان", "البُرْكان", "الكبير", "البركان الكبير"):
        assert search(query=query).ids == [book.pk], query
    hamza = make_record("أسرار البحر", languages=("ara",))
    assert search(query="اسرار").ids == [hamza.pk]


def test_field_selector(make_record) -> None:
    by_ruiz = make_record("Tides", authors=["Ruiz, Lena"], subjects=["Oceans"])
    about_ruiz = make_record("Ruiz and the sea", subjects=["Fishing"])
    in_series = make_record("Book one", extra={"series": ["Ocean explorers"]})
    assert search(query="ruiz", field="author").ids == [by_ruiz.pk]
    assert search(query="ruiz", field="title").ids == [about_ruiz.pk]
    assert search(query="oceans", field="subject").ids == [by_ruiz.pk]
    assert search(query="explorers", field="series").ids == [in_series.pk]
    assert set(search(query="ruiz").ids) == {by_ruiz.pk, about_ruiz.pk}
    # an unknown field searches everything instead of failing
    assert set(search(query="ruiz", field="nonsense").ids) == {by_ruiz.pk, about_ruiz.pk}


def test_relevance_title_and_author_above_subject_above_summary(make_record) -> None:
    summary = make_record("Mountains of fire", summary="A journey to see penguins and other birds.")
    subject = make_record("Life at the pole", subjects=["Penguins"])
    title = make_record("Penguins")
    author = make_record("Cold water", authors=["Penguin, Polly"])
    ids = search(query="penguin").ids
    assert set(ids[:2]) == {title.pk, author.pk}
    assert ids[2:] == [subject.pk, summary.pk]


def test_ties_broken_by_availability_at_my_school(personas, make_record) -> None:
    here, other = personas.school, personas.other_school
    away = make_record("Volcano facts", copies=[(other, AVAILABLE)])
    out = make_record("Volcano facts", copies=[(here, ItemStatus.CHECKED_OUT)])
    on_shelf = make_record("Volcano facts", copies=[(here, AVAILABLE)])
    assert search(query="volcano", school=here).ids == [on_shelf.pk, away.pk, out.pk]
    assert search(query="volcano", school=other).ids[0] == away.pk

    # check-out and check-in move it in the very next search
    item = on_shelf.items.get()
    loan_checkout(item=item, patron=personas.student, by=personas.librarian)
    assert search(query="volcano", school=here).ids[-1] != away.pk
    assert search(query="volcano", school=here, filters={"available": "yes"}).ids == []
    loan_checkin(item=item, by=personas.librarian)
    assert search(query="volcano", school=here).ids[0] == on_shelf.pk


def test_isbn_in_any_form_and_barcode_go_straight_to_the_record(personas, make_record) -> None:
    esperanza = make_record("Esperanza rising", isbn="0-439-12041-1")
    make_record("Esperanza 9780439120418 in the title")
    for query in ("0-439-12041-1", "0439120411", "978-0-439-12041-8", " 9780439120418 "):
        result = search(query=query)
        assert result.ids == [esperanza.pk], query
        assert result.exact
    assert search(query="0439120411", field="isbn").ids == [esperanza.pk]
    assert search(query="no such isbn", field="isbn").ids == []
    copy = make_record("Wonder", copies=[(personas.school, AVAILABLE)]).items.get()
    assert search(query=copy.barcode).ids == [copy.record_id]


def test_facets_count_the_filtered_set_and_filters_narrow_it(personas, make_record) -> None:
    here = personas.school
    es1 = make_record(
        "Volcanes de México",
        languages=("spa",),
        subjects=["Volcanoes -- Mexico"],
        audience="c",
        extra={"lexile": 800},
        copies=[(here, AVAILABLE)],
    )
    es2 = make_record(
        "Los volcanes",
        languages=("spa", "eng"),
        subjects=["Volcanoes"],
        fmt="ebook",
        audience="j",
        extra={"lexile": 900},
    )
    en = make_record(
        "Volcanoes",
        subjects=["Volcanoes", "Earthquakes"],
        audience="c",
        extra={"reading_grade_min": 6, "reading_grade_max": 8},
        copies=[(here, ItemStatus.CHECKED_OUT)],
    )
    make_record("Hatchet", subjects=["Survival"])

    result = search(query="volc", school=here)
    assert set(result.ids) == {es1.pk, es2.pk, en.pk}
    assert result.total == 3
    f = result.facets
    assert f["language"] == [("eng", 2), ("spa", 2)]  # equal counts: by code
    assert f["format"] == [("book", 2), ("ebook", 1)]
    assert f["band"] == [("2-3", 1), ("4-5", 2), ("6-8", 1)]
    assert f["audience"] == [("c", 2), ("j", 1)]
    assert f["subject"][0] == ("Volcanoes", 3)
    assert ("Earthquakes", 1) in f["subject"]
    assert ("Survival", 1) not in f["subject"]
    assert f["available"] == [("yes", 1)]

    spanish = search(query="volc", school=here, filters={"language": ["spa"]})
    assert set(spanish.ids) == {es1.pk, es2.pk}
    assert spanish.facets["format"] == [("book", 1), ("ebook", 1)]
    assert spanish.facets["subject"] == [("Volcanoes", 2)]
    assert dict(spanish.facets["band"]) == {"2-3": 1, "4-5": 2}

    narrow = search(
        query="volc", school=here, filters={"language": ["spa"], "band": "4-5", "format": "book"}
    )
    assert narrow.ids == [es1.pk]
    both = search(query="", school=here, filters={"format": ["book", "ebook"], "audience": "c"})
    assert set(both.ids) == {es1.pk, en.pk}
    assert search(query="volc", school=here, filters={"available": ["yes"]}).ids == [es1.pk]
    # unknown facets and odd values are ignored, not errors
    odd = search(query="volc", filters={"colour": "red", "language": ["x\x00'; --", 7]})
    assert odd.total == 0


def test_empty_query_browses_by_title_and_pages(make_record) -> None:
    for title in ("Charlie", "alpha", "Bravo", "Écho", "delta"):
        make_record(title)
    first = search(query="   ", per_page=2)
    assert first.total == 5
    assert titles(first) == ["alpha", "Bravo"]
    assert titles(search(query="", page=3, per_page=2)) == ["Écho"]
    assert search(query="", page=99).records == []
    assert search(query="", page="x", per_page=-5).page == 1


def test_edit_is_visible_in_the_next_search(make_record) -> None:
    record = make_record("The old title")
    record.title = "A brand new title"
    record.save()
    assert search(query="old").ids == []
    assert search(query="brand").ids == [record.pk]


def test_item_status_change_is_visible_in_the_next_search(personas, make_record) -> None:
    record = make_record("Tornado", copies=[(personas.school, AVAILABLE)])
    filters = {"available": "yes"}
    assert search(query="tornado", school=personas.school, filters=filters).ids == [record.pk]
    item_update(item=record.items.get(), by=personas.librarian, status=ItemStatus.MISSING)
    assert search(query="tornado", school=personas.school, filters=filters).ids == []


def test_deleted_record_leaves_the_index(make_record) -> None:
    record = make_record("Ephemeral")
    record.delete()
    assert search(query="ephemeral").ids == []


def test_import_is_visible_in_the_next_search(personas) -> None:
    path = MARC_DATA / "koha" / "koha_sample_biblios_2016.mrc"
    if not path.exists():
        pytest.skip("Koha sample not there")
    marc_import_file(path=path, school=personas.school)
    record = Record.objects.order_by("pk").first()
    word = next(w for w in record.title.split() if len(w) > 4 and w.isalpha())
    assert record.pk in search(query=word, per_page=100).ids
    assert search(query="").total == Record.objects.count()


def test_reindex_rebuilds_from_scratch(make_record) -> None:
    record = make_record("Rebuilt from scratch", languages=("spa",))
    remove_records([record.pk])
    assert search(query="rebuilt").ids == []
    call_command("reindex", verbosity=0)
    result = search(query="rebuilt")
    assert result.ids == [record.pk]
    assert result.facets["language"] == [("spa", 1)]
    # index_records is idempotent and drops ids that are gone
    index_records([record.pk, record.pk, 10**9])
    assert reindex_all() == 1
    assert search(query="rebuilt").ids == [record.pk]


def test_fixed_number_of_queries(make_record, django_assert_max_num_queries, search_path) -> None:
    for n in range(30):
        make_record(f"Rocks and minerals {n}", subjects=[f"Rocks {n % 3}"])
    search(query="rocks")  # builds the columns
    # columns: count, tokens twice, matches, availability, up to four tiers, records
    with django_assert_max_num_queries(6 if search_path == "sql" else 10):
        result = search(query="rocks", per_page=25)
    assert len(result.records) == 25
    assert result.total == 30
