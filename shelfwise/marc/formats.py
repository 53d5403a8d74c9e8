"""Decide a record's material format (book, ebook, audiobook, graphic novel…) from the
leader, 008, the RDA 336/337/338 fields, the old 245 $h and genre/subject headings.

Precedence, first match wins:
1. Leader/06 for non-text material: c/d score, j music, i audiobook, g video, e/f map,
   k image, o kit, r object, p other.
2. Otherwise (language material, computer files, unknown types), RDA 33x codes:
   336 spw or 338 audio carrier → audiobook; 336 tdi or 337 v → video.
3. Ldr/07 b/i/s (serial, integrating) → serial, printed or online: a magazine stays a
   magazine on screen.
4. A computer file (Ldr/06 m) → computer_file, unless it is text (336 txt, or 008/26 d
   "document") → ebook. Electronic language material (338 cr, 337 c, 008/23 o/q/s,
   245 $h "electronic resource") → ebook.
5. Graphic novel (008/24-27 has '6', or "Graphic novels" / "Comic books, strips, etc." /
   "Comics (Graphic works)" in 650/655) → graphic_novel; then "Board books" →
   board_book; "Picture books" → picture_book; 008/23 d or "Large type books" →
   large_print. Board before picture: every board book is also a picture book.
6. Ldr/06 t → manuscript; anything else → book.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = (
    "book", "large_print", "picture_book", "board_book", "graphic_novel", "ebook",
    "audiobook", "video", "music", "score", "map", "serial", "computer_file", "kit",
    "image", "object", "manuscript", "other",
)  # fmt: skip

_BY_TYPE = {
    "c": "score", "d": "score", "j": "music", "i": "audiobook", "g": "video", "e": "map",
    "f": "map", "k": "image", "o": "kit", "r": "object", "p": "other",
}  # fmt: skip
# RDA carrier codes for audio (disc, cassette, cartridge, online-free sound carriers).
_AUDIO_CARRIERS = {"sd", "ss", "sg", "se", "si", "sq", "st", "sw", "sz"}
GRAPHIC_TERMS = ("graphic novels", "comic books, strips, etc", "comics (graphic works)")
BOARD_TERMS = ("board books",)
PICTURE_TERMS = ("picture books",)
LARGE_PRINT_TERMS = ("large type books", "large print books")


@dataclass(slots=True)
class FormatClues:
    """What extract() gathers in its single pass over the fields."""

    leader6: str = " "
    leader7: str = " "
    form_of_item: str = " "  # 008/23 for books
    contents: str = ""  # 008/24-27 for books
    file_type: str = " "  # 008/26 for computer files
    content_types: set[str] = field(default_factory=set)  # 336 $b (and $a terms)
    media_types: set[str] = field(default_factory=set)  # 337 $b
    carrier_types: set[str] = field(default_factory=set)  # 338 $b
    gmd: str = ""  # 245 $h, lower-cased
    headings: list[str] = field(default_factory=list)  # 650/655 texts, lower-cased


def _has(headings: list[str], terms: tuple[str, ...]) -> bool:
    return any(term in heading for heading in headings for term in terms)


def decide_format(c: FormatClues) -> str:
    """Return one of FORMATS; see the module docstring for the precedence."""
    by_type = _BY_TYPE.get(c.leader6)
    if by_type:
        return by_type
    if "spw" in c.content_types or "spoken word" in c.content_types:
        return "audiobook"
    if c.carrier_types & _AUDIO_CARRIERS and not c.content_types & {"prm", "txt"}:
        return "audiobook"
    if "sound recording" in c.gmd:
        return "audiobook"
    if "tdi" in c.content_types or "v" in c.media_types or "video" in c.gmd:
        return "video"
    if c.leader7 in ("b", "i", "s"):
        return "serial"
    if c.leader6 == "m":
        return "ebook" if "txt" in c.content_types or c.file_type == "d" else "computer_file"
    electronic = (
        "cr" in c.carrier_types
        or "c" in c.media_types
        or c.form_of_item in ("o", "q", "s")
        or "electronic resource" in c.gmd
    )
    if electronic:
        return "ebook"
    if "6" in c.contents or _has(c.headings, GRAPHIC_TERMS):
        return "graphic_novel"
    if _has(c.headings, BOARD_TERMS):
        return "board_book"
    if _has(c.headings, PICTURE_TERMS):
        return "picture_book"
    if c.form_of_item == "d" or _has(c.headings, LARGE_PRINT_TERMS):
        return "large_print"
    if c.leader6 == "t":
        return "manuscript"
    return "book"
