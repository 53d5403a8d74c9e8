"""Reading-level bands: which grade band a record's Lexile, grade level or ATOS falls in.

Plain Python (no Django) so that collection reports can group copies by the
same bands the catalog search filters on.

# Decision: the 2012 "stretch" Lexile bands and the 2012 ATOS column of the
# achievethecore "Updated Text Complexity Grade Bands" table (DOMAIN.md §2),
# because they are what CCSS-aligned schools use today and the only columns
# with an ATOS equivalent. The bands overlap (800L is in 2–3 and 4–5): a
# record is in every band its measure falls in, as the table says. The table
# has no K–1 band; measures below the 2–3 floor (and BR levels) go in "K-1"
# so early readers can still be found. Order of evidence: Lexile, then a
# reading grade from 521 (ind1 0), then the AR (ATOS) book level.
"""

from __future__ import annotations

from decimal import Decimal

BAND_ORDER = ("K-1", "2-3", "4-5", "6-8", "9-10", "11-12")

# band -> (low, high) inclusive, 2012 stretch Lexile
LEXILE_BANDS = {
    "2-3": (420, 820),
    "4-5": (740, 1010),
    "6-8": (925, 1185),
    "9-10": (1050, 1335),
    "11-12": (1185, 1385),
}
# band -> (low, high) inclusive, 2012 ATOS
ATOS_BANDS = {
    "2-3": (Decimal("2.75"), Decimal("5.14")),
    "4-5": (Decimal("4.97"), Decimal("7.03")),
    "6-8": (Decimal("7.00"), Decimal("9.98")),
    "9-10": (Decimal("9.67"), Decimal("12.01")),
    "11-12": (Decimal("11.20"), Decimal("14.10")),
}
# band -> (first grade, last grade); K = 0
GRADE_BANDS = {"K-1": (0, 1), "2-3": (2, 3), "4-5": (4, 5), "6-8": (6, 8), "9-10": (9, 10)}


def _from_table(value, table: dict, floor) -> list[str]:
    bands = [band for band, (low, high) in table.items() if low <= value <= high]
    if not bands and value < floor:
        bands = ["K-1"]
    if not bands and value > max(high for _, high in table.values()):
        bands = ["11-12"]
    return bands


def lexile_bands(lexile: int) -> list[str]:
    return _from_table(lexile, LEXILE_BANDS, LEXILE_BANDS["2-3"][0])


def atos_bands(level: Decimal) -> list[str]:
    return _from_table(Decimal(level), ATOS_BANDS, ATOS_BANDS["2-3"][0])


def grade_bands(low: Decimal | int | None, high: Decimal | int | None) -> list[str]:
    """Bands a reading-grade range (3.4, or K-3 as 0..3) touches."""
    if low is None and high is None:
        return []
    first = int(low if low is not None else high)
    last = int(high if high is not None else low)
    first, last = sorted((max(first, 0), max(last, 0)))
    bands = [b for b, (lo, hi) in GRADE_BANDS.items() if lo <= last and first <= hi]
    if last >= 11:
        bands.append("11-12")
    return bands


def record_bands(
    *,
    lexile: int | None,
    lexile_code: str = "",
    reading_grade_min=None,
    reading_grade_max=None,
    ar_level=None,
) -> list[str]:
    """The bands of one record, in BAND_ORDER; [] when nothing says its level."""
    if lexile is not None:
        bands = lexile_bands(lexile)
    elif lexile_code == "BR":
        bands = ["K-1"]
    elif reading_grade_min is not None or reading_grade_max is not None:
        bands = grade_bands(reading_grade_min, reading_grade_max)
    elif ar_level is not None:
        bands = atos_bands(ar_level)
    else:
        bands = []
    return [b for b in BAND_ORDER if b in bands]
