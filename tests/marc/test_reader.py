"""Golden behaviour of shelfwise.marc.reader on the real test files: counts, rejections,
encodings, offsets, streaming, and refusal of files that are not MARC."""

from __future__ import annotations

import io
import tracemalloc

import pymarc
import pytest

from shelfwise.marc.encoding import choose_encoding
from shelfwise.marc.reader import NotMarcError, ParsedRecord, RejectedRecord, open_marc
from tests.marc.conftest import DATA, all_data_files, good, read_all, rejected

# file -> (parsed, rejected), from testdata/SOURCES.md and the behaviour the brief asks for.
EXPECTED_COUNTS = {
    "loc/loc_booksall2016_juvenile_sample.mrc": (1000, 0),
    "koha/koha_sample_biblios_2016.mrc": (436, 0),
    "koha/koha_sample_biblios.marcxml.xml": (435, 0),
    "koha/koha_sample_biblios_invalid_xml_ctrl_chars.xml": (1, 0),
    "pymarc/bad_records.mrc": (2, 7),
    "pymarc/bad_indicator.dat": (1, 0),  # the 821 bytes of padding are not a record
    "pymarc/testunimarc.dat": (0, 1),
    "pymarc/1251.dat": (6, 0),
    "pymarc/batch.json": (2, 0),
    "pymarc/one.json": (1, 0),
    "pymarc/test.json": (1, 0),
    "pymarc/batch.xml": (2, 0),
    "pymarc/bad_tag.xml": (1, 0),
    "evergreen/oss.marc": (42, 0),  # record 28 (0x92 in the leader) is recovered
    "evergreen/FSL.marc": (52, 0),
    "evergreen/hebrew.marc": (20, 0),
    "evergreen/lul_fre_100.mrc": (100, 0),
    "evergreen/auth-subset100.mrc": (0, 17),
    "evergreen/nightwatch-authority-record.mrc": (0, 1),
    "evergreen/serials_marc21.xml": (7, 0),  # no root element
    "evergreen/serials_mfhd.xml": (0, 7),  # holdings records
    "evergreen/sample_acq_order.mrc": (10, 0),
    "ruby-marc/three-records-second-bad.xml": (2, 1),
    "ruby-marc/cp866_multirecord.marc": (0, 2),
    "ruby-marc/cp866_unimarc.marc": (0, 1),
    "ruby-marc/marc8_accented_chars.marc": (1, 0),
    "ruby-marc/utf8_with_bad_bytes.marc": (1, 0),
    "ruby-marc/marc_with_bad_utf8.utf8.marc": (1, 0),
    "openlibrary/dasrmischepriv00rein_meta.mrc": (1, 0),
    "openlibrary/lesabndioeinas00sche_meta.mrc": (1, 0),
    "openlibrary/poganucpeoplethe00stowuoft_meta.mrc": (1, 0),
    "openlibrary/new_poganucpeoplethe00stowuoft_meta.mrc": (1, 0),
}


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED_COUNTS.items()))
def test_record_counts(name: str, expected: tuple[int, int]) -> None:
    items = read_all(name)
    parsed = sum(isinstance(i, ParsedRecord) for i in items)
    assert (parsed, len(items) - parsed) == expected
    assert [i.position for i in items] == list(range(1, len(items) + 1))


@pytest.mark.parametrize("name", all_data_files())
def test_every_file_reads_without_raising_and_parsed_records_are_unicode(name: str) -> None:
    for item in read_all(name):
        if isinstance(item, ParsedRecord):
            assert item.record.leader[9] == "a"
            assert item.raw
        else:
            assert item.reason and item.position >= 1


def test_bad_records_gives_a_distinct_reason_for_each_failure() -> None:
    reasons = [r.reason for r in rejected("pymarc/bad_records.mrc")]
    assert len(set(reasons)) == 7
    assert any("base address of data 'f0037' is not a number" in r for r in reasons)
    assert any("beyond the end of the record" in r for r in reasons)
    assert any("truncated" in r for r in reasons)
    assert any("no fields" in r for r in reasons)
    # The salvaged title lets a librarian find the record that failed.
    assert any(
        r.title.startswith("The pragmatic programmer") for r in rejected("pymarc/bad_records.mrc")
    )


