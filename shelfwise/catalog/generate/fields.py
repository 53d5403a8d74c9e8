"""MARC field builders shared by the LoC-derived and the invented demo records.

Subject strings arrive as "Heading -- Subdivision -- …" (the LoC CSV's form);
`subject_field` turns them back into $a/$x/$y/$z/$v the way LC codes them.
"""

from __future__ import annotations

import itertools
import random
import re

from pymarc import Field, Indicators, Subfield
from stdnum import ean

from shelfwise.catalog import demo_words as words

DEMO_NOTE = "Shelfwise demo data: generated"


def field(tag: str, ind: str, *pairs: str) -> Field:
    """A data field from "ab" indicators and alternating code, value arguments."""
    subfields = [Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def end(text: str, mark: str = ".") -> str:
    """Close a field with ISBD punctuation unless it already ends in some."""
    text = text.rstrip()
    return text if not text or text[-1] in ".?!-)]" else text + mark


def invented_isbn(block: str, serial: int) -> str:
    """A valid ISBN-13 starting with `block` (979-8…), a different one for every serial."""
    width = 12 - len(block)
    # 7919 is prime, so serial -> body is a bijection modulo 10**width: no repeats.
    body = block + f"{(serial * 7919 + 104729) % 10**width:0{width}d}"
    return body + ean.calc_check_digit(body)


# --- 650 ------------------------------------------------------------------------------------

_FORM_SUBDIVISIONS = frozenset(
    s.lower()
    for s in (
        "Juvenile literature",
        "Juvenile fiction",
        "Juvenile poetry",
        "Juvenile drama",
        "Juvenile humor",
        "Juvenile sound recordings",
        "Fiction",
        "Biography",
        "Pictorial works",
        "Poetry",
        "Folklore",
        "Drama",
        "Humor",
        "Wit and humor",
        "Dictionaries",
        "Dictionaries, Juvenile",
        "Encyclopedias",
        "Encyclopedias, Juvenile",
        "Miscellanea",
        "Specimens",
        "Experiments",
        "Texts",
        "Songs and music",
        "Caricatures and cartoons",
        "Comic books, strips, etc",
        "Comic books, strips, etc.",
        "Maps",
        "Atlases",
        "Guidebooks",
        "Handbooks, manuals, etc",
        "Handbooks, manuals, etc.",
        "Directories",
        "Study guides",
        "Life skills guides",
        "Literary collections",
        "Sources",
        "Popular works",
        "Computer network resources",
        "Prayers and devotions",
        "Textbooks",
        "Readers",
        "Riddles",
        "Anecdotes",
        "Quotations",
        "Correspondence",
        "Diaries",
        "Bibliography",
        "Catalogs",
        "Periodicals",
        "Interviews",
        "Juvenile films",
        "Bilingual",
        "Problems, exercises, etc",
        "Problems, exercises, etc.",
        "Jokes",
        "Legends",
        "Personal narratives",
        "Exhibitions",
        "Posters",
        "Coloring books",
        "Toy and movable books",
        "Stories",
        "Quizzes",
    )
)
_JUVENILE = frozenset(s for s in _FORM_SUBDIVISIONS if s.startswith("juvenile"))
_PLACES = frozenset(
    s.lower()
    for s in (
        "United States",
        "Canada",
        "Mexico",
        "England",
        "Great Britain",
        "Scotland",
        "Wales",
        "Ireland",
        "France",
        "Germany",
        "Italy",
        "Spain",
        "Portugal",
        "Greece",
        "Russia",
        "Soviet Union",
        "Poland",
        "Netherlands",
        "Sweden",
        "Norway",
        "Denmark",
        "Finland",
        "Europe",
        "Africa",
        "Asia",
        "America",
        "North America",
        "South America",
        "Latin America",
        "Central America",
        "Caribbean Area",
        "Australia",
        "New Zealand",
        "Antarctica",
        "Arctic regions",
        "China",
        "Japan",
        "Korea",
        "India",
        "Pakistan",
        "Vietnam",
        "Thailand",
        "Indonesia",
        "Philippines",
        "Egypt",
        "Israel",
        "Palestine",
        "Iran",
        "Iraq",
        "Turkey",
        "Arab countries",
        "Middle East",
        "Nigeria",
        "Kenya",
        "Ghana",
        "South Africa",
        "Ethiopia",
        "Somalia",
        "Haiti",
        "Cuba",
        "Puerto Rico",
        "Jamaica",
        "Dominican Republic",
        "Brazil",
        "Argentina",
        "Peru",
        "Chile",
        "Colombia",
        "Guatemala",
        "Rome",
        "West (U.S.)",
        "Southern States",
        "New England",
        "Great Plains",
        "Southwest, New",
        "Middle West",
        "Northwest Coast of North America",
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Georgia",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington (State)",
        "West Virginia",
        "Wisconsin",
        "Wyoming",
        "New York (State)",
        "New York (N.Y.)",
        "Chicago (Ill.)",
        "Boston (Mass.)",
        "London",
        "England",
        "Paris",
        "San Francisco",
        "Los Angeles",
        "Romania",
        "Cyprus",
        "Hungary",
        "Austria",
        "Switzerland",
        "Ukraine",
    )
)
_QUALIFIER = re.compile(r"\(([^)]+)\)$")
_CHRONOLOGICAL = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th) century|(?:To )?\d{3,4}(?:-\d{0,4})?(?: B\.C\.)?)$|\d{4}-\d{2,4}"
)


