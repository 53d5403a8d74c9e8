"""Patron cards: the PDF (pages, names in every script, barcodes that scan) and
the page that makes them (librarians only, their own school's classes only).
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import unicodedata
import zlib
from itertools import count

import pytest
from reportlab.graphics import shapes
from reportlab.graphics.barcode import code128
from reportlab.pdfbase.pdfmetrics import stringWidth

from shelfwise.audit.models import AuditEntry
from shelfwise.people import cards
from shelfwise.people.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Card,
    barcode_drawing,
    cards_pdf,
    display_text,
    font_for,
    grade_label,
    patron_cards_pdf,
    sheet_layout,
)
from shelfwise.people.models import Enrollment, Person, SchoolClass
from tests.conftest import make_person

pytestmark = pytest.mark.usefixtures("fast_password_hashing")
URL = "/people/cards/"
NAMES = ["Sami Haddad", "سامي حداد", "李小龙", "김민준", "さくら", "José Núñez", "Łucja Ŝtefan"]
_ids = count(1)


def some_cards(n: int) -> list[Card]:
    return [
        Card(name=NAMES[i % len(NAMES)], school="Lincoln", grade="Grade 6", barcode=f"P{i:06d}")
        for i in range(n)
    ]


# ---- Reading the PDF back (no PDF library: the structure is simple enough) ----------------

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n", re.S)


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """{number: (dictionary, decoded stream)}."""
    objects = {}
    for match in _OBJECT.finditer(pdf):
        body = match.group(2)
        stream = _STREAM.search(body)
        data = b""
        if stream:
            head = body[: stream.start()]
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            data = body[stream.end() : stream.end() + length]
            if b"/ASCII85Decode" in head:
                data = base64.a85decode(data.strip().removesuffix(b"~>"))
            if b"/FlateDecode" in head:
                data = zlib.decompress(data)
            body = head
        objects[int(match.group(1))] = (body, data)
    return objects


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page(?![s\w])", pdf))


def _literal(raw: bytes) -> bytes:
    """A PDF literal string's bytes, escapes undone."""
    out, i = bytearray(), 0
    escapes = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}
    while i < len(raw):
        byte = raw[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            out.append(escapes.get(nxt, nxt[0]))
            i += 2
    return bytes(out)


def pdf_strings(pdf: bytes) -> list[str]:
    """Every string drawn in the PDF, as Unicode, through each font's ToUnicode map."""
    objects = pdf_objects(pdf)
    fonts: dict[bytes, dict[int, str] | str] = {}
    for body, _data in objects.values():
        name = re.search(rb"/Name /(\S+)", body)
        if name is None or b"/Type /Font" not in body:
            continue
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if to_unicode is not None:  # an embedded subset: one byte a glyph, mapped
            cmap = objects[int(to_unicode.group(1))][1]
            fonts[name.group(1)] = {
                int(code, 16): chr(int(uni, 16))
                for code, uni in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", cmap)
            }
        elif b"/Type0" in body:  # a CID font with a UCS-2 encoding
            fonts[name.group(1)] = "utf-16-be"
        else:  # a standard font, WinAnsi
            fonts[name.group(1)] = "cp1252"
    strings = []
    for _body, data in objects.values():
        current = None
        for match in re.finditer(rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
            if match.group(1):
                current = match.group(1)
                continue
            raw = _literal(match.group(2))
            table = fonts.get(current, "cp1252")
            if isinstance(table, dict):
                strings.append("".join(table.get(b, "\ufffd") for b in raw))
            else:
                strings.append(raw.decode(table, "replace"))
    return strings


# ---- Layout ---------------------------------------------------------------------------------


def test_ten_cards_a_page_inside_the_sheet_without_overlaps():
    pages = sheet_layout(some_cards(23))
    assert [len(page) for page in pages] == [10, 10, 3]
    for page in pages:
        boxes = [(p.x, p.y, p.x + CARD_WIDTH, p.y + CARD_HEIGHT) for p in page]
        for x0, y0, x1, y1 in boxes:
            # At least a quarter inch from every edge: inside any printer's margin.
            assert x0 >= 18 and y0 >= 18 and x1 <= PAGE_WIDTH - 18 and y1 <= PAGE_HEIGHT - 18
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        for placed in page:
            for text in placed.texts:
                assert placed.y < text.y < placed.y + CARD_HEIGHT
            assert placed.texts[1].text == display_text(placed.card.name)


def test_long_names_shrink_then_are_cut_to_fit():
    long = Card(name="Maximiliana " * 8, school="L", grade="", barcode="P1")
    placed = sheet_layout([long])[0][0]
    name = placed.texts[1]
    assert name.size < cards.NAME_SIZE and name.text.endswith("…")
    assert stringWidth(name.text, name.font, name.size) <= cards.INNER_WIDTH


# ---- The PDF --------------------------------------------------------------------------------


def test_pdf_parses_with_a_page_per_ten_cards():
    pdf = cards_pdf(some_cards(23))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) == 3
    assert page_count(cards_pdf([])) == 1  # an empty sheet, not a broken file


@pytest.mark.parametrize("cjk_truetype", [True, False])
def test_pdf_contains_each_name_school_grade_and_code(monkeypatch, cjk_truetype):
    if not cjk_truetype:  # as on a machine without a CJK TrueType font: CID fonts
        fonts = cards.card_fonts()
        fallback = cards.Fonts(regular=fonts.regular, bold=fonts.bold, cjk=None)
        monkeypatch.setattr(cards, "card_fonts", lambda: fallback)
    deck = some_cards(len(NAMES))
    strings = pdf_strings(cards_pdf(deck))
    for card in deck:
        assert display_text(card.name) in strings, card.name
        assert card.barcode in strings
    assert "Lincoln" in strings and "Grade 6" in strings


def test_arabic_is_shaped_and_in_visual_order():
    # سامي: seen initial, alef final, meem initial, yeh final; drawn right to left.
    assert display_text("سامي") == "\ufef2\ufee3\ufe8e\ufeb3"
    assert unicodedata.normalize("NFKC", display_text("سامي"))[::-1] == "سامي"
    # Lam-alef becomes one ligature.
    assert "\ufefb" in display_text("لانا")
    # Latin with Arabic: each run in its own direction.
    assert display_text("Sami سامي") == "Sami \ufef2\ufee3\ufe8e\ufeb3"
    assert display_text("José Núñez") == "José Núñez"


@pytest.mark.skipif(not cards.card_fonts().embedded, reason="no DejaVu Sans on this machine")
def test_every_script_gets_a_font_that_has_it():
    for name in NAMES:
        font = font_for(name)
        if font in cards.CID_FONTS.values():  # the reader's CJK fonts, by script
            assert font == cards.CID_FONTS[cards._cjk_script(name)]
        else:
            assert cards._covers(font, display_text(name)), (name, font)
    assert font_for("Sami") == cards.card_fonts().regular
    assert font_for("Sami", bold=True) == cards.card_fonts().bold


def test_without_fonts_on_the_machine_cards_still_print(monkeypatch):
    fallback = cards.Fonts(regular="Helvetica", bold="Helvetica-Bold", cjk=None)
    monkeypatch.setattr(cards, "card_fonts", lambda: fallback)
    pdf = cards_pdf(some_cards(len(NAMES)))
    assert page_count(pdf) == 1 and "Sami Haddad" in pdf_strings(pdf)


# ---- The barcode ------------------------------------------------------------------------------

# Code 128 symbol values from reportlab's table: A=1 … D=4 modules (bars upper, spaces lower).
PATTERNS = {
    "".join(str(" abcd".index(c.lower())) for c in pattern): value
    for value, pattern in code128._patterns.items()
}


def decode_code128(drawing: shapes.Drawing) -> str:
    """Read the bars of `drawing` back: widths → symbols → checksum → text."""

    def walk(node):
        if isinstance(node, shapes.Group):
            for child in node.contents:
                yield from walk(child)
        else:
            yield node

    widget = drawing.contents[0]
    rects = [
        r
        for r in walk(widget.draw())
        if isinstance(r, shapes.Rect) and r.width < drawing.width  # not the background
    ]
    module = widget.barWidth
    assert rects[0].x >= 10 * module  # quiet zone before the start symbol
    widths = []
    for i, rect in enumerate(rects):
        widths.append(round(rect.width / module))
        if i + 1 < len(rects):
            widths.append(round((rects[i + 1].x - rect.x - rect.width) / module))
    assert drawing.width - (rects[-1].x + rects[-1].width) >= 10 * module  # quiet zone after
    symbols = ["".join(map(str, widths[i : i + 6])) for i in range(0, len(widths) - 7, 6)]
    assert "".join(map(str, widths[-7:])) == "2331112"  # stop
    values = [PATTERNS[s] for s in symbols]
    start, *data, check = values
    assert check == (start + sum(i * v for i, v in enumerate(data, 1))) % 103
    code_set = {103: "A", 104: "B", 105: "C"}[start]
    text = ""
    for v in data:
        if v == 99 and code_set != "C":
            code_set = "C"
        elif v == 100 and code_set != "B":
            code_set = "B"
        elif v == 101 and code_set != "A":
            code_set = "A"
        elif code_set == "C":
            text += f"{v:02d}"
        elif code_set == "B":
            text += chr(v + 32)
        else:
            text += chr(v + 32) if v < 64 else chr(v - 64)
    return text


@pytest.mark.parametrize("value", ["P000001", "P123456", "P009999", "STU-00042", "P1", "LIB 7 x"])
def test_barcode_round_trips(value):
    assert PATTERNS["212222"] == 0 and PATTERNS["211214"] == 104  # the spec's table
    drawing = barcode_drawing(value)
    assert decode_code128(drawing) == value
    assert drawing.width <= cards.INNER_WIDTH


def test_a_code_code128_cannot_carry_gets_no_bars():
    assert barcode_drawing("P١٢٣") is None
    pdf = cards_pdf([Card(name="A", school="L", grade="", barcode="P١٢٣")])
    assert page_count(pdf) == 1


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="poppler-utils and zbar-tools read the printed page like a scanner",
)
def test_printed_barcodes_scan(tmp_path):
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(cards_pdf(some_cards(10)))
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    out = subprocess.run(
        ["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=False
    ).stdout
    assert sorted(out.split()) == [f"P{i:06d}" for i in range(10)]


# ---- From people: barcodes assigned first ---------------------------------------------------


@pytest.mark.django_db
def test_people_without_a_barcode_get_one_first(personas):
    newcomer = make_person("new", personas.school, "student", first_name="Nia", grade="06")
    assert newcomer.patron_barcode is None
    pdf = patron_cards_pdf(people=[personas.student, newcomer], school=personas.school)
    newcomer.refresh_from_db()
    assert newcomer.patron_barcode == "P000002"  # after the student's P0001
    assert Person.objects.get(pk=personas.student.pk).patron_barcode == "P0001"
    strings = pdf_strings(pdf)
    assert {"P0001", "P000002", "Nia", "Sami Haddad", "Lincoln Middle School"} <= set(strings)
    assert grade_label("06") in strings


def test_grade_labels():
    from django.utils import translation

    # Labels follow the active language; an earlier test may leave another active.
    with translation.override("en"):
        assert grade_label("06") == "Grade 6"
        assert grade_label("KG") == "Kindergarten"
        assert grade_label("Other") == "Grade Other"
    with translation.override("ar"):
        assert grade_label("06") == "الصف 6"


# ---- The page -----------------------------------------------------------------------------------


@pytest.fixture
def roster(personas):
    english = SchoolClass.objects.create(
        sourced_id="c-eng", school=personas.school, title="Period 2 English"
    )
    oak = SchoolClass.objects.create(
        sourced_id="c-oak", school=personas.other_school, title="Oak Reading"
    )
    nia = make_person("nia", personas.school, "student", first_name="Nia", grade="06")
    oaky = make_person("oaky", personas.other_school, "student", first_name="Oaky", grade="06")
    for person, school_class, role in [
        (personas.teacher, english, "teacher"),
        (personas.student, english, "student"),
        (nia, english, "student"),
        (oaky, oak, "student"),
    ]:
        Enrollment.objects.create(
            sourced_id=f"e{next(_ids)}", school_class=school_class, person=person, role=role
        )
    return {"english": english, "oak": oak, "nia": nia, "oaky": oaky}


PRINTERS = ["librarian", "district_admin"]
NOT_PRINTERS = ["teacher", "ell", "aide", "student"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", PRINTERS)
def test_librarians_get_the_page_and_the_pdf(personas, roster, client, who):
    client.force_login(personas.all()[who])
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Period 2 English (2 students)" in html and "Grade 6 (2 students)" in html
    assert "Oak Reading" not in html
    r = client.post(URL, {"kind": "class", "class-school_class": roster["english"].pk})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert 'filename="patron-cards-lms-period-2-english.pdf"' in r["Content-Disposition"]
    strings = pdf_strings(r.content)
    assert "Sami Haddad" in strings and "Nia" in strings
    assert "Tom Baker" not in strings  # the teacher of the class is no student
    entry = AuditEntry.objects.get(action="people.print_cards")
    assert entry.actor == personas.all()[who] and entry.detail["cards"] == 2
    assert entry.detail["barcodes_assigned"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", NOT_PRINTERS)
def test_others_are_refused(personas, roster, client, who):
    client.force_login(personas.all()[who])
    assert client.get(URL).status_code == 403
    r = client.post(URL, {"kind": "class", "class-school_class": roster["english"].pk})
    assert r.status_code == 403
    roster["nia"].refresh_from_db()
    assert roster["nia"].patron_barcode is None


@pytest.mark.django_db
def test_anonymous_logs_in_first(client):
    assert client.get(URL)["Location"].startswith("/login/")


@pytest.mark.django_db
def test_outsider_cannot_print_another_schools_class(personas, roster, client):
    client.force_login(personas.outsider)
    page = client.get(URL).content.decode()
    assert "Oak Reading" in page and "Period 2 English" not in page
    r = client.post(URL, {"kind": "class", "class-school_class": roster["english"].pk})
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")
    assert "Select a valid choice" in r.content.decode()
    roster["nia"].refresh_from_db()
    assert roster["nia"].patron_barcode is None
    assert not AuditEntry.objects.filter(action="people.print_cards").exists()


@pytest.mark.django_db
def test_cards_for_a_grade_are_this_schools_students_of_that_grade(personas, roster, client):
    client.force_login(personas.librarian)
    r = client.post(URL, {"kind": "grade", "grade-grade": "06"})
    assert r["Content-Type"] == "application/pdf"
    strings = pdf_strings(r.content)
    assert "Sami Haddad" in strings and "Nia" in strings and "Oaky" not in strings
    assert "Ava" not in strings  # the aide is in grade 8


@pytest.mark.django_db
def test_a_class_with_nobody_active_says_so(personas, roster, client):
    Person.objects.filter(pk__in=[personas.student.pk, roster["nia"].pk]).update(is_active=False)
    client.force_login(personas.librarian)
    r = client.post(URL, {"kind": "class", "class-school_class": roster["english"].pk})
    assert r.status_code == 400 and "Nobody to print" in r.content.decode()


@pytest.mark.django_db
def test_the_page_renders_in_spanish_and_arabic(personas, roster, client):
    client.force_login(personas.librarian)
    for lang in ("es", "ar"):
        client.cookies["django_language"] = lang
        page = client.get(URL)
        assert page.status_code == 200 and f'lang="{lang}"' in page.content.decode()
