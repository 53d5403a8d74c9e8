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
import sys
import unicodedata

MAX_TOKEN = 64

# Light Arabic normalisation (as in Lucene's ArabicNormalizer): the forms
# people type interchangeably. Hamza/madda carriers fold through NFKD.
_ARABIC = str.maketrans({"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None})


@functools.cache
def _fold_table() -> dict[int, str | None]:
    """One translate table: drop every combining mark, digits of any script to
    ASCII, plus the Arabic forms above. Built once per process (about 0.3 s):
    a per-character loop in Python cost more than the rest of indexing."""
    table: dict[int, str | None] = {}
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat[0] == "M":
            table[cp] = None
        elif cat == "Nd" and cp > 0x7F:
            table[cp] = str(unicodedata.decimal(ch))
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
