"""Patron cards: a Letter sheet of wallet cards as a PDF, ready to print and cut.

Ten 3.5 × 2 inch cards a page (2 × 5, the Avery 5371 business-card layout),
each with the school, the person's name, their grade and a Code 128 barcode
of their patron number with the number printed under it. No photo.

Names come in every script a school has. ReportLab draws glyphs as they are
given, without shaping or bidi, so Arabic is shaped here (Unicode
presentation forms, derived from `unicodedata`) and put in visual order.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from shelfwise.people.barcodes import next_patron_barcodes, patron_barcode_assign

PAGE_WIDTH, PAGE_HEIGHT = letter
CARD_WIDTH, CARD_HEIGHT = 3.5 * inch, 2 * inch
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
MARGIN_X = (PAGE_WIDTH - COLUMNS * CARD_WIDTH) / 2  # 0.75 in
MARGIN_Y = (PAGE_HEIGHT - ROWS * CARD_HEIGHT) / 2  # 0.5 in: inside every printer's margin
PADDING = 0.14 * inch
INNER_WIDTH = CARD_WIDTH - 2 * PADDING

NAME_SIZE, NAME_MIN_SIZE = 15, 9
BAR_HEIGHT = 0.5 * inch
CODE_SIZE, CODE_GAP = 9, 3  # the number printed under the bars
BAR_WIDTH, BAR_MIN_WIDTH = 1.0, 0.6  # points per module: 1 pt ≈ 14 mil, easy for any scanner
CUT_LINE = Color(0.7, 0.7, 0.7)
MUTED = Color(0.25, 0.25, 0.25)


# ---- Grades ------------------------------------------------------------------

_GRADE_ORDER = ["IT", "PR", "PK", "TK", "KG"] + [f"{n:02d}" for n in range(1, 14)] + ["PS", "UG"]


def grade_sort_key(grade: str) -> tuple[int, str]:
    """CEDS grades in school order (KG before 01), anything else after, by name."""
    code = (grade or "").upper()
    if code in _GRADE_ORDER:
        return (_GRADE_ORDER.index(code), "")
    return (len(_GRADE_ORDER), code)


def grade_label(grade: str) -> str:
    """A CEDS grade code as people say it: "06" → "Grade 6", "KG" → "Kindergarten"."""
    code = (grade or "").upper()
    names = {
        "IT": _("Infant/toddler"),
        "PR": _("Preschool"),
        "PK": _("Pre-kindergarten"),
        "TK": _("Transitional kindergarten"),
        "KG": _("Kindergarten"),
        "PS": _("Postsecondary"),
        "UG": _("Ungraded"),
    }
    if code in names:
        return names[code]
    if code.isdigit():
        return _("Grade %(grade)s") % {"grade": int(code)}
    return _("Grade %(grade)s") % {"grade": grade}


# ---- Fonts ---------------------------------------------------------------------

FONT_DIRS = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path(os.path.expanduser("~/.fonts")),  # not Path.home(): that raises without a home
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path("C:/Windows/Fonts"),
]
# DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and Arabic (with the
# presentation forms the shaping below needs) in one TrueType file.
SANS_FILES = ("DejaVuSans.ttf",)
SANS_BOLD_FILES = ("DejaVuSans-Bold.ttf",)
# CJK in TrueType outlines (ReportLab cannot embed the CFF outlines of the
# Noto CJK .ttc files most Linux systems ship).
CJK_FILES = ("wqy-zenhei.ttc", "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "uming.ttc")
# Without a CJK TrueType font: ReportLab's built-in CID fonts, which are not
# embedded; PDF readers (Acrobat, Chrome, Firefox, Preview) supply the glyphs.
CID_FONTS = {"ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium", "zh": "STSong-Light"}


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    cjk: str | None  # an embedded CJK font, or None to use CID_FONTS

    @property
    def embedded(self) -> bool:
        return self.regular != "Helvetica"


def _find(names: Sequence[str]) -> Path | None:
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for name in names:
            found = next(folder.rglob(name), None)
            if found is not None:
                return found
    return None


def _register(alias: str, names: Sequence[str]) -> str | None:
    if alias in pdfmetrics.getRegisteredFontNames():
        return alias
    path = _find(names)
    if path is None:
        return None
    try:
        pdfmetrics.registerFont(TTFont(alias, str(path)))
    except (TTFError, OSError):
        return None
    return alias


@lru_cache(maxsize=1)
def card_fonts() -> Fonts:
    """The fonts cards use, found once per process.

    Without DejaVu Sans on the machine the cards fall back to Helvetica,
    which every PDF reader has but which covers only Western European
    letters: Arabic or Cyrillic names then print as blanks.
    """
    regular = _register("ShelfwiseSans", SANS_FILES)
    bold = _register("ShelfwiseSans-Bold", SANS_BOLD_FILES) or regular
    cjk = _register("ShelfwiseCJK", CJK_FILES)
    if regular is None:
        return Fonts(regular="Helvetica", bold="Helvetica-Bold", cjk=cjk)
    return Fonts(regular=regular, bold=bold or regular, cjk=cjk)


def _cjk_script(text: str) -> str:
    """'ko', 'ja' or 'zh' for text with Hangul, kana or Han; '' otherwise."""
    han = False
    for ch in text:
        cp = ord(ch)
        if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
            return "ko"
        if 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF:
            return "ja"
        if 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF:
            han = True
    return "zh" if han else ""


def _covers(font: str, text: str) -> bool:
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return all(ord(ch) in glyphs for ch in text if not ch.isspace())


def font_for(text: str, *, bold: bool = False) -> str:
    """The font that has glyphs for `text`'s script."""
    fonts = card_fonts()
    script = _cjk_script(text)
    if script:
        # Fallback CJK fonts often lack some Hangul or rarer Han: then the CID font.
        if fonts.cjk and _covers(fonts.cjk, text):
            return fonts.cjk
        name = CID_FONTS[script]
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
        return name
    return fonts.bold if bold else fonts.regular


