"""shelfwise.marc.build: a record typed by hand becomes ordinary MARC 21."""

from __future__ import annotations

import datetime
import io

import pymarc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelfwise.marc.build import FORMATS, build_record, nonfiling_characters
from shelfwise.marc.extract import extract

ENTERED = datetime.date(2024, 3, 5)


def caterpillar(**overrides: object) -> pymarc.Record:
    fields = {
        "title": "The very hungry caterpillar",
        "subtitle": "a story",
        "authors": ["Carle, Eric", "Ruiz, Lena"],
        "isbn": "0-399-22690-7",
        "publisher": "Philomel Books",
        "year": 1987,
        "languages": ("eng",),
        "summary": "A caterpillar eats its way through the week.",
        "subjects": ["Caterpillars -- Juvenile fiction", "Days"],
        "dewey": "[E]",
        "fmt": "book",
        "audience": "a",
        "entered": ENTERED,
    }
    fields.update(overrides)
    return build_record(**fields)


def reparse(record: pymarc.Record) -> pymarc.Record:
    """Through ISO 2709 bytes and back, as storage and export do."""
    data = record.as_marc()
    return next(iter(pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True)))


def test_leader_says_unicode_language_material_monograph_isbd() -> None:
    leader = str(caterpillar().leader)
    assert len(leader) == 24
    assert leader[5:8] == "nam"
    assert leader[9] == "a"  # UTF-8
    assert leader[17] == "7"  # minimal level: a brief record typed by hand
    assert leader[18] == "i"  # ISBD punctuation included
    assert leader[20:24] == "4500"


def test_008_positions() -> None:
    f008 = caterpillar(languages=("spa", "eng"), audience="c").get("008").data
    assert len(f008) == 40
    assert f008[0:6] == "240305"
    assert f008[6] == "s"
    assert f008[7:11] == "1987"
    assert f008[22] == "c"
    assert f008[35:38] == "spa"
    assert f008[39] == "d"


def test_008_without_year_says_dates_unknown() -> None:
    f008 = caterpillar(year=None).get("008").data
    assert f008[6] == "n"
    assert f008[7:11] == "uuuu"
    assert caterpillar(year=None).get("264").get_subfields("b", "c") == ["Philomel Books."]


def test_isbn_10_is_stored_as_isbn_13() -> None:
    assert caterpillar().get("020")["a"] == "9780399226908"
    assert caterpillar(isbn="978-0-399-22690-8").get("020")["a"] == "9780399226908"


def test_invalid_isbn_is_refused() -> None:
    with pytest.raises(ValueError, match="ISBN"):
        caterpillar(isbn="0-399-22690-8")


def test_title_statement_carries_isbd_punctuation_and_nonfiling_count() -> None:
    f245 = caterpillar().get("245")
    assert f245.indicators == pymarc.Indicators("1", "4")
    assert f245.get_subfields("a") == ["The very hungry caterpillar :"]
    assert f245.get_subfields("b") == ["a story /"]
    assert f245.get_subfields("c") == ["Eric Carle, Lena Ruiz."]


def test_title_alone_ends_with_a_period_and_no_author_means_ind1_0() -> None:
    f245 = build_record(title="Cuentos de la selva", authors=(), languages=("spa",)).get("245")
    assert f245.indicators == pymarc.Indicators("0", "0")
    assert f245["a"] == "Cuentos de la selva."
    assert build_record(title="Where is it?").get("245")["a"] == "Where is it?"


@pytest.mark.parametrize(
    ("title", "language", "count"),
    [
        ("The cat", "eng", 4),
        ("An apple", "eng", 3),
        ("A", "eng", 0),
        ("Apples", "eng", 0),
        ("El principito", "spa", 3),
        ("L'étranger", "fre", 2),
        ("“The end”", "eng", 5),
        ("The cat", "ara", 0),
    ],
)
def test_nonfiling_characters(title: str, language: str, count: int) -> None:
    assert nonfiling_characters(title, language) == count


def test_authors_main_and_added_entries() -> None:
    record = caterpillar(authors=["Carle, Eric", "Ruiz, Lena", "Homer"])
    assert record.get("100").indicators == pymarc.Indicators("1", " ")
    assert record.get("100")["a"] == "Carle, Eric."
    added = record.get_fields("700")
    assert [f["a"] for f in added] == ["Ruiz, Lena.", "Homer."]
    assert added[1].indicators[0] == "0"  # forename / single name