def test_non_bibliographic_and_unimarc_reasons() -> None:
    auth = rejected("evergreen/auth-subset100.mrc")
    assert all(r.reason.startswith("authority record (leader/06 'z')") for r in auth)
    assert all(r.control_number for r in auth)
    assert all("holdings record" in r.reason for r in rejected("evergreen/serials_mfhd.xml"))
    (uni,) = rejected("pymarc/testunimarc.dat")
    assert uni.reason.startswith("UNIMARC record, not MARC 21")
    assert uni.title.startswith("L'altra faccia della spirale")


def test_record_with_a_garbled_leader_byte_is_recovered() -> None:
    record = good("evergreen/oss.marc")[27]
    assert record.position == 28
    assert record.record["245"]["a"].startswith("Free/open source software development")
    assert any("0x92" in w for w in record.warnings)


@pytest.mark.parametrize(
    "name",
    [
        "openlibrary/dasrmischepriv00rein_meta.mrc",
        "openlibrary/lesabndioeinas00sche_meta.mrc",
        "openlibrary/poganucpeoplethe00stowuoft_meta.mrc",
    ],
)
def test_leader_counting_characters_is_recovered(name: str) -> None:
    (item,) = good(name)
    assert item.record["245"] is not None
    assert any("record length" in w for w in item.warnings)
    # Every field the directory lists is there, with its own tag.
    assert len(item.record.fields) == (int(item.raw[12:17]) - 25) // 12


def test_char_length_record_decodes_like_its_marcxml_twin() -> None:
    (binary,) = good("openlibrary/dasrmischepriv00rein_meta.mrc")
    (xml,) = good("openlibrary/dasrmischepriv00rein_marc.xml")
    assert binary.record["245"].value() == xml.record["245"].value()
    assert "römische" in binary.record["245"]["a"]


def test_trailing_padding_is_ignored_but_trailing_junk_is_rejected() -> None:
    data = (DATA / "pymarc/one.dat").read_bytes()
    assert [type(i) for i in open_marc(io.BytesIO(data + b" \r\n" * 50))] == [ParsedRecord]
    items = list(open_marc(io.BytesIO(data + b"this is not a record")))
    assert [type(i) for i in items] == [ParsedRecord, RejectedRecord]
    assert "after the last record" in items[1].reason


def test_offsets_and_raw_bytes_point_into_the_file() -> None:
    data = (DATA / "evergreen/oss.marc").read_bytes()
    for item in open_marc(io.BytesIO(data)):
        assert data[item.offset : item.offset + len(item.raw)] == item.raw
    xml = (DATA / "pymarc/batch.xml").read_bytes()
    for item in open_marc(io.BytesIO(xml)):
        assert xml[item.offset : item.offset + len(item.raw)] == item.raw
        assert item.raw.startswith(b"<marc:record>")


def test_embedded_record_terminator_is_read_by_the_leader_length() -> None:
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader("00000nam a2200000 a 4500")
    record.add_field(pymarc.Field(tag="001", data="x1"))
    record.add_field(
        pymarc.Field(
            tag="245",
            indicators=pymarc.Indicators("0", "0"),
            subfields=[pymarc.Subfield("a", "Broken\x1dtitle")],
        )
    )
    data = record.as_marc() + (DATA / "pymarc/one.dat").read_bytes()
    items = list(open_marc(io.BytesIO(data)))
    assert [type(i) for i in items] == [ParsedRecord, ParsedRecord]
    assert items[0].record["245"]["a"] == "Broken\x1dtitle"


# --- encodings ----------------------------------------------------------------------


def _has(text: str, first: str, last: str) -> bool:
    return any(first <= ch <= last for ch in text)


def test_cp1251_records_decode_to_cyrillic() -> None:
    records = good("pymarc/1251.dat")
    assert {r.encoding for r in records} == {"cp1251 (leader/09 says MARC-8)"}
    assert all(r.misdeclared for r in records)
    assert records[0].record["245"]["a"] == "Основы гидравлического расчета инженерных сетей"