# ---- Arabic shaping and visual order ---------------------------------------------

_FORMS = ("isolated", "final", "initial", "medial")
_LAM = "\u0644"
_ALEFS = "\u0622\u0623\u0625\u0627"


@lru_cache(maxsize=1)
def _arabic_tables() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """({letter: {form: glyph}}, {alef: {form: lam-alef ligature}}) from Unicode's own data."""
    letters: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    # Presentation Forms-B first: the basic letters' canonical forms live there.
    for cp in [*range(0xFE70, 0xFEFF), *range(0xFB50, 0xFE00)]:
        glyph = chr(cp)
        decomposition = unicodedata.decomposition(glyph).split()
        if len(decomposition) < 2 or decomposition[0].strip("<>") not in _FORMS:
            continue
        form = decomposition[0].strip("<>")
        base = "".join(chr(int(code, 16)) for code in decomposition[1:])
        if len(base) == 1:
            letters.setdefault(base, {}).setdefault(form, glyph)
        elif len(base) == 2 and base[0] == _LAM and base[1] in _ALEFS:
            lam_alef.setdefault(base[1], {}).setdefault(form, glyph)
    return letters, lam_alef


def _joins_forward(ch: str | None, letters: dict) -> bool:
    """Whether `ch` connects to the letter after it (dual-joining letters, tatweel)."""
    if ch is None:
        return False
    if ch == "\u0640":
        return True
    forms = letters.get(ch, {})
    return "initial" in forms or "medial" in forms


