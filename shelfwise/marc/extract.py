"""Pull the fields Shelfwise searches, facets and displays out of a MARC 21 bibliographic
record (DESIGN.md §2 catalog, DOMAIN.md §2-3), in one pass over its fields.

extract() is on the import hot path and must never raise: missing or malformed data gives
empty values and, where a librarian would care, a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pymarc
from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError

from shelfwise.marc import levels
from shelfwise.marc.formats import FormatClues, decide_format
from shelfwise.marc.languages import normalize_language_code

__all__ = ["BibData", "extract"]


@dataclass(slots=True)
class BibData:
    control_number: str = ""
    control_number_source: str = ""
    title: str = ""
    responsibility: str = ""
    main_author: str = ""
    authors: list[str] = field(default_factory=list)
    edition: str = ""
    publisher: str = ""
    pub_place: str = ""
    pub_year: int | None = None
    extent: str = ""
    isbns: list[str] = field(default_factory=list)
    invalid_isbns: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    summary: str = ""
    dewey: str = ""
    format: str = "book"
    literary_form: str = ""
    is_fiction: bool = False
    is_biography: bool = False
    audience: str = ""
    reading_grade_min: Decimal | None = None
    reading_grade_max: Decimal | None = None
    interest_age_min: int | None = None
    interest_age_max: int | None = None
    interest_grade_min: int | None = None
    interest_grade_max: int | None = None
    lexile: int | None = None
    lexile_code: str = ""
    fp_level: str = ""
    ar_level: Decimal | None = None
    ar_points: Decimal | None = None
    ar_interest: str = ""
    warnings: list[str] = field(default_factory=list)


# Trailing ISBD punctuation: " /", " :", " ;", " =", "," and a final "." - but not the
# period of an initial or abbreviation ("White, E. B.", "U.S.A."), which is part of it.
_TRAILING_CHARS = "/:;=,."
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # incl. non-sort markers U+0088/U+0089
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_ISBN_TOKEN = re.compile(r"[0-9Xx][0-9Xx\- ]{8,16}[0-9Xx]")
_UNKNOWN_PLACE_OR_NAME = re.compile(
    r"^\[?(?:s\.\s?[ln]\.|place of publication not identified|publisher not identified)\]?$",
    re.IGNORECASE,
)
_BOOKS = frozenset("at")  # Ldr/06 types whose 008 follows the BKS layout
_AUDIENCE_TYPES = frozenset("atcdijgkomr ")  # BKS, MU, CF, VM carry audience at 008/22
_FICTION = frozenset("1fj")
_NOT_FICTION = frozenset("0eis")
_BIOGRAPHY = frozenset("abcd")
_FICTION_HEADING = re.compile(r"(?:^|-- )(?:juvenile |young adult )?fiction$|^novels?$", re.I)
_SUBJECT_CODES = frozenset("xyzv")
_LATEST_YEAR = date.today().year + 2


def clean(text: str) -> str:
    """Collapse spaces, drop control characters and trailing ISBD punctuation."""
    if not text:
        return ""
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    text = text.strip()
    if "  " in text or "\n" in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    # A plain loop: this runs for nearly every subfield extracted, and beats a regex.
    while text and text[-1] in _TRAILING_CHARS:
        if (
            text[-1] == "."
            and len(text) > 1
            and text[-2].isupper()
            and (len(text) == 2 or not text[-3].isalpha())
        ):
            break
        text = text[:-1].rstrip()
    return text


def clean_extent(text: str) -> str:
    # "32 p. ;" loses the separator but keeps the abbreviation's period.
    return _SPACES.sub(" ", text).strip().rstrip(" /:;=,+").strip()


def _values(f: pymarc.Field, codes: str) -> list[str]:
    return [v for c, v in f.subfields if c in codes and v]


def _first(f: pymarc.Field, code: str) -> str:
    for c, v in f.subfields:
        if c == code:
            return v
    return ""


def _name(f: pymarc.Field) -> str:
    # Decision: names are $a plus $b (numeration or subordinate units), without dates;
    # the full heading stays in the MARC for anyone who needs $d.
    return clean(" ".join(_values(f, "ab")))


def _add_unique(items: list[str], value: str, seen: set[str]) -> None:
    key = value.casefold()
    if value and key not in seen:
        seen.add(key)
        items.append(value)


def extract(record: pymarc.Record) -> BibData:
    """Extract BibData from a decoded record. Never raises for a record the reader yields."""
    data = BibData()
    clues = FormatClues()
    leader = str(record.leader or "")
    clues.leader6 = leader[6:7] or " "
    clues.leader7 = leader[7:8] or " "
    f008 = ""
    isbn_seen: set[str] = set()
    subject_seen: set[str] = set()
    genre_seen: set[str] = set()
    series_seen: set[str] = set()
    author_seen: set[str] = set()
    added_authors: list[tuple[str, str]] = []
    languages_041: list[str] = []
    pub264: tuple[str, str, str] | None = None
    pub260: tuple[str, str, str] | None = None
    levels_521: list[pymarc.Field] = []

    for f in record.fields:
        tag = f.tag
        if f.control_field:
            if tag == "001":
                data.control_number = (f.data or "").strip()
            elif tag == "003":
                data.control_number_source = (f.data or "").strip()
            elif tag == "008" and not f008:
                f008 = f.data or ""
            continue
        if tag == "020":
            for raw in _values(f, "a"):
                _add_isbn(data, raw, isbn_seen)
        elif tag == "245" and not data.title:
            data.title = clean(" ".join(_values(f, "abnp")))
            data.responsibility = clean(_first(f, "c"))
            clues.gmd = _first(f, "h").lower()
        elif tag in ("100", "110", "111"):
            name = _name(f)
            data.main_author = data.main_author or name
            _add_unique(data.authors, name, author_seen)
        elif tag in ("700", "710", "711"):
            added_authors.append((tag, _name(f)))
        elif tag == "041":
            for raw in _values(f, "a"):
                languages_041.append(raw)
        elif tag == "250" and not data.edition:
            data.edition = clean(_first(f, "a"))
        elif tag == "264" and f.indicator2 == "1" and pub264 is None:
            pub264 = (_first(f, "a"), _first(f, "b"), _first(f, "c"))
        elif tag == "260" and pub260 is None:
            pub260 = (_first(f, "a"), _first(f, "b"), _first(f, "c"))
        elif tag == "300" and not data.extent:
            data.extent = clean_extent(_first(f, "a"))
        elif tag in ("650", "651"):
            heading = _subject(f)
            _add_unique(data.subjects, heading, subject_seen)
            clues.headings.append(heading.lower())
        elif tag == "655":
            genre = clean(_first(f, "a"))
            _add_unique(data.genres, genre, genre_seen)
            clues.headings.append(genre.lower())
        elif tag in ("490", "800", "810", "811", "830"):
            series = _series(f)
            key = _series_key(series)
            if series and key not in series_seen:
                series_seen.add(key)
                data.series.append(series)
        elif tag == "520" and not data.summary:
            data.summary = _SPACES.sub(" ", " ".join(_values(f, "ab"))).strip()
        elif tag == "082" and not data.dewey:
            data.dewey = _dewey(_first(f, "a"))
        elif tag == "336":
            clues.content_types.update(v.strip().lower() for v in _values(f, "ab"))
        elif tag == "337":
            clues.media_types.update(v.strip().lower() for v in _values(f, "b"))
        elif tag == "338":
            clues.carrier_types.update(v.strip().lower() for v in _values(f, "b"))
        elif tag == "521":
            levels_521.append(f)
        elif tag == "526":
            _accelerated_reader(data, f)

    if not data.main_author:
        data.main_author = next((n for t, n in added_authors if n and t != "711"), "")
    for _, name in added_authors:
        _add_unique(data.authors, name, author_seen)
    _publication(data, pub264 or pub260)
    _fixed_fields(data, clues, f008)
    _languages(data, f008, languages_041)
    for f in levels_521:
        _audience_note(data, f)
    data.format = decide_format(clues)
    # No usable 008/33: LC's "-- Fiction" / "Juvenile fiction" subdivisions decide.
    no_form = data.literary_form in ("", "u", "m") or clues.leader6 not in _BOOKS
    if no_form and any(_FICTION_HEADING.search(h) for h in data.subjects + data.genres):
        data.is_fiction = True
    if not data.title:
        data.warnings.append("no title (245)" if "245" not in record else "245 has no title text")
    return data


def _add_isbn(data: BibData, raw: str, seen: set[str]) -> None:
    m = _ISBN_TOKEN.search(raw)
    token = m.group() if m else raw.strip()
    try:
        if len(token) == 13 and token.isdigit() and token.isascii():
            # Most ISBNs arrive as 13 bare digits: check them with stdnum's EAN check
            # digit and skip its character clean-up, half the cost of a whole import's
            # ISBN handling (a Python call per character).
            if token[:3] not in ("978", "979") or ean.calc_check_digit(token[:12]) != token[12]:
                raise ValidationError
            value = token
        else:
            value = stdnum_isbn.validate(token, convert=True)
    except ValidationError:
        if raw.strip() and raw.strip() not in data.invalid_isbns:
            data.invalid_isbns.append(raw.strip())
        return
    if value not in seen:
        seen.add(value)
        data.isbns.append(value)


def _subject(f: pymarc.Field) -> str:
    parts = []
    for code, value in f.subfields:
        if code == "a" or (code in _SUBJECT_CODES and parts):
            piece = clean(value)
            if piece:
                parts.append(piece)
    return " -- ".join(parts)


def _series(f: pymarc.Field) -> str:
    title = clean(" ".join(_values(f, "t" if f.tag in ("800", "810", "811") else "a")))
    number = clean(_first(f, "v"))
    return f"{title} ; {number}" if title and number else title


_QUALIFIER = re.compile(r"\s*\([^)]*\)(?=\s*(?:;|$))")


def _series_key(series: str) -> str:
    # 490 "Globe-trotters club" and 830 "Globe-trotters club (Series)" are one series.
    return _QUALIFIER.sub("", series).casefold()


def _dewey(value: str) -> str:
    # Decision: the class number only: LC's juvenile "B"/"E" follows in a second $a or
    # after a space, and brackets ("[Fic]", "[398.2]") only mean "supplied".
    token = value.replace("[", "").replace("]", "").split()
    return token[0].replace("/", "") if token else ""


def _publication(data: BibData, pub: tuple[str, str, str] | None) -> None:
    if pub is None:
        return
    place, publisher, when = (clean(v).strip("[]") for v in pub)
    data.pub_place = "" if _UNKNOWN_PLACE_OR_NAME.match(place) else place
    data.publisher = "" if _UNKNOWN_PLACE_OR_NAME.match(publisher) else publisher
    if data.pub_year is None and when:
        m = _YEAR.search(when)
        if m and int(m.group()) <= _LATEST_YEAR:
            data.pub_year = int(m.group())


def _fixed_fields(data: BibData, clues: FormatClues, f008: str) -> None:
    if not f008:
        return
    if len(f008) < 40:
        data.warnings.append(f"008 has {len(f008)} characters instead of 40")
        f008 = f008.ljust(40)
    year = f008[7:11]
    if year.isdigit() and 1450 <= int(year) <= _LATEST_YEAR:
        data.pub_year = int(year)
    kind = clues.leader6
    if kind in _AUDIENCE_TYPES and f008[22] not in " |":
        data.audience = f008[22]
    if kind in _BOOKS and clues.leader7 not in ("b", "i", "s"):
        clues.form_of_item = f008[23]
        clues.contents = f008[24:28]
        data.literary_form = f008[33].strip()
        # Decision: fiction means prose fiction (1 fiction, f novels, j short stories);
        # drama, poetry and humor shelve with literature (800s), so they are not fiction.
        data.is_fiction = f008[33] in _FICTION
        data.is_biography = f008[34] in _BIOGRAPHY
        if data.literary_form == "|":
            data.literary_form = ""
    elif kind == "m":
        clues.file_type = f008[26]
    elif kind in ("e", "f", "g", "k", "o", "r"):
        clues.form_of_item = f008[29]
    elif kind in ("c", "d", "i", "j", "p") or clues.leader7 in ("b", "i", "s"):
        clues.form_of_item = f008[23]


def _languages(data: BibData, f008: str, from_041: list[str]) -> None:
    seen: set[str] = set()
    candidates = [f008[35:38]] if len(f008) >= 38 else []
    for raw in from_041:
        raw = raw.strip()
        # Old records pack several codes into one $a: "engspa".
        if len(raw) > 3 and len(raw) % 3 == 0 and raw.isalpha():
            candidates.extend(raw[i : i + 3] for i in range(0, len(raw), 3))
        else:
            candidates.append(raw)
    for raw in candidates:
        code = normalize_language_code(raw)
        if code and code not in seen:
            seen.add(code)
            data.languages.append(code)


def _audience_note(data: BibData, f: pymarc.Field) -> None:
    ind1 = f.indicator1
    text = " ".join(_values(f, "a"))
    source = " ".join(_values(f, "b"))
    lexile_source = "lexile" in source.lower()
    if data.lexile is None and not data.lexile_code:
        # Without $b "Lexile" only unmistakable forms count: "880L", "AD580L", "Lexile 880".
        lexile = levels.parse_lexile(text, source_says_lexile=lexile_source)
        if lexile:
            data.lexile, data.lexile_code = lexile.measure, lexile.code
    if lexile_source:
        return
    if levels.is_fp_source(source):
        data.fp_level = data.fp_level or levels.parse_fp_level(text)
        return
    # Decision: a blank-indicator note counts only when it names ages or grades, and
    # "Grades K-3" there is an interest grade; RL (reading level) is a reading grade.
    if ind1 == "0" or (ind1 in " 8" and re.search(r"\bRL\b|reading level", text, re.I)):
        low, high = levels.parse_reading_grade(text)
        if low is not None and data.reading_grade_min is None:
            data.reading_grade_min, data.reading_grade_max = low, high
    if ind1 in ("1", " ", "8", "0"):
        low_age, high_age = levels.parse_age_range(text, need_context=ind1 != "1")
        if low_age is not None and data.interest_age_min is None:
            data.interest_age_min, data.interest_age_max = low_age, high_age
    if ind1 in ("2", " ", "8"):
        low_g, high_g = levels.parse_grade_range(text, need_context=ind1 != "2")
        if low_g is not None and data.interest_grade_min is None:
            data.interest_grade_min, data.interest_grade_max = low_g, high_g


def _accelerated_reader(data: BibData, f: pymarc.Field) -> None:
    if not levels.is_accelerated_reader(_first(f, "a")) or data.ar_level is not None:
        return
    data.ar_interest = levels.parse_ar_interest(_first(f, "b"))
    data.ar_level = levels.parse_decimal(_first(f, "c"), limit=Decimal(20))
    data.ar_points = levels.parse_decimal(_first(f, "d"), limit=Decimal(999))