def test_utf8_flagged_marc8_decodes_as_utf8() -> None:
    records = good("evergreen/FSL.marc")
    assert {r.encoding for r in records} == {"utf-8 (leader/09 says MARC-8)"}
    assert records[0].record["245"]["a"] == "Люди с чистой совестью :"
    titles = " ".join(r.record["245"].value() for r in records)
    assert _has(titles, "\u0531", "\u058f")  # Armenian


def test_hebrew_marc8_g0_set() -> None:
    records = good("evergreen/hebrew.marc")
    assert {r.encoding for r in records} == {"marc-8"}
    assert all(
        _has(" ".join(f.value() for f in r.record.get_fields("880")), "\u05d0", "\u05ea")
        for r in records
    )


def test_utf8_without_leader_flag_decodes_exactly_like_with_flag() -> None:
    (flagged,) = good("pymarc/utf8_with_leader_flag.dat")
    (unflagged,) = good("pymarc/utf8_without_leader_flag.dat")
    assert unflagged.encoding == "utf-8 (leader/09 says MARC-8)" and unflagged.misdeclared
    assert flagged.encoding == "utf-8" and not flagged.misdeclared
    assert str(unflagged.record) == str(flagged.record)


def test_marc8_bytes_flagged_utf8() -> None:
    (item,) = good("ruby-marc/marc8_accented_chars.marc")
    assert item.encoding == "marc-8 (leader/09 says UTF-8)"
    assert item.record["245"]["a"] == 'Histoire du "nouveau théâtre."'


def test_marc8_conversion_matches_lcs_unicode_version() -> None:
    (marc8,) = good("pymarc/marc8.dat")
    (uni,) = good("pymarc/marc8-to-unicode.dat")
    assert marc8.encoding == "marc-8"
    assert [f.value() for f in marc8.record.fields] == [f.value() for f in uni.record.fields]


def test_french_marc8_accents() -> None:
    titles = {
        r.record["001"].data: r.record["245"].value()
        for r in good("evergreen/lul_fre_100.mrc")
        if "001" in r.record
    }
    assert titles["01-0011586"].startswith("Dix-huitième siècle : études littéraires")
    assert "poésies canadiennes" in titles["01-0118948"]


def test_cp866_is_told_apart_from_cp1251_and_marc8() -> None:
    data = (DATA / "ruby-marc/cp866_unimarc.marc").read_bytes()
    base = int(data[12:17])
    assert choose_encoding(data[base:], " ").codec == "cp866"
    # The record itself is not MARC 21, but what is salvaged for the librarian is readable.
    (item,) = rejected("ruby-marc/cp866_unimarc.marc")
    assert item.control_number == "Никитенко Е. А."
    cp1251 = (DATA / "pymarc/1251.dat").read_bytes()
    assert choose_encoding(cp1251[int(cp1251[12:17]) :], " ").codec == "cp1251"


def test_invalid_utf8_is_replaced_and_said() -> None:
    (item,) = good("ruby-marc/utf8_with_bad_bytes.marc")
    assert item.encoding == "utf-8 with invalid bytes replaced" and item.misdeclared
    assert "\ufffd" in item.record["245"]["a"]


def test_double_encoded_utf8_is_repaired() -> None:
    (item,) = good("openlibrary/dasrmischepriv00rein_meta.mrc")
    assert item.encoding == "utf-8 (double-encoded, repaired)"


def test_koha_utf8_samples_are_plain_utf8() -> None:
    encodings = {r.encoding for r in good("koha/koha_sample_biblios_2016.mrc")}
    assert encodings <= {"utf-8", "utf-8 (double-encoded, repaired)"}
    scripts = " ".join(r.record.title or "" for r in good("koha/koha_sample_biblios_2016.mrc"))
    assert _has(scripts, "\u0600", "\u06ff") and _has(scripts, "\u0400", "\u04ff")


def test_marc8_escaped_character_reference() -> None:
    (item,) = good("ruby-marc/escaped_character_reference.marc8.marc")
    assert "\ufffd" in item.record["260"]["a"] and "&#x" not in item.record["260"]["a"]


# --- MARCXML and JSON ---------------------------------------------------------------