def _transparent(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Cf") and ch != "\u200d"


def shape_arabic(text: str) -> str:
    """Arabic letters → their contextual presentation forms (logical order kept)."""
    letters, lam_alef = _arabic_tables()
    if not any(ch in letters for ch in text):
        return text
    chars = list(text)

    def neighbour(i: int, step: int) -> str | None:
        i += step
        while 0 <= i < len(chars) and _transparent(chars[i]):
            i += step
        return chars[i] if 0 <= i < len(chars) else None

    out = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        forms = letters.get(ch)
        if not forms:
            out.append(ch)
            i += 1
            continue
        joins_before = _joins_forward(neighbour(i, -1), letters)
        after = neighbour(i, 1)
        if ch == _LAM and after in lam_alef:
            ligature = lam_alef[after]
            out.append(ligature.get("final" if joins_before else "isolated", ch + after))
            # Skip the alef (and any marks between the two).
            i += 1
            while i < len(chars) and chars[i] != after:
                out.append(chars[i])
                i += 1
            i += 1
            continue
        joins_after = _joins_forward(ch, letters) and (after in letters or after == "\u0640")
        if joins_before and joins_after:
            wanted = ("medial", "final", "initial", "isolated")
        elif joins_before:
            wanted = ("final", "isolated")
        elif joins_after:
            wanted = ("initial", "isolated")
        else:
            wanted = ("isolated",)
        out.append(next((forms[f] for f in wanted if f in forms), ch))
        i += 1
    return "".join(out)


def _direction(ch: str) -> str:
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    if kind in ("EN", "AN"):
        return "N"
    return ""  # neutral: spaces, punctuation


def visual_order(text: str) -> str:
    """A one-line paragraph in display order: the part of the Unicode bidi algorithm names need.

    Right-to-left runs are reversed; left-to-right runs and numbers keep
    their order; numbers after right-to-left text go with it; spaces and
    punctuation take the direction around them; brackets are mirrored inside
    right-to-left runs.
    """
    kinds = [_direction(ch) for ch in text]
    if "R" not in kinds:
        return text
    base = 1 if next(k for k in kinds if k in ("L", "R")) == "R" else 0
    # Numbers take the direction of the strong text before them (W2, W7).
    resolved, last = [], "R" if base else "L"
    for kind in kinds:
        if kind in ("L", "R"):
            last = kind
        resolved.append(("NR" if last == "R" else "L") if kind == "N" else kind)
    levels = []
    for i, kind in enumerate(resolved):
        if kind == "R":
            levels.append(1)
        elif kind == "NR":
            levels.append(2)
        elif kind == "L":
            levels.append(2 if base else 0)
        else:  # a neutral: the direction on both sides, else the paragraph's (N1, N2)
            edge = "R" if base else "L"
            before = next((k for k in reversed(resolved[:i]) if k), edge)
            after = next((k for k in resolved[i + 1 :] if k), edge)
            before, after = ("R" if k == "NR" else k for k in (before, after))
            if before == after:
                levels.append(1 if before == "R" else (2 if base else 0))
            else:
                levels.append(base)
    chars = list(text)
    for level in range(max(levels), 0, -1):  # L2: reverse runs, highest level first
        i = 0
        while i < len(chars):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(chars) and levels[j] >= level:
                j += 1
            chars[i:j] = chars[i:j][::-1]
            levels[i:j] = levels[i:j][::-1]
            i = j
    return "".join(_mirror(ch) if lv % 2 else ch for ch, lv in zip(chars, levels, strict=True))


_MIRRORS = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))


def _mirror(ch: str) -> str:
    return _MIRRORS.get(ch, ch)


def display_text(text: str) -> str:
    """`text` as the glyphs to draw, left to right: shaped and in visual order."""
    text = unicodedata.normalize("NFC", text)
    return visual_order(shape_arabic(text))


# ---- Layout ------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    name: str
    school: str
    grade: str  # a label, already in the reader's language
    barcode: str


@dataclass(frozen=True)
class Text:
    text: str  # glyphs in drawing order (shaped, visual order)
    font: str
    size: float
    x: float  # centre
    y: float  # baseline


@dataclass(frozen=True)
class PlacedCard:
    card: Card
    x: float  # lower-left corner
    y: float
    texts: tuple[Text, ...]
    barcode_y: float  # baseline of the number printed under the bars


def _fit(text: str, *, bold: bool, size: float, min_size: float) -> tuple[str, str, float]:
    """(display text, font, size) that fits the card's width: smaller type, then an ellipsis."""
    font = font_for(text, bold=bold)
    shown = display_text(text)
    while size > min_size and pdfmetrics.stringWidth(shown, font, size) > INNER_WIDTH:
        size -= 0.5
    cut = text
    while pdfmetrics.stringWidth(shown, font, size) > INNER_WIDTH and len(cut) > 1:
        cut = cut[:-1]
        shown = display_text(cut.rstrip() + "…")
    return shown, font, size


def card_place(card: Card, *, x: float, y: float) -> PlacedCard:
    """Where each line of `card` goes when its lower-left corner is at (x, y)."""
    centre = x + CARD_WIDTH / 2
    top = y + CARD_HEIGHT - PADDING
    texts = []
    school, font, size = _fit(card.school, bold=False, size=8, min_size=6)
    top -= size
    texts.append(Text(school, font, size, centre, top))
    name, font, size = _fit(card.name, bold=True, size=NAME_SIZE, min_size=NAME_MIN_SIZE)
    top -= size + 8
    texts.append(Text(name, font, size, centre, top))
    if card.grade:
        grade, font, size = _fit(card.grade, bold=False, size=9, min_size=7)
        top -= size + 5
        texts.append(Text(grade, font, size, centre, top))
    return PlacedCard(card=card, x=x, y=y, texts=tuple(texts), barcode_y=y + PADDING)


