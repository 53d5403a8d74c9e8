"""User text → a ParsedQuery: words, the field they are searched in, identifiers.

A query is data, never syntax: we keep only folded words (letters and
digits), so quotes, `*`, `-`, parentheses, AND/OR/NOT/NEAR, SQL and NUL
bytes have nothing to act on; the backends then quote every word
themselves. The ISBN and barcode candidates are looked up as exact values.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from shelfwise.search.text import words

FIELDS = ("keyword", "title", "author", "subject", "series", "isbn")
MAX_WORDS = 32
MAX_INPUT = 2000  # characters of user text we look at; the rest cannot change much
MIN_PREFIX = 3  # words this long also match longer words (volcano → volcanoes)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned user text
    field: str = "keyword"
    words: tuple[str, ...] = dataclass_field(default_factory=tuple)
    isbn: str | None = None  # ISBN-13 when the text is a valid ISBN in any form
    barcode: str | None = None  # the text as an item barcode could be written

    @property
    def is_empty(self) -> bool:
        return not self.text

    def is_prefix(self, word: str) -> bool:
        return len(word) >= MIN_PREFIX


def _clean(text: str) -> str:
    text = (text or "")[:MAX_INPUT]
    # Control characters (NUL included) are never part of a title or a barcode.
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def parse_query(text: str | None, field: str = "keyword") -> ParsedQuery:
    """Never raises: unknown fields search everything, anything else is words."""
    from shelfwise.catalog.selectors import isbn13_or_none

    field = field if field in FIELDS else "keyword"
    text = _clean(text or "")
    barcode = text if text and len(text) <= 64 and " " not in text else None
    isbn = isbn13_or_none(text) if field in ("keyword", "isbn") else None
    return ParsedQuery(
        text=text,
        field=field,
        words=tuple(dict.fromkeys(words(text, limit=MAX_WORDS))),
        isbn=isbn,
        barcode=barcode if field in ("keyword", "isbn") else None,
    )