def _subdivision_code(text: str) -> str:
    low = text.lower()
    if low in _FORM_SUBDIVISIONS:
        return "v"
    if _CHRONOLOGICAL.search(text):
        return "y"
    if low in _PLACES:
        return "z"
    # "Pearl Harbor (Hawaii)", "Washington (State)", "Springfield (Ill.)"; not "(Elementary)".
    qualifier = _QUALIFIER.search(text)
    if qualifier and (
        qualifier[1] in ("U.S.", "State", "Federation")
        or qualifier[1].endswith(".")
        or qualifier[1].lower() in _PLACES
    ):
        return "z"
    return "x"


def subject_field(heading: str, ind2: str | None = None) -> Field:
    """650 from "Earthworms -- Juvenile literature": LCSH (ind2 0) when a juvenile form
    subdivision marks it, otherwise a children's (CYAC, ind2 1) heading, as LC codes them."""
    head, *subdivisions = [part.strip() for part in heading.split(" -- ") if part.strip()]
    pairs = ["a", head]
    for sub in subdivisions:
        code = _subdivision_code(sub)
        pairs += [code, sub]
    if ind2 is None:
        juvenile = any(
            pairs[i] == "v" and pairs[i + 1].lower() in _JUVENILE for i in range(0, len(pairs), 2)
        )
        ind2 = "0" if juvenile else "1"
    pairs[-1] = end(pairs[-1])
    return field("650", " " + ind2, *pairs)


# --- descriptive fields -----------------------------------------------------------------------

_NONFILING = {
    "eng": ("The ", "A ", "An "),
    "spa": ("El ", "La ", "Los ", "Las ", "Un ", "Una "),
    "fre": ("Le ", "La ", "Les ", "L'", "Un ", "Une "),
    "ger": ("Der ", "Die ", "Das ", "Ein "),
    "por": ("O ", "A ", "Os ", "As ", "Um ", "Uma "),
    "ita": ("Il ", "La ", "Lo ", "I ", "L'"),
}


def nonfiling(title: str, lang: str) -> str:
    for article in _NONFILING.get(lang, ()):
        if title.startswith(article) and len(title) > len(article):
            return str(len(article))
    return "0"


def title_field(
    title: str, responsibility: str, lang: str, *, has_main: bool, number: str = ""
) -> Field:
    """245 with ISBD punctuation: $a Title : $b subtitle. $n 3 / $c by Someone."""
    parts = ["a", title]
    for separator in (" = ", " : "):
        if separator in title:
            head, tail = title.split(separator, 1)
            parts = ["a", f"{head}{separator.rstrip()}", "b", tail]
            break
    if number:
        parts[-1] = end(parts[-1])
        parts += ["n", number]
    if responsibility:
        parts[-1] += " /"
        parts += ["c", end(responsibility)]
    else:
        parts[-1] = end(parts[-1])
    return field("245", ("1" if has_main else "0") + nonfiling(title, lang), *parts)


_RDA_TERMS = {
    "txt": "text",
    "spw": "spoken word",
    "n": "unmediated",
    "s": "audio",
    "c": "computer",
    "nc": "volume",
    "sd": "audio disc",
    "cr": "online resource",
}


def rda_fields(content: str = "txt", media: str = "n", carrier: str = "nc") -> list[Field]:
    return [
        field("336", "  ", "a", _RDA_TERMS[content], "b", content, "2", "rdacontent"),
        field("337", "  ", "a", _RDA_TERMS[media], "b", media, "2", "rdamedia"),
        field("338", "  ", "a", _RDA_TERMS[carrier], "b", carrier, "2", "rdacarrier"),
    ]


