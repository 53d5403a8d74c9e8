"""Language codes and names, and the readable MARC view."""

from __future__ import annotations

import pytest

from shelfwise.marc.display import field_lines
from shelfwise.marc.languages import OBSOLETE_CODES, language_name, normalize_language_code
from tests.marc.conftest import good


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("eng", "eng"),
        ("ENG", "eng"),
        (" spa ", "spa"),
        ("cam", "khm"),
        ("iri", "gle"),
        ("tag", "tgl"),
        ("scc", "srp"),
        ("scr", "hrv"),
        ("mol", "rum"),
        ("mul", "mul"),
        ("und", "und"),
        ("zxx", "zxx"),
        ("   ", None),
        ("|||", None),
        ("", None),
        ("en", None),
        ("xxx", None),
        ("e1g", None),
    ],
)
def test_normalize_language_code(raw: str, expected: str | None) -> None:
    assert normalize_language_code(raw) == expected


def test_obsolete_codes_point_to_current_codes() -> None:
    assert all(normalize_language_code(new) == new for new in OBSOLETE_CODES.values())


@pytest.mark.parametrize(
    ("code", "locale", "expected"),
    [
        ("spa", "es", "español"),
        ("ara", "en", "Arabic"),
        ("ara", "ar", "العربية"),
        ("fre", "fr", "français"),
        ("hmn", "en", "Hmong"),
        ("cam", "en", "Khmer"),  # not ISO 639-3 "cam" (Cemuhî)
        ("und", "en", "Unknown language"),
        ("qaa", "en", "qaa"),
        ("zzz", "en", "zzz"),
    ],
)
def test_language_name(code: str, locale: str, expected: str) -> None:
    assert language_name(code, locale) == expected


def test_field_lines() -> None:
    record = good("pymarc/utf8_with_leader_flag.dat")[0].record
    lines = field_lines(record)
    assert lines[0] == ("LDR", "", str(record.leader))
    assert ("001", "", record["001"].data) in lines
    _, indicators, text = next(line for line in lines if line[0] == "245")
    assert indicators == "10"
    assert (
        text == "$a Escape from loneliness / $c by Paul Tournier ; translated by John S. Gilmour."
    )
    assert ("035", "__", "$a ocmDCLC6114599B") in lines  # blank indicators shown as "_"
