"""The SIP2 codec against recorded exchanges of public implementations (tests/data/sip2)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelfwise.sip2 import protocol

DATA = Path(__file__).parent.parent / "data" / "sip2"
ROWS = list(csv.DictReader((DATA / "sip2_messages.tsv").open(encoding="utf-8"), delimiter="\t"))


def _rows(verdict: str) -> list[dict]:
    return [row for row in ROWS if row["checksum_check"].startswith(verdict)]


def test_the_recordings_are_all_there():
    assert len(ROWS) == 167
    assert len(_rows("valid")) > 60 and len(_rows("INVALID")) > 20


@pytest.mark.parametrize(
    "row", _rows("valid"), ids=lambda r: f"{r['code']}-{r['checksum']}-{r['kind']}"
)
def test_every_message_with_a_good_checksum_parses(row):
    message = protocol.parse(row["message"].encode("utf-8") + b"\r")
    assert message.code == row["code"]
    assert message.checksum == row["checksum"]
    # Rebuilt from what was read and read again: the same message (fixed widths,
    # field order, repeats), with a checksum the codec accepts.
    rebuilt = protocol.build(
        message.code,
        message.fixed,
        message.fields,
        sequence=message.sequence,
        error_detection=True,
    )
    again = protocol.parse(rebuilt)
    assert (again.code, again.fixed, again.fields) == (message.code, message.fixed, message.fields)
    original = row["message"].encode("utf-8")
    trailer = b"|AY%dAZ%s" % (message.sequence or 0, row["checksum"].encode())
    if message.fields and original.endswith(trailer):
        assert rebuilt == original + b"\r"  # every field was "|"-terminated: byte for byte


@pytest.mark.parametrize("row", _rows("INVALID"), ids=lambda r: f"{r['code']}-{r['checksum']}")
def test_every_bad_checksum_is_caught(row):
    with pytest.raises(protocol.ChecksumError):
        protocol.parse(row["message"].encode("utf-8"))
    # The checksum the gatherer computed is the one the codec computes.
    expected = row["checksum_check"].split("expected ")[1].split()[0]
    body = row["message"].encode("utf-8")
    assert protocol.checksum(body[: body.rindex(b"AZ") + 2]) == expected


@pytest.mark.parametrize(
    "row",
    [r for r in _rows("no AY/AZ") if r["code"] != "NO"],
    ids=lambda r: f"{r['code']}-{r['note'][:20]}",
)
def test_messages_without_error_detection_parse(row):
    message = protocol.parse(row["message"].encode("utf-8"))
    assert message.code == row["code"] and message.sequence is None


def test_the_evergreen_request_stream_parses_line_by_line_with_crlf():
    lines = (DATA / "evergreen_SIPServer_test.txt").read_bytes().splitlines()
    codes = [protocol.parse(line + b"\r\n").code for line in lines]
    assert codes[:5] == ["97", "23", "23", "23", "93"]
    assert len(codes) == 17


def test_unknown_codes_are_refused():
    with pytest.raises(protocol.ProtocolError):
        protocol.parse(b"NOT_IMPLEMENTED_MESSAGE\r")


def test_checksum_is_over_the_exact_bytes_decomposed_accents_included():
    # "Le Piège de Bogota" as Evergreen sent it: NFD (e + combining grave).
    row = next(r for r in ROWS if r["checksum"] == "DCF8")
    raw = row["message"].encode("utf-8")
    assert "è".encode() not in raw  # decomposed in the recording
    protocol.parse(raw)
    import unicodedata

    composed = unicodedata.normalize("NFC", row["message"]).encode("utf-8")
    with pytest.raises(protocol.ChecksumError):
        protocol.parse(composed)


def test_fields_parse_by_name_and_repeat():
    msg = protocol.parse(
        b"6300119980723    091905Y         AOInstitutionID|AAPatronID|BP00001|BQ00005|AY1AZEA83"
    )
    assert msg.fixed == {
        "language": "001",
        "transaction_date": "19980723    091905",
        "summary": "Y         ",
    }
    assert msg.get("AA") == "PatronID" and msg.get("BQ") == "00005"
    assert msg.sequence == 1
    reply = protocol.parse(
        b"64              00119980723    104009000100000002000100020000AOInst|AAPatronID|"
        b"AUChargeItem1|AUChargeItem2|"
    )
    assert reply.getall("AU") == ["ChargeItem1", "ChargeItem2"]
    assert reply.fixed["charged_items_count"] == "0002"


def test_fixed_fields_truncated_or_malformed_are_refused():
    for raw in (
        b"23001",
        b"11YN2006",
        b"99X0402.00",
        b"17200601AA    215612AOx|",
        b"15?20060415    110158",
    ):
        with pytest.raises(protocol.ProtocolError):
            protocol.parse(raw)


def test_a_field_longer_than_the_cap_is_refused():
    raw = b"1720060110    215612AOBR1|AB" + b"9" * 300 + b"|"
    with pytest.raises(protocol.ProtocolError):
        protocol.parse(raw)


def test_build_writes_exact_widths_and_a_checksum_the_parser_accepts():
    raw = protocol.build("94", {"ok": "1"}, sequence=3, error_detection=True)
    assert raw == b"941AY3AZFDFA\r"  # the 3M guide's example reply
    with pytest.raises(ValueError):
        protocol.build("94", {"ok": "10"})
    with_pipe = protocol.build(
        "36", {"end_session": "Y", "transaction_date": " " * 18}, [("AF", "a|b\rc")]
    )
    assert with_pipe == b"36Y" + b" " * 18 + b"AFa/b c|\r"


def test_sip_dates_are_in_the_school_time_zone():
    moment = datetime(2026, 1, 15, 17, 30, 5, tzinfo=UTC)
    assert protocol.sip_date(moment, "America/New_York") == "20260115    123005"
    assert protocol.sip_date(moment, "Asia/Riyadh") == "20260115    203005"
    back = protocol.parse_sip_date("20260115    123005", "America/New_York")
    assert back == moment
    assert protocol.parse_sip_date("20260115   Z173005", "America/New_York") == moment
    assert protocol.parse_sip_date(" " * 18, "UTC") is None


def test_patron_status_and_supported_messages():
    assert protocol.patron_status() == " " * 14
    assert protocol.patron_status(charge_denied=True, too_many_charged=True) == "Y    Y        "
    assert protocol.supported_messages({"23", "93", "99"}) == "Y   YNY".replace(" ", "N") + "N" * 9


@given(st.binary(max_size=400))
def test_any_bytes_parse_or_raise_protocol_error(data):
    try:
        message = protocol.parse(data)
    except protocol.ProtocolError:
        return
    assert message.code in protocol.FIXED