def sheet_layout(cards: Sequence[Card]) -> list[list[PlacedCard]]:
    """Pages of placed cards: left to right, top to bottom, ten a page."""
    pages = []
    for start in range(0, len(cards), PER_PAGE):
        page = []
        for n, card in enumerate(cards[start : start + PER_PAGE]):
            row, column = divmod(n, COLUMNS)
            x = MARGIN_X + column * CARD_WIDTH
            y = PAGE_HEIGHT - MARGIN_Y - (row + 1) * CARD_HEIGHT
            page.append(card_place(card, x=x, y=y))
        pages.append(page)
    return pages


def barcode_drawing(value: str) -> Drawing | None:
    """A Code 128 drawing of `value` (bars and quiet zones; the number is drawn apart).

    None when `value` cannot be a Code 128 symbol (characters outside ASCII).
    """
    if not value or not value.isascii() or not value.isprintable():
        return None
    width = BAR_WIDTH
    while True:
        drawing = createBarcodeDrawing(
            "Code128",
            value=value,
            barWidth=width,
            barHeight=BAR_HEIGHT,
            humanReadable=False,
        )
        if drawing.width <= INNER_WIDTH or width <= BAR_MIN_WIDTH:
            return drawing
        width = max(BAR_MIN_WIDTH, width - 0.1)


# ---- The PDF ---------------------------------------------------------------------


def _draw_card(canvas: Canvas, placed: PlacedCard) -> None:
    canvas.setStrokeColor(CUT_LINE)
    canvas.setLineWidth(0.5)
    canvas.roundRect(placed.x + 2, placed.y + 2, CARD_WIDTH - 4, CARD_HEIGHT - 4, 6)
    for n, line in enumerate(placed.texts):
        canvas.setFillColor(MUTED if n != 1 else Color(0, 0, 0))
        canvas.setFont(line.font, line.size)
        canvas.drawCentredString(line.x, line.y, line.text)
    code = placed.card.barcode
    drawing = barcode_drawing(code)
    if drawing is not None:
        left = placed.x + (CARD_WIDTH - drawing.width) / 2
        renderPDF.draw(drawing, canvas, left, placed.barcode_y + CODE_SIZE + CODE_GAP)
    # The number under the bars, for typing when a scanner fails.
    canvas.setFillColor(Color(0, 0, 0))
    canvas.setFont(font_for(code) if not code.isascii() else "Helvetica", CODE_SIZE)
    canvas.drawCentredString(placed.x + CARD_WIDTH / 2, placed.barcode_y, display_text(code))


def cards_pdf(cards: Sequence[Card], *, title: str = "") -> bytes:
    """The PDF of `cards` (no database)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=1)
    canvas.setTitle(title or _("Patron cards"))
    canvas.setCreator("Shelfwise")
    for page in sheet_layout(cards) or [[]]:
        for placed in page:
            _draw_card(canvas, placed)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def barcodes_ensure(people: Sequence) -> int:
    """Give everyone in `people` a patron barcode; returns how many were assigned."""
    missing = [person for person in people if not person.patron_barcode]
    if not missing:
        return 0
    from shelfwise.people.models import Person

    # One read for the whole batch; a code taken meanwhile falls back to one at a time.
    for person, code in zip(missing, next_patron_barcodes(len(missing)), strict=True):
        try:
            with transaction.atomic():
                updated = (
                    Person.objects.filter(pk=person.pk)
                    .filter(Q(patron_barcode=None) | Q(patron_barcode=""))
                    .update(patron_barcode=code)
                )
        except IntegrityError:
            updated = 0
        if updated:
            person.patron_barcode = code
        else:
            person.refresh_from_db(fields=["patron_barcode"])
            patron_barcode_assign(person)
    return len(missing)


def card_for(person, *, school) -> Card:
    return Card(
        name=person.full_name or person.username,
        school=school.name,
        grade=grade_label(person.grade) if person.grade else "",
        barcode=person.patron_barcode or "",
    )


def patron_cards_pdf(*, people: Iterable, school) -> bytes:
    """Cards for `people` at `school`; anyone without a patron barcode gets one first."""
    people = list(people)
    barcodes_ensure(people)
    title = _("Patron cards · %(school)s") % {"school": school.name}
    return cards_pdf([card_for(person, school=school) for person in people], title=title)
