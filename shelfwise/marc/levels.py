"""Reading and interest levels from MARC 521 (audience) and 526 (study program) notes:
grade and age ranges, Lexile measures, Fountas & Pinnell letters, Accelerated Reader.

Catalogers write these as free text ("Ages 8 and up", "RL 2.5", "Grades K-2", "AD580L"),
so each parser looks for known shapes and returns None rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Grade words: K = 0 and pre-kindergarten = -1 (DOMAIN.md §2 bands start at K).
_GRADE_WORD = (
    r"(?:pre-?k(?:indergarten)?|p\.?k\.?|presch(?:ool)?\.?|pres\.?|p|"
    r"k(?:indergarten|dg)?|\d{1,2}(?:st|nd|rd|th)?)"
)
_TO = r"\s*(?:-|–|—|to|through|thru|&|and|/)\s*"
_GRADE_LABEL = r"(?:grades?|grs?\.?|interest\s+level|level)\s*:?\s*"
_GRADE_RANGE = re.compile(
    rf"(?<![\w.])({_GRADE_WORD})(?:{_TO}(?:{_GRADE_LABEL})?({_GRADE_WORD}))?(?![\w])",
    re.IGNORECASE,
)
_GRADE_CONTEXT = re.compile(
    r"grades?|\bgrs?\b|kindergarten|pre-?k|preschool|interest level", re.IGNORECASE
)
_UP = re.compile(r"\s*(?:-\s*)?(?:\+|(?:and\s+|&\s*)?(?:up|older|over|above)\b)", re.IGNORECASE)

_PADDED_AGES = re.compile(r"(?<!\d)(\d{3})\s*-\s*(\d{3})(?!\d)")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
}  # fmt: skip
_AGE_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_AGE_RANGE = re.compile(
    rf"{_AGE_NUMBER}(\s*months?)?(?:{_TO}{_AGE_NUMBER})?(\s*(?:months?|years?|yrs?))?",
    re.IGNORECASE,
)
_AGE_CONTEXT = re.compile(r"\bages?\b|\byears?\b|\bmonths?\b|newborn|\bbirth\b", re.IGNORECASE)
_NEWBORN = re.compile(r"newborn|\bbirth\b", re.IGNORECASE)
# "Not suitable for children under 36 months" is a toy-safety warning, not an audience.
_SAFETY = re.compile(r"\bunder\b|not suitable|unsuitable|not recommended", re.IGNORECASE)

_DECIMAL = r"(\d{1,2}(?:\.\d{1,2})?)"
_RL = re.compile(rf"\b(?:RL|reading\s+level)\s*:?\s*{_DECIMAL}(?:\s*-\s*{_DECIMAL})?", re.I)
_DECIMAL_RANGE = re.compile(rf"(?<![\w.]){_DECIMAL}(?:\s*-\s*{_DECIMAL})?(?![\w])")

LEXILE_CODES = ("AD", "NC", "HL", "IG", "GN", "BR", "NP")
_LEXILE_STRICT = re.compile(
    r"(?<![A-Za-z0-9])(?:lexile(?:\s+measure)?\s*:?\s*)?(AD|NC|HL|IG|GN|BR)?\s?(\d{1,4})\s?L\b"
    r"|\blexile(?:\s+measure)?\s*:?\s*(AD|NC|HL|IG|GN|BR)?\s?(\d{1,4})\b",
    re.IGNORECASE,
)
_LEXILE_LOOSE = re.compile(r"(?<![A-Za-z0-9])(AD|NC|HL|IG|GN|BR)?\s?(\d{1,4})\b", re.IGNORECASE)
_LEXILE_BARE_CODE = re.compile(r"(?<![A-Za-z])(AD|NC|HL|IG|GN|BR|NP)(?![A-Za-z])")

_FP_SOURCE = re.compile(r"fountas\s*(?:and|&)\s*pinnell|\bF\s*&\s*P\b|guided\s+reading", re.I)
_FP_LEVEL = re.compile(r"(?<![A-Za-z])([A-Z]\+?)(?:\s*-\s*([A-Z]\+?))?(?![A-Za-z])")

_AR_PROGRAM = re.compile(r"accelerated\s*reader|(?<![A-Za-z])a\.?\s?r\.?(?![A-Za-z])", re.I)
_AR_INTEREST = re.compile(r"\b(LG|MG\+|MG|UG)(?!\w)", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2})?")


@dataclass(frozen=True, slots=True)
class Lexile:
    measure: int | None
    code: str


def _grade_value(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if w[:1].isdigit():
        n = int(re.match(r"\d+", w).group())  # type: ignore[union-attr]
        return n if n <= 12 else None
    if w.startswith(("pre", "pk", "p.k", "pres")) or w == "p":
        return -1
    if w.startswith("k"):
        return 0
    return None


def parse_grade_range(text: str, *, need_context: bool = False) -> tuple[int | None, int | None]:
    """Interest grades such as "K-3", "Grades K-2", "Interest level: 6-9", "Grades 3 up".

    Returns (min, max); max is None for an open range. With need_context the text must
    name grades (used for blank-indicator 521 notes, which may be anything).
    """
    if not text or (need_context and not _GRADE_CONTEXT.search(text)):
        return None, None
    single: tuple[int | None, int | None] = (None, None)
    # A range wins over a lone number: "Level 1, K-grade 1" means K-1, not 1.
    for m in _GRADE_RANGE.finditer(text):
        low = _grade_value(m.group(1))
        if low is None:
            continue
        if m.group(2):
            high = _grade_value(m.group(2))
            if high is not None and high >= low:
                return low, high
            continue
        if single[0] is None:
            single = (low, None) if _UP.match(text, m.end()) else (low, low)
    return single


def _age_number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def parse_age_range(text: str, *, need_context: bool = False) -> tuple[int | None, int | None]:
    """Interest ages such as "007-010", "Ages 8-11", "Ages 3 to 7", "8 and up", "18 months
    and up" (counts as age 1). Toy-safety warnings ("under 36 months") give nothing."""
    if not text or _SAFETY.search(text):
        return None, None
    padded = _PADDED_AGES.search(text)
    if padded:
        low, high = int(padded.group(1)), int(padded.group(2))
        return (low, high) if low <= high <= 120 else (None, None)
    if need_context and not _AGE_CONTEXT.search(text):
        return None, None
    if _NEWBORN.search(text):
        up = re.search(r"(?:newborn|birth)\s*(?:-|to)\s*" + _AGE_NUMBER, text, re.IGNORECASE)
        return (0, _age_number(up.group(1))) if up else (0, None)
    scope = text
    label = re.search(r"\bages?\b\s*:?", text, re.IGNORECASE)
    if label:
        scope = text[label.end() :]
    for m in _AGE_RANGE.finditer(scope):
        low = _age_number(m.group(1))
        low_months = bool(m.group(2))
        unit = (m.group(4) or "").strip().lower()
        if m.group(3):
            high = _age_number(m.group(3))
            if unit.startswith("month"):
                low, high = low // 12, high // 12
            elif low_months:
                low //= 12
            if high < low or high > 120:
                continue
            return low, high
        if low_months or unit.startswith("month"):
            low //= 12
        if low > 120:
            continue
        if _UP.match(scope, m.end()):
            return low, None
        return low, low
    return None, None


