"""Reading-level parsers: the note texts below are copied from real 521 fields in the LoC
juvenile sample and from the Destiny/Lexile examples in DOMAIN.md §2; Hypothesis checks
that no text makes them raise or return nonsense."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelfwise.marc import levels
from shelfwise.marc.levels import Lexile


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"003-007"--P. 4 of cover.', (3, 7)),
        ("008-012.", (8, 12)),
        ('"Ages 8-11"--P. 4 of cover.', (8, 11)),
        ('"Ages 3 to 7"--P. 4 of cover.', (3, 7)),
        ('"Ages 10 and up"--cover p. [4].', (10, None)),
        ('"Ages 12 up"--P. 4 of cover.', (12, None)),
        ('"Ages four and up"--P. 4 of cover.', (4, None)),
        ('"18 months and up"--P. 4 of cover.', (1, None)),
        ('"Newborn and up"--P. 4 of cover.', (0, None)),
        ('"Youth/Ages 8-10"--P. 4 of cover.', (8, 10)),
        ("Age 12 and up.", (12, None)),
        ('"Suitable for ages 3 and above."--P. 4 of cover.', (3, None)),
        ('"Not suitable for children under 36 months"--P. 4 of cover.', (None, None)),
    ],
)
def test_interest_age(text: str, expected: tuple[int | None, int | None]) -> None:
    assert levels.parse_age_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("K-3", (0, 3)),
        ("Grades K-2", (0, 2)),
        ("Interest level: 6-9", (6, 9)),
        ("Grade K-1.", (0, 1)),
        ("Grades K-3.", (0, 3)),
        ('"Grades 2 & 3"--Cover.', (2, 3)),
        ('"Level 1, K-grade 1"--cover.', (0, 1)),
        ("PreK-2", (-1, 2)),
        ("Grades 3 and up", (3, None)),
    ],
)
def test_interest_grade(text: str, expected: tuple[int | None, int | None]) -> None:
    assert levels.parse_grade_range(text) == expected


def test_grade_needs_context_in_blank_indicator_notes() -> None:
    assert levels.parse_grade_range("MPAA Rating: R", need_context=True) == (None, None)
    assert levels.parse_grade_range("3-5", need_context=True) == (None, None)
    assert levels.parse_age_range("MPAA rating: PG-13.", need_context=True) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.4", ("3.4", "3.4")),
        ("3-5", ("3", "5")),
        ("Grades 3-5", ("3", "5")),
        ('"RL 2.0"--P. 4 of cover.', ("2.0", "2.0")),
        ('"RL2 003-006"--Cover p. 4.', ("2", "2")),
        ("RL 4.", ("4", "4")),
        ('"Grades 2-5"--P. 4 of cover.', ("2", "5")),
        ('"Level 2 Grades K-2"--cover.', ("0", "2")),
        ("Parental Guidance.", (None, None)),
    ],
)
def test_reading_grade(text: str, expected: tuple[str | None, str | None]) -> None:
    wanted = tuple(None if v is None else Decimal(v) for v in expected)
    assert levels.parse_reading_grade(text) == wanted


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ("880L", False, Lexile(880, "")),
        ("AD580L", False, Lexile(580, "AD")),
        ("AD 120", True, Lexile(120, "AD")),
        ("BR100L", False, Lexile(-100, "BR")),
        ("Lexile 880", False, Lexile(880, "")),
        ("HL590L", False, Lexile(590, "HL")),
        ("NP", True, Lexile(None, "NP")),
        ("700", True, Lexile(700, "")),
        ("AD 1200", False, None),  # a year, not a measure
        ("Grades 3-5", False, None),
    ],
)
def test_lexile(text: str, source: bool, expected: Lexile | None) -> None:
    assert levels.parse_lexile(text, source_says_lexile=source) == expected


def test_fountas_pinnell_and_accelerated_reader_names() -> None:
    assert levels.is_fp_source("Fountas & Pinnell")
    assert levels.is_fp_source("Fountas and Pinnell guided reading")
    assert levels.parse_fp_level("k") == "K"
    assert levels.parse_fp_level("J-M") == "J-M"
    for name in ("Accelerated Reader AR", "AR", "A.R.", "Accelerated reader", "ar"):
        assert levels.is_accelerated_reader(name), name
    for name in ("Reading Counts!", "Arts program", "Lexile"):
        assert not levels.is_accelerated_reader(name), name
    assert levels.parse_ar_interest("mg+") == "MG+"
    assert levels.parse_ar_interest("UG") == "UG"


TEXT = st.text(
    alphabet=st.sampled_from([*"0123456789-–.,;:+&/ ()\"'KkPpGgLADBRNHrades upto", "\x00"]),
    max_size=40,
) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.booleans())
def test_parsers_never_raise_and_stay_in_range(text: str, flag: bool) -> None:
    low, high = levels.parse_age_range(text, need_context=flag)
    assert low is None or (0 <= low <= 120 and (high is None or low <= high <= 120))
    g_low, g_high = levels.parse_grade_range(text, need_context=flag)
    assert g_low is None or (-1 <= g_low <= 12 and (g_high is None or g_low <= g_high <= 12))
    r_low, r_high = levels.parse_reading_grade(text)
    assert r_low is None or (0 <= r_low <= (r_high if r_high is not None else r_low) <= 20)
    lexile = levels.parse_lexile(text, source_says_lexile=flag)
    assert lexile is None or lexile.measure is None or -2000 <= lexile.measure <= 2000
    assert lexile is None or lexile.code in ("", *levels.LEXILE_CODES)
    levels.parse_fp_level(text)
    levels.parse_ar_interest(text)
    levels.parse_decimal(text)
    levels.is_accelerated_reader(text)