def test_publication_264_second_indicator_1() -> None:
    f264 = caterpillar().get("264")
    assert f264.indicators == pymarc.Indicators(" ", "1")
    assert f264.get_subfields("b", "c") == ["Philomel Books,", "1987."]


def test_bilingual_book_gets_041_with_both_languages() -> None:
    record = caterpillar(languages=("spa", "eng"))
    assert record.get("041").get_subfields("a") == ["spa", "eng"]
    assert caterpillar().get("041") is None


def test_subjects_summary_dewey() -> None:
    record = caterpillar()
    subjects = record.get_fields("650")
    assert subjects[0].indicators == pymarc.Indicators(" ", "0")
    assert subjects[0].get_subfields("a", "v") == ["Caterpillars", "Juvenile fiction."]
    assert subjects[1]["a"] == "Days."
    assert record.get("520")["a"].startswith("A caterpillar")
    assert record.get("082")["a"] == "[E]"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_builds_valid_iso2709(fmt: str) -> None:
    record = caterpillar(fmt=fmt)
    leader06, leader07, *_ = FORMATS[fmt]
    back = reparse(record)
    assert str(back.leader)[6:8] == f"{leader06}{leader07}"
    assert len(back.get("008").data) == 40
    assert back.get("245")["a"] == "The very hungry caterpillar :"


def test_format_specific_coding() -> None:
    graphic = caterpillar(fmt="graphic_novel")
    assert graphic.get("008").data[24] == "6"
    assert graphic.get("655").get_subfields("a", "2") == ["Graphic novels.", "lcgft"]
    assert caterpillar(fmt="ebook").get("008").data[23] == "o"
    assert caterpillar(fmt="ebook").get("338")["b"] == "cr"
    assert caterpillar(fmt="large_print").get("008").data[23] == "d"
    audiobook = caterpillar(fmt="audiobook")
    assert str(audiobook.leader)[6] == "i"
    assert audiobook.get("336")["b"] == "spw"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        build_record(title="  ")
    with pytest.raises(ValueError):
        build_record(title="X", fmt="scroll")
    with pytest.raises(ValueError):
        build_record(title="X", audience="ab")


def test_non_latin_text_survives_iso2709() -> None:
    record = build_record(
        title="الأمير الصغير",
        authors=["سانت إكزوبيري، أنطوان"],
        languages=("ara",),
        summary="中文 and Tiếng Việt",
        entered=ENTERED,
    )
    back = reparse(record)
    assert back.get("245").get_subfields("a", "c") == ["الأمير الصغير /", "سانت إكزوبيري، أنطوان."]
    assert back.get("520")["a"] == "中文 and Tiếng Việt"
    assert back.get("008").data[35:38] == "ara"


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x1d\x1e\x1f"),
    max_size=80,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=text.filter(lambda t: t.strip()),
    subtitle=text,
    authors=st.lists(text, max_size=3),
    subjects=st.lists(text, max_size=3),
    publisher=text,
    year=st.one_of(st.none(), st.integers(min_value=1450, max_value=2100)),
)
def test_any_typed_text_builds_a_record_that_reads_back(
    title: str,
    subtitle: str,
    authors: list[str],
    subjects: list[str],
    publisher: str,
    year: int | None,
) -> None:
    record = build_record(
        title=title,
        subtitle=subtitle,
        authors=authors,
        subjects=subjects,
        publisher=publisher,
        year=year,
        entered=ENTERED,
    )
    back = reparse(record)
    assert back.get("245") is not None
    assert len(back.get("008").data) == 40


# -- Round trip through the extraction rules the catalog uses ------------------------------


def test_round_trip_through_extract() -> None:
    bib = extract(reparse(caterpillar(languages=("spa", "eng"), audience="b", dewey="595.78")))
    assert bib.title.startswith("The very hungry caterpillar")
    assert "a story" in bib.title
    assert bib.main_author.startswith("Carle, Eric")
    assert bib.isbns == ["9780399226908"]
    assert bib.languages[:2] == ["spa", "eng"]
    assert bib.pub_year == 1987
    assert bib.audience == "b"
    assert bib.format == "book"
    assert bib.publisher.startswith("Philomel Books")
    assert any(s.startswith("Caterpillars") for s in bib.subjects)
    assert bib.summary.startswith("A caterpillar eats")
    assert bib.dewey == "595.78"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_round_trips_through_extract(fmt: str) -> None:
    assert extract(reparse(caterpillar(fmt=fmt))).format == fmt
