"""Text folding shared by indexing and querying, so both sides see the same words.

Decision: fold in Python before either engine sees the text. FTS5's
`remove_diacritics` and PostgreSQL's `unaccent` only know Latin marks, and
the two tokenizers disagree on punctuation; by handing both engines the same
lower-case, mark-free, space-separated words we get "volcan" = "volcán",
Arabic with or without short vowels, and the same matches on both backends.
"""

from __future__ import annotations

import unicodedata

MAX_TOKEN = 64

# Light Arabic normalisation (as in Lucene's ArabicNormalizer): the forms
# people type interchangeably. Hamza/madda carriers fold through NFKD.
_ARABIC = str.maketrans({"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None})


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def words(text: str, *, limit: int | None = None) -> list[str]:
    """Folded words of `text`: NFKD, case-folded, marks removed, digits as ASCII."""
    if not text:
        return []
    text = unicodedata.normalize("NFKD", text).casefold().translate(_ARABIC)
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] == "M":
            continue  # a diacritic: part of the word, dropped
        if cat[0] in "LN":
            digit = unicodedata.decimal(ch, None)
            current.append(str(digit) if digit is not None else ch)
            continue
        if current:
            out.append("".join(current)[:MAX_TOKEN])
            current = []
            if limit is not None and len(out) >= limit:
                return out
    if current:
        out.append("".join(current)[:MAX_TOKEN])
    return out[:limit] if limit is not None else out


def fold(text: str) -> str:
    """`text` as the index stores it: folded words joined by spaces."""
    return " ".join(words(text))
