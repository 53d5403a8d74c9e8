"""The demo and benchmark MARC generator on its own: no database.

Records are written to a file and read back with pymarc, so every check is
on what an importer would actually receive.
"""

from __future__ import annotations

import datetime
import random
import re
from collections import Counter
from pathlib import Path

import pymarc
import pytest
from stdnum import isbn as stdnum_isbn

from shelfwise.catalog.generate import (
    DEMO_NOTE,
    bench_records,
    demo_records,
    with_holdings,
    write_marc_file,
)
from shelfwise.catalog.generate.fields import subject_field
from shelfwise.catalog.generate.holdings import cutter, dewey_class


def _read(path: Path) -> list[pymarc.Record | None]:
    with path.open("rb") as handle:
        return list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))


def _with_copies(records, seed: int = 3):
    rng, barcode = random.Random(seed), 1
    for record in records:
        copies = rng.randint(1, 3)
        yield with_holdings(
            record, school_code="LMS", copies=copies, barcode_start=barcode, rng=rng
        )
        barcode += copies


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.mrc"
    assert write_marc_file(_with_copies(demo_records()), path) == 2400
    return path


@pytest.fixture(scope="module")
def demo(demo_file) -> list[pymarc.Record]:
    return _read(demo_file)


def _values(record: pymarc.Record, tag: str, code: str) -> list[str]:
    return [v for f in record.get_fields(tag) for v in f.get_subfields(code)]


def _languages(record: pymarc.Record) -> set[str]:
    return {record["008"].data[35:38], *_values(record, "041", "a")}


def _invented(record: pymarc.Record) -> bool:
    return record["003"].data == "Shelfwise"


def test_count_and_every_record_parses_back(demo):
    assert len(demo) == 2400
    assert all(record is not None for record in demo)
    assert all(record.leader[9] == "a" and record.leader[6:8] in ("am", "im") for record in demo)
    assert len({(r["001"].data, r["003"].data) for r in demo}) == 2400


def test_isbns_are_valid_and_unique(demo):
    isbn13s = []
    for record in demo:
        numbers = _values(record, "020", "a")
        assert numbers, record["001"]
        assert all(stdnum_isbn.is_valid(n) for n in numbers), numbers
        # A record may give the same ISBN in its 10- and 13-digit forms; records never share one.
        isbn13s += {stdnum_isbn.to_isbn13(n) for n in numbers}
        if _invented(record):
            assert all(n.startswith("9798") and len(n) == 13 for n in numbers)
    assert len(isbn13s) == len(set(isbn13s))


def test_many_languages_including_spanish_and_arabic(demo):
    languages = Counter(lang for record in demo for lang in _languages(record))
    assert {"spa", "ara", "vie", "som", "chi", "hat", "kor", "por"} <= set(languages)
    assert len(languages) >= 7
    assert languages["spa"] >= 50 and languages["ara"] >= 20
    bilingual = [r for r in demo if len(_values(r, "041", "a")) >= 2]
    assert any({"spa", "eng"} <= set(_values(r, "041", "a")) for r in bilingual)
    for record in demo:
        if _invented(record) and record["008"].data[35:38] != "eng":
            assert _values(record, "546", "a"), record["245"]


def test_arabic_titles_are_in_arabic_script(demo):
    arabic = [r for r in demo if _invented(r) and r["008"].data[35:38] == "ara"]
    assert arabic
    assert all(re.search("[\u0600-\u06ff]", r["245"]["a"]) for r in arabic)


def test_fiction_and_nonfiction_in_every_dewey_hundred(demo):
    forms = Counter(r["008"].data[33] for r in demo if r.leader[6] == "a")
    assert forms["1"] > 300 and forms["0"] > 800
    hundreds = {
        d.lstrip("[")[0]
        for r in demo
        for d in _values(r, "082", "a")
        if d.lstrip("[")[:1].isdigit()
    }
    assert hundreds == set("0123456789")


def test_audiences_from_picture_books_to_young_adult(demo):
    audiences = Counter(r["008"].data[22] for r in demo)
    assert all(audiences[code] >= 20 for code in "abcdj"), audiences


def test_formats(demo):
    genres = Counter(g.rstrip(".") for r in demo for g in _values(r, "655", "a"))
    assert genres["Graphic novels"] >= 5 and genres["Picture books"] >= 10
    assert genres["Board books"] >= 2
    graphic = [r for r in demo if r.leader[6] == "a" and r["008"].data[24] == "6"]
    assert graphic and all("Graphic novels." in _values(r, "655", "a") for r in graphic)
    audio = [r for r in demo if r.leader[6] == "i"]
    assert audio and all(_values(r, "336", "b") == ["spw"] for r in audio)
    ebooks = [r for r in demo if r.leader[6] == "a" and r["008"].data[23] == "o"]
    assert ebooks and all(_values(r, "338", "b") == ["cr"] for r in ebooks)
    books = [r for r in demo if r.leader[6] == "a" and r["008"].data[23] == " "]
    assert all(_values(r, "338", "b") == ["nc"] for r in books)


def test_reading_levels_on_a_share_and_plausible(demo):
    lexiles: dict[str, list[int]] = {}
    with_level = 0
    for record in demo:
        for f in record.get_fields("521"):
            if f.indicator1 == "8" and f.get("b") == "Lexile.":
                with_level += 1
                match = re.fullmatch(r"(AD|GN|HL|BR)?(\d+)L", f["a"])
                assert match, f["a"]
                value = -int(match[2]) if match[1] == "BR" else int(match[2])
                lexiles.setdefault(record["008"].data[22], []).append(value)
                assert DEMO_NOTE in " ".join(_values(record, "500", "a"))
        for f in record.get_fields("526"):
            assert f["a"] == "Accelerated Reader" and f["b"] in ("LG", "MG", "MG+", "UG")
            assert 0.3 <= float(f["c"]) <= 14 and float(f["d"]) >= 0.5
    assert 0.3 <= with_level / len(demo) <= 0.8

    def mean(values: list[int]) -> float:
        return sum(values) / len(values)

    assert mean(lexiles["b"]) < mean(lexiles["c"]) < mean(lexiles["d"])


