"""Hypothesis: open_marc plus a full iteration never raises anything but NotMarcError and
always finishes, on arbitrary bytes and on real files with bytes flipped or cut off."""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelfwise.marc.extract import extract
from shelfwise.marc.holdings import extract_holdings
from shelfwise.marc.reader import NotMarcError, ParsedRecord, RejectedRecord, open_marc
from shelfwise.marc.storage import content_hash, from_storage, to_storage
from tests.marc.conftest import DATA

SEEDS = {
    name: (DATA / name).read_bytes()
    for name in (
        "pymarc/one.dat",
        "pymarc/bad_records.mrc",
        "evergreen/map_data.mrc",
        "pymarc/1251.dat",
        "ruby-marc/marc8_accented_chars.marc",
        "openlibrary/dasrmischepriv00rein_meta.mrc",
        "pymarc/batch.xml",
        "ruby-marc/three-records-second-bad.xml",
        "koha/koha_sample_biblios_invalid_xml_ctrl_chars.xml",
        "pymarc/batch.json",
    )
}
FUZZ = settings(
    # MARC_FUZZ_EXAMPLES=5000 for a long campaign; 300 keeps the normal run quick.
    max_examples=int(os.environ.get("MARC_FUZZ_EXAMPLES", "300")),
    deadline=2000,  # milliseconds per example: a hang fails the test instead of stalling it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def read_everything(data: bytes) -> list[ParsedRecord | RejectedRecord]:
    try:
        reader = open_marc(io.BytesIO(data))
    except NotMarcError as exc:
        assert str(exc)
        return []
    items = list(reader)
    assert reader.bytes_read == len(data)
    for position, item in enumerate(items, 1):
        assert item.position == position
        if isinstance(item, ParsedRecord):
            # What the reader yields must be safe for everything downstream too.
            extract(item.record)
            extract_holdings(item.record)
            content_hash(item.record)
            from_storage(to_storage(item.record))
        else:
            assert item.reason
    return items


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    read_everything(data)


PREFIXES = [
    b"00123",
    b"00026     2200025   4500",
    b"<",
    b"<record>",
    b'<marc:collection xmlns:marc="x"><marc:record>',
    b"{",
    b'[{"leader": "',
    b"\xef\xbb\xbf<",
]


@FUZZ
@given(st.sampled_from(PREFIXES), st.binary(max_size=300), st.sampled_from([b"", b"\x1d"]))
def test_plausible_starts(prefix: bytes, middle: bytes, end: bytes) -> None:
    read_everything(prefix + middle + end)


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_real_files_with_bytes_flipped(name: str, data: st.DataObject) -> None:
    original = bytearray(SEEDS[name])
    flips = data.draw(st.lists(st.integers(0, len(original) - 1), min_size=1, max_size=20))
    for index in flips:
        original[index] = data.draw(
            st.sampled_from([0x1D, 0x1E, 0x1F, 0x1B, 0x00, 0x30, 0x39, 0x3C, 0xC3, 0xFF])
            | st.integers(0, 255)
        )
    read_everything(bytes(original))


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_real_files_truncated_or_spliced(name: str, data: st.DataObject) -> None:
    original = SEEDS[name]
    cut = data.draw(st.integers(0, len(original)))
    other = SEEDS[data.draw(st.sampled_from(sorted(SEEDS)))]
    splice = data.draw(st.integers(0, len(other)))
    read_everything(original[:cut])
    read_everything(original[:cut] + other[splice:])
