"""Holdings: real 852s from the test files, Koha 952 and Destiny 852 layouts (DOMAIN.md §4),
and the round trip through Shelfwise's own 852 export profile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pymarc
from hypothesis import given, settings
from hypothesis import strategies as st

from shelfwise.marc.holdings import Holding, extract_holdings, holding_to_field
from tests.marc.conftest import good


def _record(*fields: pymarc.Field) -> pymarc.Record:
    return pymarc.Record(leader="00000nam a2200000 a 4500", fields=list(fields))


def _df(tag: str, *pairs: str) -> pymarc.Field:
    subs = [pymarc.Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(" ", " "), subfields=subs)


def test_real_852_with_barcode_binary_and_marcxml_agree() -> None:
    # Open Library copy of a UPenn-style 852: $b MAIN $h PT2638.E4 $i L4 1913 $p barcode.
    for name in (
        "openlibrary/lesabndioeinas00sche_meta.mrc",
        "openlibrary/lesabndioeinas00sche_marc.xml",
    ):
        (item,) = good(name)
        holdings, warnings = extract_holdings(item.record)
        assert warnings == []
        assert holdings == [
            Holding(
                barcode="39097010041581",
                location="MAIN",
                call_number="PT2638.E4 L4 1913",
                source_tag="852",
            )
        ]


def test_evergreen_852_call_number_in_j() -> None:
    holdings, _ = extract_holdings(good("evergreen/map_data.mrc")[0].record)
    assert [(h.barcode, h.location, h.call_number) for h in holdings] == [
        ("11223344", "BR1", "G4362.C6C5 s250.C37")
    ]
    assert "nonreference" in holdings[0].notes


def test_852_without_barcode_is_skipped_with_a_warning() -> None:
    holdings, warnings = extract_holdings(good("pymarc/1251.dat")[0].record)
    assert holdings == []
    assert warnings == ["852 #1 has no barcode ($p); skipped"]
    # Koha's sample catalogue carries only barcode-less 852s (its items live in a table).
    koha = [extract_holdings(p.record) for p in good("koha/koha_sample_biblios_2016.mrc")]
    assert sum(len(h) for h, _ in koha) == 0 and sum(len(w) for _, w in koha) == 5


def test_koha_952_layout() -> None:
    record = _record(
        _df("952", "a", "CPL", "b", "CPL", "c", "GEN", "d", "2019-08-12", "g", "12.50",
            "o", "641.3 Gra", "p", "03010379371001", "t", "1", "v", "15.99", "y", "BK",
            "z", "Signed copy", "x", "Gift"),
        _df("952", "8", "REF", "p", "03010379371002", "g", "9.95", "d", "12/08/2019"),
        _df("952", "a", "CPL", "o", "641.3 Gra"),
    )  # fmt: skip
    holdings, warnings = extract_holdings(record)
    assert holdings[0] == Holding(
        barcode="03010379371001",
        location="GEN",
        call_number="641.3 Gra",
        item_type="BK",
        copy_number="1",
        price=Decimal("15.99"),
        acquired=date(2019, 8, 12),
        source_tag="952",
        notes="Signed copy; Gift",
    )
    assert holdings[1].location == "REF" and holdings[1].price == Decimal("9.95")
    assert holdings[1].acquired is None
    assert warnings == [
        "952 #2: date '12/08/2019' is not YYYY-MM-DD; left empty",
        "952 #3 has no barcode ($p); skipped",
    ]


def test_destiny_852_implied_cents() -> None:
    record = _record(
        _df("852", "a", "LMS", "b", "Fiction", "k", "FIC", "h", "WHI", "p", "T 12345",
            "t", "2", "9", "1599"),
        _df("852", "b", "Reference", "h", "398.2", "p", "T 12346", "9", "15.99"),
        _df("852", "p", "T 12347", "9", "n/a"),
    )  # fmt: skip
    holdings, warnings = extract_holdings(record)
    assert [(h.call_number, h.price, h.copy_number) for h in holdings] == [
        ("FIC WHI", Decimal("15.99"), "2"),
        ("398.2", Decimal("15.99"), ""),
        ("", None, ""),
    ]
    assert warnings == ["852 #3: price 'n/a' is not a number; left empty"]


def test_export_profile_field() -> None:
    h = Holding(
        barcode="T 12345",
        location="Fiction",
        call_number="FIC WHI",
        item_type="Book",
        copy_number="1",
        price=Decimal("15.99"),
        acquired=date(2024, 9, 1),
    )
    assert str(holding_to_field(h, "LMS")) == (
        "=852  \\\\$aLMS$bFiction$hFIC WHI$pT 12345$t1$91599$xItem type: Book$xAcquired: 2024-09-01"
    )


_words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)
_text = st.builds(lambda a, b: f"{a} {b}" if b else a, _words, _words | st.just(""))


@settings(max_examples=200, deadline=None)
@given(
    barcode=_words,
    location=_text | st.just(""),
    call_number=_text | st.just(""),
    item_type=_text | st.just(""),
    copy_number=_words | st.just(""),
    price=st.none() | st.decimals(min_value=0, max_value=999999, places=2),
    acquired=st.none() | st.dates(min_value=date(1900, 1, 1)),
    notes=_text | st.just(""),
)
def test_export_profile_round_trips(**values: object) -> None:
    h = Holding(source_tag="852", **values)  # type: ignore[arg-type]
    if h.notes.startswith(("Item type: ", "Acquired: ")):
        return
    holdings, warnings = extract_holdings(_record(holding_to_field(h, "LMS")))
    assert warnings == []
    assert holdings == [h]


def test_a_holding_crosses_a_pipe_whole() -> None:
    """Import hands holdings between processes by pickle (Holding.__reduce__)."""
    import pickle

    holding = Holding(
        barcode="T1",
        location="Easy",
        call_number="E SAH",
        item_type="book",
        copy_number="2",
        price=Decimal("15.95"),
        acquired=date(2023, 6, 12),
        source_tag="952",
        notes="gift",
    )
    assert pickle.loads(pickle.dumps(holding, protocol=pickle.HIGHEST_PROTOCOL)) == holding  # noqa: S301 - our own bytes
