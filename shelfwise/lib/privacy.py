"""Small-count suppression for every report that counts people.

Decision: counts from 1 to 4 are shown as "<5" (the threshold US education
agencies commonly use for small-cell suppression); 0 stays 0, since an
empty cell identifies nobody. Averages over fewer than 5 answers are not
shown at all, because a mean of one or two answers gives those answers away.
"""

from __future__ import annotations

MIN_CELL = 5


def is_small(n: int) -> bool:
    return 0 < n < MIN_CELL


def masked_count(n: int) -> str:
    """`n` as a report may print it: "0", "<5", "5", "12" …"""
    return f"<{MIN_CELL}" if is_small(n) else str(n)
