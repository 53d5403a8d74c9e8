"""Copies for generated records, as 852 fields in our Follett-Destiny-style export profile.

One 852 per copy: $a school, $b location, $k prefix (world-language shelves),
$h call number class, $i item part (cutter), $p barcode, $t copy number,
$9 price in implied cents, $x "Item type: …", $x "Acquired: YYYY-MM-DD".
Where a copy is shelved follows from the record: leader/06, 008, 082, 655.
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata

import pymarc

from shelfwise.catalog.generate.fields import field

_LATEST = datetime.date(2025, 9, 30)  # fixed, so the same seed gives the same file every day
# LC class letter -> Dewey hundred, for the few LoC rows without an 082.
_LC_TO_DEWEY = {
    "A": "030",
    "B": "200",
    "C": "909",
    "D": "940",
    "E": "973",
    "F": "973",
    "G": "910",
    "H": "300",
    "J": "320",
    "K": "340",
    "L": "370",
    "M": "780",
    "N": "700",
    "P": "800",
    "Q": "500",
    "R": "610",
    "S": "630",
    "T": "600",
    "U": "355",
    "V": "359",
    "Z": "020",
}
# Price ranges in dollars by location (Reference and library bindings cost more).
_PRICES = {
    "Easy": (12, 19),
    "Fiction": (8, 19),
    "World Languages": (9, 18),
    "Nonfiction": (19, 32),
    "Graphic Novels": (10, 15),
    "Reference": (39, 89),
    "Audiobooks": (29, 49),
    "eBooks": (9, 19),
    "Board": (6, 10),
}
_FICTION_FORMS = frozenset("1fjhm")


def _subfields(record: pymarc.Record, tag: str, code: str) -> list[str]:
    return [value for f in record.get_fields(tag) for value in f.get_subfields(code)]


def dewey_class(dewey: str) -> str:
    """ "592/.64" -> "592.64", "810.9/9282 B" -> "810.992", "[Fic]" -> ""."""
    number = re.sub(r"[\[\]]", "", dewey).split()[0] if dewey.strip() else ""
    segments = number.split("/")
    match = re.match(r"\d{3}(?:\.\d{1,3})?", "".join(segments[:2]))
    return match[0] if match else ""


def shelving(record: pymarc.Record) -> tuple[str, str, str]:
    """(location, call number class, item type) for a copy of `record`."""
    fixed = record["008"].data if record["008"] else " " * 40
    audience, lang = fixed[22], fixed[35:38]
    genres = {g.rstrip(".").lower() for g in _subfields(record, "655", "a")}
    dewey = (_subfields(record, "082", "a") or [""])[0]
    if record.leader[6] == "i":
        fiction = fixed[30] == "f"
        return "Audiobooks", "FIC" if fiction else dewey_class(dewey) or "AUD", "audiobook"
    fiction = fixed[33] in _FICTION_FORMS or dewey.upper().startswith(("[FIC", "[E"))
    if fixed[23] in "oqs":
        return "eBooks", "FIC" if fiction else dewey_class(dewey) or "EBOOK", "ebook"
    if "6" in fixed[24:28] or "graphic novels" in genres:
        return "Graphic Novels", "GN", "book"
    if (
        genres & {"picture books", "board books"}
        or dewey.upper().startswith("[E")
        or (fiction and audience in "ab")
    ):
        return "Easy", "E", "book"
    if fiction:
        return ("Fiction" if lang == "eng" else "World Languages"), "FIC", "book"
    klass = dewey_class(dewey)
    if not klass:
        lc = (_subfields(record, "050", "a") or [" "])[0][:1]
        klass = _LC_TO_DEWEY.get(lc, "000")
    forms = {v.rstrip(".").lower() for v in _subfields(record, "650", "v")}
    if klass.startswith("03") or forms & {"dictionaries", "encyclopedias"}:
        return "Reference", klass, "reference"
    return "Nonfiction", klass, "book"


def cutter(record: pymarc.Record) -> str:
    """First three letters of the main entry (or title), as school libraries label spines."""
    main = _subfields(record, "100", "a") or _subfields(record, "110", "a")
    if main:
        text = main[0]
    else:
        title = record["245"]
        text = (title.get("a") or "") if title else ""
        text = text[int(title.indicator2) if title and title.indicator2.isdigit() else 0 :]
    # Latin letters lose their accents (García -> GAR); other scripts stay as they are.
    letters = [c for c in text if c.isalpha()][:3]
    letters = [
        unicodedata.normalize("NFD", c)[0] if "LATIN" in unicodedata.name(c, "") else c
        for c in letters
    ]
    return "".join(letters).upper() or "XXX"


def with_holdings(
    record: pymarc.Record, *, school_code: str, copies: int, barcode_start: int, rng: random.Random
) -> pymarc.Record:
    """Add `copies` 852 fields with barcodes T<barcode_start>, T<barcode_start + 1>, …"""
    location, klass, item_type = shelving(record)
    fixed = record["008"].data if record["008"] else ""
    year = int(fixed[7:11]) if fixed[7:11].isdigit() else 2010
    lang = fixed[35:38] if len(fixed) >= 38 else "eng"
    genres = {g.rstrip(".").lower() for g in _subfields(record, "655", "a")}
    low, high = _PRICES["Board" if "board books" in genres else location]
    first = datetime.date(max(min(year, 2025), 1990), 1, 1)
    last = max(min(datetime.date(year + 8, 8, 31), _LATEST), first + datetime.timedelta(days=365))
    copy_base = sum(1 for f in record.get_fields("852") if f.get("a") == school_code)
    prefix = (
        ["k", lang.upper()]
        if location in ("World Languages", "Easy")
        and lang not in ("eng", "   ", "und", "zxx", "mul")
        else []
    )
    item_part = cutter(record)
    indicators = ("1" if klass[:1].isdigit() else "8") + " "  # ind1: Dewey or other scheme
    # Copies go after every field but 856/88x, without re-sorting the whole record.
    at = len(record.fields)
    while at and record.fields[at - 1].tag > "852":
        at -= 1
    for number in range(copies):
        acquired = datetime.date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))
        price = rng.randint(low, high) * 100 + rng.choice((95, 99))
        pairs = ["a", school_code, "b", location, *prefix, "h", klass, "i", item_part]
        pairs += ["p", f"T{barcode_start + number:08d}", "t", str(copy_base + number + 1)]
        pairs += ["9", str(price), "x", f"Item type: {item_type}", "x", f"Acquired: {acquired}"]
        record.fields.insert(at + number, field("852", indicators, *pairs))
    return record
