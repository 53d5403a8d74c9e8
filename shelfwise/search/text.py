"""Text folding shared by indexing and querying, so both sides see the same words.

Decision: fold in Python before either engine sees the text. FTS5's
`remove_diacritics` and PostgreSQL's `unaccent` only know Latin marks, and
the two tokenizers disagree on punctuation; by handing both engines the same
lower-case, mark-free, space-separated words we get "volcan" = "volcán",
Arabic with or without short vowels, and the same matches on both backends.
"""

from __future__ import annotations

import functools
import re
import unicodedata

MAX_TOKEN = 64

# Light Arabic normalisation (as in Lucene's ArabicNormalizer): the forms
# people type interchangeably. Hamza/madda carriers fold through NFKD.
_ARABIC = str.maketrans({"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None})


# Where Unicode puts combining marks and decimal digits: below U+30000, plus the
# variation selectors of plane 14. Planes 3-13 hold only CJK ideographs and
# unassigned code points (test_text checks this against every code point), so
# the table is built from a fifth of the code space.
_MARK_AND_DIGIT_RANGES = (range(0x30000), range(0xE0000, 0xE1000))


def _fold_entries(code_points) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    category, decimal = unicodedata.category, unicodedata.decimal
    for cp in code_points:
        ch = chr(cp)
        cat = category(ch)
        if cat[0] == "M":
            table[cp] = None
        elif cat == "Nd" and cp > 0x7F:
            table[cp] = str(decimal(ch))
    return table


@functools.cache
def _fold_table() -> dict[int, str | None]:
    """One translate table: drop every combining mark, digits of any script to
    ASCII, plus the Arabic forms above. Built once per process (under 0.1 s):
    a per-character loop in Python cost more than the rest of indexing."""
    table: dict[int, str | None] = {}
    for code_points in _MARK_AND_DIGIT_RANGES:
        table.update(_fold_entries(code_points))
    table.update(_ARABIC)
    return table


# Runs of letters and numbers (\w without the underscore): what a word is here.
_WORD = re.compile(r"[^\W_]+")


def words(text: str, *, limit: int | None = None) -> list[str]:
    """Folded words of `text`: NFKD, case-folded, marks removed, digits as ASCII."""
    if not text:
        return []
    if text.isascii():
        text = text.lower()  # nothing to decompose, no marks, ASCII digits already
    else:
        text = unicodedata.normalize("NFKD", text).casefold().translate(_fold_table())
    found = [w[:MAX_TOKEN] for w in _WORD.findall(text)]
    return found[:limit] if limit is not None else found


def fold(text: str) -> str:
    """`text` as the index stores it: folded words joined by spaces."""
    return " ".join(words(text))