def parse_reading_grade(text: str) -> tuple[Decimal | None, Decimal | None]:
    """Reading grade level (521 ind1 0): "3.4", "3-5", "Grades 3-5", "RL 2.5", "RL: 2-3"."""
    if not text:
        return None, None
    rl = _RL.search(text)
    if rl:
        return _decimal_pair(rl.group(1), rl.group(2))
    if _GRADE_CONTEXT.search(text):
        low, high = parse_grade_range(text)
        if low is not None:
            return Decimal(max(low, 0)), None if high is None else Decimal(max(high, 0))
    m = _DECIMAL_RANGE.search(text)
    if m and not _PADDED_AGES.search(text):
        return _decimal_pair(m.group(1), m.group(2))
    return None, None


def _decimal_pair(low: str, high: str | None) -> tuple[Decimal | None, Decimal | None]:
    try:
        a = Decimal(low)
        b = Decimal(high) if high else a
    except InvalidOperation:
        return None, None
    # ATOS and grade levels run 0-20 (DOMAIN.md §2).
    if not (0 <= a <= 20 and 0 <= b <= 20) or b < a:
        return None, None
    return a, b


def parse_lexile(text: str, *, source_says_lexile: bool = False) -> Lexile | None:
    """A Lexile measure: "880L", "AD580L", "BR100L" (-100), "Lexile 880", "NP"; with
    source_says_lexile (521 $b "Lexile") also "880" and "AD 120"."""
    if not text:
        return None
    m = _LEXILE_STRICT.search(text)
    if m:
        code = (m.group(1) or m.group(3) or "").upper()
        number = m.group(2) or m.group(4)
    elif source_says_lexile and (m := _LEXILE_LOOSE.search(text)):
        code, number = (m.group(1) or "").upper(), m.group(2)
    else:
        bare = _LEXILE_BARE_CODE.search(text) if source_says_lexile else None
        return Lexile(None, bare.group(1).upper()) if bare else None
    value = int(number)
    if value > 2000:
        return None
    # BR100L means 100 below zero (DOMAIN.md §2).
    return Lexile(-value if code == "BR" else value, code)


def parse_fp_level(text: str) -> str:
    """Fountas & Pinnell letter(s) from 521 $a ("K", "k", "J-M"); '' when not a letter."""
    m = _FP_LEVEL.search((text or "").strip().upper())
    if not m:
        return ""
    return m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")


def is_fp_source(text: str) -> bool:
    return bool(_FP_SOURCE.search(text or ""))


def is_accelerated_reader(program: str) -> bool:
    """526 $a names Accelerated Reader in any common spelling (AR, A.R., Accelerated reader)."""
    return bool(_AR_PROGRAM.search(program or ""))


def parse_ar_interest(text: str) -> str:
    m = _AR_INTEREST.search(text or "")
    return m.group(1).upper() if m else ""


def parse_decimal(text: str, limit: Decimal = Decimal(100)) -> Decimal | None:
    """First plain number in text ("4.3", "Level 4.3", "0.5 points"), None if absent."""
    m = _NUMBER.search(text or "")
    if not m:
        return None
    value = Decimal(m.group())
    return value if value <= limit else None