def test_xml_control_characters_are_stripped_with_a_warning() -> None:
    (item,) = good("koha/koha_sample_biblios_invalid_xml_ctrl_chars.xml")
    assert any("control character" in w for w in item.warnings)
    assert item.record["001"].data == "00aD000015937"


def test_malformed_xml_record_is_rejected_with_line_and_salvage() -> None:
    (bad,) = rejected("ruby-marc/three-records-second-bad.xml")
    assert bad.position == 2
    assert bad.reason.startswith("not well-formed XML at line 72")
    assert bad.control_number == "afc99990058366" and bad.title == "The Texas ranger"


def test_prefixed_marcxml_records_parse_alone() -> None:
    # batch.xml binds the marc: prefix on the root only; each record is parsed on its own.
    with open(DATA / "pymarc/batch.xml", "rb") as fh:
        expected = [r.as_dict()["fields"] for r in pymarc.parse_xml_to_array(fh)]
    assert [r.record.as_dict()["fields"] for r in good("pymarc/batch.xml")] == expected
    # The same holds for an unprefixed file rewritten with a root-only prefix.
    text = (DATA / "evergreen/badisbns.xml").read_bytes()
    prefixed = text.replace(b'xmlns="http', b'xmlns:marc="http')
    for tag in (b"collection", b"record", b"leader", b"controlfield", b"datafield", b"subfield"):
        prefixed = prefixed.replace(b"<" + tag, b"<marc:" + tag).replace(
            b"</" + tag, b"</marc:" + tag
        )
    plain = [r.record.as_dict() for r in open_marc(io.BytesIO(text))]
    assert len(plain) == 10
    assert [r.record.as_dict() for r in open_marc(io.BytesIO(prefixed))] == plain


def test_json_records() -> None:
    records = good("pymarc/batch.json")
    with open(DATA / "pymarc/batch.json", "rb") as fh:
        expected = pymarc.parse_json_to_array(fh)
    assert [r.record.as_dict()["fields"] for r in records] == [
        e.as_dict()["fields"] for e in expected
    ]


# --- not MARC at all ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\n\t ", "blank"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"title,author,isbn\nCharlotte's web,E.B. White,9780064400558\n", "does not look like"),
        (b"12345,Charlotte's web,E.B. White\n67890,Holes,Louis Sachar\n", "CSV"),
        (b"<!DOCTYPE html><html><body>hello</body></html>", "HTML"),
        (b'<?xml version="1.0"?><rss><channel></channel></rss>', "no MARCXML"),
        (b'{"name": "not marc", "items": [1, 2]}', "not MARC-in-JSON"),
        ("Привет, мир".encode("utf-16"), "UTF-16"),
    ],
)
def test_not_marc(data: bytes, words: str) -> None:
    with pytest.raises(NotMarcError, match=words):
        open_marc(io.BytesIO(data))


def test_text_mode_stream_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        open_marc(io.StringIO("00000"))  # type: ignore[arg-type]


# --- streaming ----------------------------------------------------------------------


class RepeatingStream(io.RawIOBase):
    """A read-only stream of `data` repeated `times`, never held in memory at once."""

    def __init__(self, data: bytes, times: int) -> None:
        self.data, self.left, self.pos = data, times, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if not self.left:
            return 0
        chunk = self.data[self.pos : self.pos + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.pos += len(chunk)
        if self.pos >= len(self.data):
            self.pos, self.left = 0, self.left - 1
        return len(chunk)


@pytest.mark.parametrize(
    "name", ["loc/loc_booksall2016_juvenile_sample.mrc", "koha/koha_sample_biblios.marcxml.xml"]
)
def test_streaming_uses_constant_memory_and_reports_progress(name: str) -> None:
    data = (DATA / name).read_bytes()
    times = 12
    stream = io.BufferedReader(RepeatingStream(data, times))
    tracemalloc.start()
    try:
        reader = open_marc(stream)
        seen, last_progress = 0, 0
        for _ in reader:
            seen += 1
            assert reader.bytes_read >= last_progress
            last_progress = reader.bytes_read
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == len(read_all(name)) * times
    assert reader.bytes_read == len(data) * times
    # The whole stream is 12-19 MB; a reader that kept it would peak far above this.
    assert peak < 4 * 1024 * 1024