def fixed_008(
    entered: str,
    year: str,
    country: str,
    audience: str,
    *,
    illustrated: bool,
    form: str = " ",
    contents: str = "",
    index: str = "0",
    literary: str = "0",
    biography: str = " ",
    lang: str = "eng",
    source: str = " ",
) -> str:
    """008 for books (BK): positions 18-34 as in DOMAIN.md §3."""
    year = year if re.fullmatch(r"\d{4}", year or "") else "uuuu"
    date_type = "n" if year == "uuuu" else "s"
    value = (
        f"{entered}{date_type}{year}    {country:<3.3}{'a' if illustrated else ' '}   "
        f"{audience}{form}{contents:<4.4} 00{index} {literary}{biography}{lang:<3.3} {source}"
    )
    assert len(value) == 40, value
    return value


def fixed_008_sound(
    entered: str, year: str, country: str, audience: str, *, fiction: bool, lang: str
) -> str:
    """008 for a spoken-word recording (MU): 30-31 literary text, 33 transposition n/a."""
    value = (
        f"{entered}s{year}    {country:<3.3}nnn {audience}       {'f ' if fiction else '  '}"
        f" n {lang:<3.3} d"
    )
    assert len(value) == 40, value
    return value


# --- reading levels -------------------------------------------------------------------------

_LEXILE_RANGE = {
    "a": (100, 550),
    "b": (150, 750),
    "c": (600, 1050),
    "d": (850, 1250),
    "j": (350, 950),
}
# (Lexile, ATOS) at the midpoints of the grade bands of DOMAIN.md §2, joined by straight lines.
_ATOS_CURVE = (
    (-200, 0.3),
    (0, 0.8),
    (620, 3.95),
    (875, 6.0),
    (1055, 8.5),
    (1192, 10.8),
    (1285, 12.6),
    (1600, 15.0),
)
_FP_BY_GRADE = ("ABCD", "DEFGHIJ", "JKLMN", "NOPQ", "QRST", "TUVW", "WXY", "YZ", "Z")
_WORDS_PER_PAGE = {"a": 15, "b": 60, "c": 280, "d": 320, "j": 120}


def _atos(lexile: int) -> float:
    for (x0, y0), (x1, y1) in itertools.pairwise(_ATOS_CURVE):
        if lexile <= x1:
            return y0 + (y1 - y0) * (max(lexile, x0) - x0) / (x1 - x0)
    return _ATOS_CURVE[-1][1]


def reading_level_fields(
    rng: random.Random, audience: str, pages: int, graphic: bool = False
) -> list[Field]:
    """A plausible Lexile (521 8#), sometimes F&P (521 8#), interest grade (521 2#), AR (526)."""
    low, high = _LEXILE_RANGE.get(audience, _LEXILE_RANGE["j"])
    lexile = round(rng.triangular(low, high) / 10) * 10
    code = ""
    if graphic:
        code, lexile = "GN", max(lexile - 100, 50)
    elif audience == "a" and rng.random() < 0.7:
        code = "AD"
    elif audience == "d" and rng.random() < 0.1:
        code, lexile = "HL", lexile - 350
    elif audience == "b" and rng.random() < 0.12:
        lexile = -50 * rng.randrange(1, 4)
    measure = f"BR{-lexile}L" if lexile < 0 else f"{code}{lexile}L"
    fields = [field("521", "8 ", "a", measure, "b", "Lexile.")]
    atos = round(min(max(_atos(lexile) + rng.uniform(-0.4, 0.4), 0.3), 14.0), 1)
    if audience in "bc" and rng.random() < 0.3:
        letters = _FP_BY_GRADE[min(int(atos), 8)]
        fields.append(field("521", "8 ", "a", rng.choice(letters), "b", "Fountas and Pinnell."))
    interest = {"a": "PreK-1", "b": "K-3", "c": "4-8", "d": "9-12", "j": "3-6"}.get(audience)
    if interest and rng.random() < 0.5:
        fields.append(field("521", "2 ", "a", end(interest)))
    if rng.random() < 0.75:
        level = {"a": "LG", "b": "LG", "c": "MG", "d": rng.choice(("UG", "MG+"))}.get(
            audience, "LG" if lexile < 550 else "MG"
        )
        word_count = pages * _WORDS_PER_PAGE.get(audience, 120) * (0.5 if graphic else 1)
        points = max(0.5, round((10 + atos) * word_count / 100_000 * 2) / 2)
        fields.append(
            field(
                "526",
                "0 ",
                "a",
                "Accelerated Reader",
                "b",
                level,
                "c",
                f"{atos}",
                "d",
                f"{points:g}",
                "z",
                f"Quiz: {rng.randrange(5000, 240000)}",
            )
        )
    return fields


def pages_of(extent: str, audience: str) -> int:
    match = re.search(r"(\d+)\]? (?:p\.|pages)", extent)
    return int(match[1]) if match else words.PAGES.get(audience, (32, 32))[0]
