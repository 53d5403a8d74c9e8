"""Item (copy) data carried inside bibliographic records: read Follett Destiny 852 and Koha
952 holdings on import, and write Shelfwise's own 852 export profile (DOMAIN.md §4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import pymarc

HOLDING_TAGS = ("852", "952")

ITEM_TYPE_LABEL = "Item type: "
ACQUIRED_LABEL = "Acquired: "
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_MAX_PRICE = Decimal("99999999.99")  # Destiny: at most 6+2 digits; anything above is noise


@dataclass(slots=True)
class Holding:
    barcode: str
    location: str = ""
    call_number: str = ""
    item_type: str = ""
    copy_number: str = ""
    price: Decimal | None = None
    acquired: date | None = None
    source_tag: str = "852"
    notes: str = ""

    def __reduce__(self) -> tuple:
        # Import hands thousands of these between processes: slots dataclasses
        # unpickle through a Python __setstate__ loop, three times slower than this.
        return (Holding, tuple(getattr(self, name) for name in self.__slots__))


def extract_holdings(record: pymarc.Record) -> tuple[list[Holding], list[str]]:
    """Return the record's copies from 852/952 fields, and warnings for the librarian.

    A field without a barcode is skipped with a warning (an item cannot circulate
    without one); an unreadable price or date becomes None with a warning.
    """
    holdings: list[Holding] = []
    warnings: list[str] = []
    counts = {"852": 0, "952": 0}
    for field in record.fields:
        tag = field.tag
        if tag not in counts or field.control_field:
            continue
        counts[tag] += 1
        where = f"{tag} #{counts[tag]}"
        subs = _subfields(field)
        barcode = _one(subs, "p")
        if not barcode:
            warnings.append(f"{where} has no barcode ($p); skipped")
            continue
        if tag == "852":
            holdings.append(_from_852(subs, barcode, where, warnings))
        else:
            holdings.append(_from_952(subs, barcode, where, warnings))
    return holdings, warnings


def _subfields(field: pymarc.Field) -> dict[str, list[str]]:
    subs: dict[str, list[str]] = {}
    for code, value in field.subfields:
        value = value.strip()
        if value:
            subs.setdefault(code, []).append(value)
    return subs


def _one(subs: dict[str, list[str]], code: str) -> str:
    values = subs.get(code)
    return values[0] if values else ""


def _from_852(subs: dict[str, list[str]], barcode: str, where: str, warnings: list[str]) -> Holding:
    # Call number = prefix $k, classification $h, item part $i, suffix $m. Decision:
    # Evergreen exports put the whole call number in $j (shelving control number), so
    # $j is used when the others are empty.
    parts = [v for code in "khim" for v in subs.get(code, [])]
    call_number = " ".join(parts) or _one(subs, "j")
    item_type = ""
    acquired = None
    notes = []
    for note in subs.get("x", []) + subs.get("z", []):
        if note.startswith(ITEM_TYPE_LABEL):
            item_type = note[len(ITEM_TYPE_LABEL) :].strip()
        elif note.startswith(ACQUIRED_LABEL):
            acquired = _date(note[len(ACQUIRED_LABEL) :], where, warnings)
        else:
            notes.append(note)
    return Holding(
        barcode=barcode,
        location=_one(subs, "b"),
        call_number=call_number,
        item_type=item_type,
        copy_number=_one(subs, "t"),
        price=_price(_one(subs, "9"), where, warnings, implied_cents=True),
        acquired=acquired,
        source_tag="852",
        notes="; ".join(notes),
    )


def _from_952(subs: dict[str, list[str]], barcode: str, where: str, warnings: list[str]) -> Holding:
    price_text = _one(subs, "v") or _one(subs, "g")
    notes = subs.get("z", []) + subs.get("x", [])
    return Holding(
        barcode=barcode,
        location=_one(subs, "c") or _one(subs, "8"),
        call_number=_one(subs, "o"),
        item_type=_one(subs, "y"),
        copy_number=_one(subs, "t"),
        price=_price(price_text, where, warnings, implied_cents=False),
        acquired=_date(_one(subs, "d"), where, warnings),
        source_tag="952",
        notes="; ".join(notes),
    )


def _price(text: str, where: str, warnings: list[str], *, implied_cents: bool) -> Decimal | None:
    """Koha writes "15.99"; Destiny writes implied cents without a point: "1599" = 15.99."""
    if not text:
        return None
    cleaned = text.replace("$", "").replace(" ", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        warnings.append(f"{where}: price {text!r} is not a number; left empty")
        return None
    if not value.is_finite() or value < 0 or value > _MAX_PRICE:
        warnings.append(f"{where}: price {text!r} is not plausible; left empty")
        return None
    if implied_cents and "." not in cleaned:
        value = value / 100
    return value.quantize(Decimal("0.01"))


def _date(text: str, where: str, warnings: list[str]) -> date | None:
    if not text:
        return None
    m = _DATE.match(text)
    try:
        if not m:
            raise ValueError
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        warnings.append(f"{where}: date {text!r} is not YYYY-MM-DD; left empty")
        return None


def holding_to_field(h: Holding, school_code: str) -> pymarc.Field:
    """Shelfwise's 852 export profile; extract_holdings reads it back unchanged.

    Decision: 852 has no subfield for item type or acquisition date, so they travel as
    labelled nonpublic notes ($x "Item type: …", $x "Acquired: YYYY-MM-DD"); other notes
    follow in one more $x.
    """
    subfields = [pymarc.Subfield("a", school_code)] if school_code else []
    if h.location:
        subfields.append(pymarc.Subfield("b", h.location))
    if h.call_number:
        subfields.append(pymarc.Subfield("h", h.call_number))
    subfields.append(pymarc.Subfield("p", h.barcode))
    if h.copy_number:
        subfields.append(pymarc.Subfield("t", h.copy_number))
    if h.price is not None:
        cents = int((h.price * 100).quantize(Decimal(1)))
        subfields.append(pymarc.Subfield("9", str(cents)))
    if h.item_type:
        subfields.append(pymarc.Subfield("x", ITEM_TYPE_LABEL + h.item_type))
    if h.acquired is not None:
        subfields.append(pymarc.Subfield("x", ACQUIRED_LABEL + h.acquired.isoformat()))
    if h.notes:
        subfields.append(pymarc.Subfield("x", h.notes))
    return pymarc.Field(tag="852", indicators=pymarc.Indicators(" ", " "), subfields=subfields)