def test_every_generated_record_says_so(demo):
    invented = [r for r in demo if _invented(r)]
    assert 300 <= len(invented) <= 400
    for record in invented:
        assert any(n.startswith(DEMO_NOTE) for n in _values(record, "500", "a"))
    real = [r for r in demo if not _invented(r)]
    assert all(r["003"].data == "DLC" for r in real)
    assert any(not _values(r, "500", "a") for r in real)  # untouched LoC records stay so


def test_holdings_follow_the_export_profile(demo):
    barcodes = []
    locations = Counter()
    for record in demo:
        holdings = record.get_fields("852")
        assert 1 <= len(holdings) <= 3
        for number, f in enumerate(holdings, start=1):
            assert f["a"] == "LMS" and f["h"] and f["i"]
            assert re.fullmatch(r"T\d{8}", f["p"]) and f["t"] == str(number)
            assert re.fullmatch(r"\d{3,5}", f["9"])
            notes = f.get_subfields("x")
            assert notes[0].startswith("Item type: ")
            acquired = datetime.date.fromisoformat(notes[1].removeprefix("Acquired: "))
            assert datetime.date(1990, 1, 1) <= acquired <= datetime.date(2025, 12, 31)
            barcodes.append(f["p"])
            locations[f["b"]] += 1
    assert len(barcodes) == len(set(barcodes))
    assert {
        "Fiction",
        "Nonfiction",
        "Easy",
        "Graphic Novels",
        "Reference",
        "Audiobooks",
        "eBooks",
        "World Languages",
    } <= set(locations)


def test_same_seed_same_bytes_other_seed_other_records(tmp_path, demo_file):
    again = tmp_path / "again.mrc"
    write_marc_file(_with_copies(demo_records()), again)
    assert again.read_bytes() == demo_file.read_bytes()
    other = [r["001"].data for r in demo_records(count=50, seed=8)]
    assert other != [r["001"].data for r in demo_records(count=50)]


def test_small_demo_still_has_every_language():
    records = list(demo_records(count=100))
    assert len(records) == 100
    assert {"spa", "ara", "vie", "som", "chi", "hat", "por", "kor"} <= {
        lang for r in records for lang in _languages(r)
    }


def test_bench_records_are_distinct_with_copies(tmp_path):
    # More than the 2,400 LoC rows, so rows come round again as new records.
    path = tmp_path / "bench.mrc"
    assert write_marc_file(bench_records(count=3000, school_codes=("LMS", "OAK")), path) == 3000
    records = _read(path)
    assert all(r is not None for r in records)
    assert len({r["001"].data for r in records}) == 3000
    isbns = [i for r in records for i in {stdnum_isbn.to_isbn13(n) for n in _values(r, "020", "a")}]
    assert len(isbns) == len(set(isbns))
    barcodes = [f["p"] for r in records for f in r.get_fields("852")]
    assert len(barcodes) == len(set(barcodes))
    assert all(1 <= len(r.get_fields("852")) <= 3 for r in records)
    assert {f["a"] for r in records for f in r.get_fields("852")} == {"LMS", "OAK"}
    assert len({lang for r in records for lang in _languages(r)}) >= 9


def test_marcxml_output_parses_back(tmp_path):
    path = tmp_path / "demo.xml"
    assert write_marc_file(demo_records(count=40), path, fmt="marcxml") == 40
    records = pymarc.parse_xml_to_array(str(path), strict=True)
    assert [r["001"].data for r in records] == [r["001"].data for r in demo_records(count=40)]
    with pytest.raises(ValueError):
        write_marc_file([], tmp_path / "x", fmt="json")


@pytest.mark.parametrize(
    ("heading", "ind2", "codes"),
    [
        ("Earthworms -- Juvenile literature", "0", "av"),
        ("Inventors -- United States -- Biography -- Juvenile literature", "0", "azvv"),
        ("Folklore -- Russia", "1", "az"),
        ("Authors, American -- 20th century -- Biography", "1", "ayv"),
        ("Pearl Harbor (Hawaii), Attack on, 1941 -- Juvenile literature", "0", "av"),
        ("United States -- History -- Civil War, 1861-1865", "1", "axy"),
        ("Jews -- Palestine -- History -- Fiction", "1", "azxv"),
        ("Reading -- Study and teaching (Elementary)", "1", "ax"),
        ("Cookery -- Mexico -- Juvenile literature", "0", "azv"),
        ("Volcanoes -- Washington (State) -- Juvenile literature", "0", "azv"),
    ],
)
def test_subject_headings_split_into_subfields(heading, ind2, codes):
    f = subject_field(heading)
    assert f.tag == "650" and f.indicator2 == ind2
    assert "".join(s.code for s in f.subfields) == codes
    assert f.subfields[-1].value.endswith((".", ")", "-"))


def test_call_number_parts():
    assert dewey_class("592/.64") == "592.64"
    assert dewey_class("810.9/9282 B") == "810.992"
    assert dewey_class("[Fic]") == ""
    record = pymarc.Record()
    record.add_field(
        pymarc.Field("100", pymarc.Indicators("1", " "), [pymarc.Subfield("a", "García, Sofía,")])
    )
    assert cutter(record) == "GAR"
