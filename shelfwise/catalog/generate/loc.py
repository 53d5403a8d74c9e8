"""MARC 21 records from the Library of Congress rows in `data/loc_juvenile_books.csv`.

The CSV keeps the LoC values of each field (see data/ATTRIBUTION.md); this
module puts them back into MARC with today's conventions (264, 336-338) and
ISBD punctuation. Only the reading levels some records get are invented, and
those records say so in a 500 note.
"""

from __future__ import annotations

import csv
import functools
import random
import re
from pathlib import Path

import pymarc
from pymarc import Field

from shelfwise.catalog.generate.fields import (
    DEMO_NOTE,
    end,
    field,
    fixed_008,
    pages_of,
    rda_fields,
    reading_level_fields,
    subject_field,
    title_field,
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "loc_juvenile_books.csv"
ENRICHED_NOTE = f"{DEMO_NOTE} reading levels (521, 526) added to a Library of Congress record."
LEVELS_SHARE = 0.45
LEADER = "00000nam a2200000 a 4500"


@functools.cache
def loc_rows() -> tuple[dict[str, str], ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


# Where the publishers of most rows are (264 $a, 008/15-17); the CSV has no place.
_PUBLISHER_PLACES = (
    ("Children's Press", "New York", "nyu"),
    ("Heinemann", "Chicago", "ilu"),
    ("Scholastic", "New York", "nyu"),
    ("Random House", "New York", "nyu"),
    ("PowerKids", "New York", "nyu"),
    ("Gareth Stevens", "Milwaukee", "wiu"),
    ("Chelsea House", "Philadelphia", "pau"),
    ("Raintree", "Austin, Tex.", "txu"),
    ("Lucent", "San Diego, Calif.", "cau"),
    ("Enslow", "Berkeley Heights, NJ", "nju"),
    ("Child's World", "Chanhassen, Minn.", "mnu"),
    ("Harper", "New York", "nyu"),
    ("Rosen", "New York", "nyu"),
    ("Candlewick", "Cambridge, Mass.", "mau"),
    ("Bridgestone", "Mankato, Minn.", "mnu"),
    ("Millbrook", "Brookfield, Conn.", "ctu"),
    ("Little Simon", "New York", "nyu"),
    ("Compass Point", "Minneapolis, Minn.", "mnu"),
    ("Franklin Watts", "New York", "nyu"),
    ("Thorndike", "Waterville, Me.", "meu"),
    ("Harcourt", "San Diego", "cau"),
    ("Atheneum", "New York", "nyu"),
    ("Abdo", "Edina, Minn.", "mnu"),
    ("Bantam", "New York", "nyu"),
    ("Carolrhoda", "Minneapolis", "mnu"),
    ("Lerner", "Minneapolis", "mnu"),
    ("Benchmark", "New York", "nyu"),
    ("Pebble", "Mankato, Minn.", "mnu"),
    ("Capstone", "Mankato, Minn.", "mnu"),
    ("Dutton", "New York", "nyu"),
    ("Simon", "New York", "nyu"),
    ("Holiday House", "New York", "nyu"),
    ("Dorling Kindersley", "New York", "nyu"),
    ("DK", "New York", "nyu"),
    ("Blackbirch", "Woodbridge, Conn.", "ctu"),
    ("Little, Brown", "Boston", "mau"),
    ("Viking", "New York", "nyu"),
    ("Barron's", "Hauppauge, N.Y.", "nyu"),
    ("Houghton", "Boston", "mau"),
    ("Clarion", "New York", "nyu"),
    ("Crabtree", "New York", "nyu"),
    ("Rourke", "Vero Beach, Fla.", "flu"),
    ("Creative Education", "Mankato, Minn.", "mnu"),
    ("Greenwillow", "New York", "nyu"),
    ("Grosset", "New York", "nyu"),
    ("Hyperion", "New York", "nyu"),
    ("Delacorte", "New York", "nyu"),
    ("Golden Books", "New York", "nyu"),
    ("Marshall Cavendish", "New York", "nyu"),
    ("Puffin", "New York", "nyu"),
    ("Twenty-First Century", "Brookfield, Conn.", "ctu"),
    ("Moody", "Chicago", "ilu"),
    ("Concordia", "St. Louis", "mou"),
    ("Knopf", "New York", "nyu"),
)
_LANG_COUNTRY = {
    "ger": "gw ",
    "fre": "fr ",
    "spa": "sp ",
    "wel": "wlk",
    "fin": "fi ",
    "slv": "xv ",
    "ita": "it ",
    "rus": "ru ",
    "swe": "sw ",
    "cze": "xr ",
}
_UNKNOWN_PLACE = "[Place of publication not identified]"
_AUTHOR = re.compile(r"^(?P<a>.+?)(?: (?P<q>\([^)]*\)))?(?:, (?P<d>\d{4}-(?:\d{4})?))?$")
_CORPORATE = re.compile(
    r"\b(Society|Company|Inc|Press|Council|Museum|Association|Books|Team|"
    r"Foundation|Publishing|Corporation|Group|Institute|Editors)\b"
)
_ROLE = re.compile(
    r"^(?:(?P<ill>(?:with )?(?:illustrated|illustrations|pictures|art|drawings|"
    r"photographs)(?: by)?)|(?P<trl>translated(?: by)?)|(?P<edt>edited(?: by)?))"
    r"\s+",
    re.IGNORECASE,
)
_PERSON = re.compile(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}")
_PARTICLES = frozenset({"de", "van", "von", "da", "del", "le", "di"})


def main_entry(name: str) -> Field:
    """100 (or 110) from "Simmons, Andra, 1939-" / "Davis, Katie (Katie I.)"."""
    match = _AUTHOR.match(name.strip())
    a, q, d = match["a"], match["q"], match["d"]
    if "," not in a and _CORPORATE.search(a):
        return field("110", "2 ", "a", end(a))
    parts = ["a", a + ("," if d else "")]
    if q:
        parts = ["a", a, "q", q + ("," if d else "")]
    if d:
        parts += ["d", d]
    else:
        parts[-1] = end(parts[-1])
    return field("100", ("1" if "," in a else "0") + " ", *parts)


def _invert(name: str) -> str:
    """ "Mary Jane Smith" -> "Smith, Mary Jane" (a particle stays with the surname)."""
    tokens = name.split()
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return f"{' '.join(tokens[cut:])}, {' '.join(tokens[:cut])}"


def added_entries(responsibility: str, main_author: str) -> list[Field]:
    """700s for the co-authors, illustrators, translators and editors named in 245 $c."""
    fields, seen = [], {main_author.split(",")[0].strip().lower()}
    for index, segment in enumerate(responsibility.split(" ; ")):
        match = _ROLE.match(segment)
        if match:
            role = "illustrator" if match["ill"] else "translator" if match["trl"] else "editor"
            text = segment[match.end() :]
        elif index == 0:
            role, text = "author", re.sub(r"^(?:written )?by ", "", segment)
        else:
            continue
        for name in re.split(r", and |, | and | & ", text):
            name = name.strip(" .")
            if not _PERSON.fullmatch(name):
                continue
            inverted = _invert(name)
            surname = inverted.split(",")[0].lower()
            if surname not in seen:
                seen.add(surname)
                fields.append(field("700", "1 ", "a", inverted + ",", "e", role + "."))
    return fields


def _isbn_fields(row: dict[str, str]) -> list[Field]:
    raw = [token.strip() for token in row["isbn_020a_raw"].split(" | ")]
    fields = []
    for index, number in enumerate(i for i in row["isbns_all"].split("|") if i):
        parts = ["a", number]
        if index < len(raw) and raw[index].startswith(number):
            qualifier = re.search(r"\((.*?)\)", raw[index])
            for q in qualifier[1].split(" : ") if qualifier else ():
                parts += ["q", q.strip()]
        fields.append(field("020", "  ", *parts))
    return fields


def _audience_notes(note: str) -> list[Field]:
    fields = []
    for part in filter(None, (p.strip() for p in note.split(" | "))):
        if re.search(r"\bRL\b|level", part, re.IGNORECASE):
            ind = "0"
        elif re.search(r"\bages?\b|months|newborn|^\d{3}-\d{3}", part, re.IGNORECASE):
            ind = "1"
        elif re.search(r"grade|preschool", part, re.IGNORECASE):
            ind = "2"
        else:
            ind = " "
        fields.append(field("521", ind + " ", "a", end(part)))
    return fields


@functools.lru_cache(maxsize=4096)
def _base(row_index: int) -> tuple[str, tuple[Field, ...]]:
    """008 and every field but 001/003/020 and the reading levels, built once per row.

    Cached because the benchmark makes dozens of records from each row; nothing
    changes a field once built (with_holdings only appends fields)."""
    row = loc_rows()[row_index]
    lang = row["language_008"] or "eng"
    control = row["loc_001"]
    serial = int(re.sub(r"\D", "", control) or 0)
    yy = control[:2] if control[:2].isdigit() else "00"
    entered = f"{yy}{serial % 12 + 1:02d}{serial % 28 + 1:02d}"
    publisher = row["publisher"]
    place, country = next(
        ((p, c) for prefix, p, c in _PUBLISHER_PLACES if publisher.startswith(prefix)),
        (_UNKNOWN_PLACE, _LANG_COUNTRY.get(lang, "xxu")),
    )
    subjects = [h.strip() for h in row["subjects_650"].split(" | ") if h.strip()]
    biography = " "
    if any(" -- Biography" in s for s in subjects):
        biography = "c" if row["dewey_082"].startswith("920") else "b"
    audience = row["target_audience_code"] or "j"
    literary = row["literary_form_code"] or "0"
    fixed = fixed_008(
        entered,
        row["pub_year_008"],
        country,
        audience,
        literary=literary,
        lang=lang,
        illustrated=audience in "ab" or "unpaged" in row["extent_300a"],
        biography=biography,
        index="1" if literary == "0" and audience in "cd" else "0",
    )
    lccn = row["lccn"] or control
    fields = [
        field("010", "  ", "a", f"   {lccn} " if len(lccn) == 8 else f"  {lccn}"),
        field("040", "  ", "a", "DLC", "b", "eng", "c", "DLC"),
    ]
    codes = re.findall(r"[a-z]{3}", re.sub(r"[^a-z]", "", row["languages_041a"].lower()))
    if len(codes) > 1:
        fields.append(field("041", "0 ", *[x for code in codes for x in ("a", code)]))
    if row["lc_call_050"]:
        lc_class, _, item = row["lc_call_050"].partition(" ")
        fields.append(field("050", "00", "a", lc_class, *(("b", item) if item else ())))
    if row["dewey_082"]:
        fields.append(field("082", "00", "a", row["dewey_082"], "2", "21"))
    author = row["main_author"]
    if author:
        fields.append(main_entry(author))
    fields.append(
        title_field(row["title"], row["responsibility_245c"], lang, has_main=bool(author))
    )
    year = row["pub_year_008"]
    fields.append(
        field(
            "264",
            " 1",
            "a",
            f"{place} :",
            "b",
            f"{publisher or '[publisher not identified]'},",
            "c",
            end(year or "[date of publication not identified]"),
        )
    )
    fields.append(field("300", "  ", "a", row["extent_300a"] or "1 volume"))
    fields += rda_fields()
    if row["summary_520"]:
        fields.append(field("520", "  ", "a", end(row["summary_520"])))
    fields += _audience_notes(row["audience_note_521"])
    fields += [subject_field(s) for s in subjects]
    fields += added_entries(row["responsibility_245c"], author)
    return fixed, tuple(fields)


def loc_record(
    row_index: int, rng: random.Random, *, control: str = "", isbn: str = ""
) -> pymarc.Record:
    """The record of one CSV row. The benchmark passes its own control number and ISBN
    (another binding of the same book) to make a distinct record from a row it has used."""
    row = loc_rows()[row_index]
    fixed, base = _base(row_index)
    fields = [
        Field(tag="001", data=control or row["loc_001"]),
        Field(tag="003", data="Shelfwise" if control else "DLC"),
    ]
    fields.append(Field(tag="008", data=fixed))
    if isbn:
        binding = rng.choice(("hardcover", "paperback", "library binding"))
        fields.append(field("020", "  ", "a", isbn, "q", binding))
    else:
        fields += _isbn_fields(row)
    fields += base
    audience = row["target_audience_code"] or "j"
    if rng.random() < LEVELS_SHARE:
        fields.append(field("500", "  ", "a", ENRICHED_NOTE))
        fields += reading_level_fields(rng, audience, pages_of(row["extent_300a"], audience))
    fields.sort(key=lambda f: f.tag)
    return pymarc.Record(leader=LEADER, fields=fields, force_utf8=True)
