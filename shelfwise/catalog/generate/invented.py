"""Invented demo records: books in Spanish, Arabic, Somali… composed from `demo_words`.

They fill what the LoC sample lacks: many languages (some bilingual), graphic
novels, board and picture books, audiobooks and e-books. Each one says in a
500 note that it is generated, and has a made-up 979-8 ISBN.
"""

from __future__ import annotations

import random

import pymarc
from pymarc import Field

from shelfwise.catalog import demo_words as words
from shelfwise.catalog.generate.fields import (
    DEMO_NOTE,
    end,
    field,
    fixed_008,
    fixed_008_sound,
    invented_isbn,
    rda_fields,
    reading_level_fields,
    subject_field,
    title_field,
)

INVENTED_NOTE = f"{DEMO_NOTE} record (invented for the demo; not real cataloguing)."
LEVELS_SHARE = 0.75
LANG_WEIGHTS = {
    "spa": 26,
    "ara": 13,
    "eng": 12,
    "vie": 9,
    "som": 9,
    "chi": 9,
    "hat": 8,
    "por": 7,
    "kor": 7,
}
_LANGS = tuple(LANG_WEIGHTS)
_TOPICS = {lang: [t for t in words.TOPICS if lang in t.titles] for lang in _LANGS}
_STORIES = {lang: [s for s in words.STORIES if lang in s.titles] for lang in _LANGS}
_SERIES = {lang: [s for s in words.GN_SERIES if lang in s.titles] for lang in _LANGS}
_BOARD_TOPICS = frozenset({"Counting", "{lang} language -- Vocabulary", "Animals", "Emotions"})
_SOURCE = "Shelfwise"


def _person(rng: random.Random, lang: str) -> tuple[str, str, str]:
    """(heading for 100/700, ind1, name as printed in 245 $c)."""
    info = words.LANGUAGES[lang]
    given, family = rng.choice(info.given), rng.choice(info.family)
    form = info.name_form
    if form == "inverted":
        return f"{family}, {given}", "1", f"{given} {family}"
    if form == "inverted_arabic":
        return f"{family}، {given}", "1", f"{given} {family}"
    if form == "surname_spaced":
        return f"{family}, {given}", "1", f"{family} {given}"
    if form == "surname":
        return f"{family}{given}", "1", f"{family}{given}"
    return f"{given} {family}", "0", f"{given} {family}"


def _format(rng: random.Random, kind: str, audience: str, subjects: tuple[str, ...]) -> str:
    roll = rng.random()
    if kind == "graphic":
        return "ebook" if roll < 0.1 else "graphic"
    if audience == "a":
        board = kind == "fiction" or _BOARD_TOPICS.intersection(subjects)
        return "board" if board and roll < 0.4 else "picture"
    if kind == "fiction" and audience == "b" and roll < 0.6:
        return "picture"
    if roll < 0.08:
        return "ebook"
    if roll < 0.14 and (kind == "fiction" or audience in "cd"):
        return "audio"
    return "print"


def _extent(rng: random.Random, fmt: str, audience: str) -> tuple[int, Field]:
    low, high = words.PAGES.get(audience, (32, 96))
    pages = 32 if fmt == "picture" else 2 * (rng.randint(low, high) // 2)
    if fmt == "board":
        return 14, field(
            "300", "  ", "a", "1 volume (unpaged) :", "b", "color illustrations ;", "c", "15 cm"
        )
    if fmt == "audio":
        minutes = max(60, pages * 2 + rng.randint(0, 59))
        discs = max(1, minutes // 70 + 1)
        return pages, field(
            "300",
            "  ",
            "a",
            f"{discs} audio discs ({minutes // 60} hr., {minutes % 60} min.) :",
            "b",
            "digital ;",
            "c",
            "4 3/4 in.",
        )
    if fmt == "ebook":
        return pages, field(
            "300", "  ", "a", f"1 online resource ({pages} pages) :", "b", "color illustrations"
        )
    if fmt == "graphic":
        return pages, field(
            "300", "  ", "a", f"{pages} pages :", "b", "chiefly color illustrations ;", "c", "23 cm"
        )
    if audience in "ab" or fmt == "picture":
        return pages, field(
            "300",
            "  ",
            "a",
            f"{pages} pages :",
            "b",
            "color illustrations ;",
            "c",
            "26 cm" if fmt == "picture" else "24 cm",
        )
    return pages, field("300", "  ", "a", f"{pages} pages ;", "c", "21 cm")


def _subjects(kind: str, headings: tuple[str, ...], lang_name: str) -> list[Field]:
    """LCSH (juvenile subdivisions, ind2 0) and children's (CYAC, ind2 1) forms, as LC does."""
    fields = []
    for heading in (h.replace("{lang}", lang_name) for h in headings):
        if heading.startswith("Children's poetry"):
            fields.append(subject_field(heading, "0"))
        elif heading.endswith(" -- Fiction"):
            fields.append(subject_field(heading.replace(" -- Fiction", " -- Juvenile fiction")))
        elif kind == "nonfiction":
            fields.append(subject_field(f"{heading} -- Juvenile literature"))
    return fields + [
        subject_field(h.replace("{lang}", lang_name), "1")
        for h in headings
        if not h.startswith("Children's poetry")
    ]


def invented_record(
    rng: random.Random,
    *,
    serial: int,
    control_prefix: str,
    isbn_block: str,
    lang: str | None = None,
) -> pymarc.Record:
    """One made-up record. `serial` makes its 001 and ISBN unique within the prefix/block."""
    lang = lang or rng.choices(_LANGS, weights=tuple(LANG_WEIGHTS.values()))[0]
    info = words.LANGUAGES[lang]
    kind = rng.choices(("nonfiction", "fiction", "graphic"), weights=(50, 38, 12))[0]
    if kind == "graphic" and not _SERIES[lang]:
        kind = "fiction"
    pool = {"nonfiction": _TOPICS, "fiction": _STORIES, "graphic": _SERIES}[kind][lang]
    item = rng.choice(pool)
    audience = rng.choice(item.audiences)
    fmt = _format(rng, kind, audience, item.subjects)
    bilingual = lang != "eng" and "eng" in item.titles and rng.random() < 0.3
    title = item.titles[lang] + (f" = {item.titles['eng']}" if bilingual else "")
    number = str(rng.randint(1, 9)) if kind == "graphic" else ""

    author, author_ind, author_shown = _person(rng, lang)
    illustrated = fmt in ("picture", "board", "graphic") or audience in "ab"
    illustrator = _person(rng, lang) if illustrated and rng.random() < 0.6 else None
    pattern = info.by_illustrated if illustrator else info.by
    responsibility = pattern.format(a=author_shown, i=illustrator[2] if illustrator else "")
    place, publisher, country = rng.choice(info.publishers)
    year = rng.choice(range(2008, 2025)) if rng.random() < 0.5 else rng.choice(range(2016, 2025))
    entered = f"{(year - 1) % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    fiction = kind != "nonfiction"
    poetry = any(s.startswith("Children's poetry") for s in item.subjects)
    if fmt == "audio":
        fixed = fixed_008_sound(entered, str(year), country, audience, fiction=fiction, lang=lang)
    else:
        fixed = fixed_008(
            entered,
            str(year),
            country,
            audience,
            illustrated=illustrated,
            form="o" if fmt == "ebook" else " ",
            contents="6" if kind == "graphic" else "",
            index="1" if not fiction and audience in "cd" else "0",
            literary="1" if fiction else "p" if poetry else "0",
            lang=lang,
            source="d",
        )
    if kind == "nonfiction":
        dewey = {"4": words.FIRST_WORDS_DEWEY, "8": words.POETRY_DEWEY}.get(item.dewey, {})
        dewey = dewey.get(lang, item.dewey)
    else:
        dewey = "741.5" if kind == "graphic" else "[E]" if fmt in ("picture", "board") else "[Fic]"
    isbn = invented_isbn(isbn_block, serial)
    binding = {"board": "board book", "audio": "audio CD", "ebook": "electronic book"}.get(
        fmt, rng.choice(("hardcover", "paperback", "library binding"))
    )

    fields = [
        Field(tag="001", data=f"{control_prefix}{serial:09d}"),
        Field(tag="003", data=_SOURCE),
        Field(tag="008", data=fixed),
        field("020", "  ", "a", isbn, "q", binding),
        field("040", "  ", "a", _SOURCE, "b", "eng", "e", "rda", "c", _SOURCE),
        field("082", "04", "a", dewey, "2", "23"),
        field("100", author_ind + " ", "a", author + ",", "e", "author."),
        title_field(title, responsibility, lang, has_main=True, number=number),
        field("264", " 1", "a", f"{place} :", "b", f"{publisher},", "c", f"{year}."),
        field("264", " 4", "c", f"©{year}"),
        field("500", "  ", "a", INVENTED_NOTE),
        field("520", "  ", "a", end(item.summary)),
    ]
    if bilingual:
        fields.append(field("041", "0 ", "a", lang, "a", "eng"))
    pages, extent = _extent(rng, fmt, audience)
    fields.append(extent)
    if fmt == "audio":
        fields.append(Field(tag="007", data="sd fsngnnmmned"))
        fields += rda_fields("spw", "s", "sd")
        narrator = _person(rng, lang)
        fields.append(field("511", "0 ", "a", f"Read by {narrator[2]}."))
        fields.append(field("700", narrator[1] + " ", "a", narrator[0] + ",", "e", "narrator."))
    elif fmt == "ebook":
        fields.append(Field(tag="007", data="cr cnu---unuuu"))
        fields += rda_fields("txt", "c", "cr")
        fields.append(
            field(
                "856",
                "40",
                "u",
                f"https://ebooks.example.org/{isbn}",
                "z",
                "Read this e-book online",
            )
        )
    else:
        fields += rda_fields()
    if kind == "graphic":
        series = item.titles[lang]
        fields += [
            field("490", "1 ", "a", f"{series} ;", "v", number),
            field("830", " 0", "a", f"{series} ;", "v", f"{number}."),
        ]
    if illustrator:
        fields.append(
            field("700", illustrator[1] + " ", "a", illustrator[0] + ",", "e", "illustrator.")
        )
    if lang != "eng":
        other = f"{info.name} and English" if bilingual else info.name
        fields.append(field("546", "  ", "a", f"Text in {other}."))
        fields.append(
            subject_field(
                f"{info.name} language materials" + (" -- Bilingual" if bilingual else ""), "0"
            )
        )
    fields += _subjects(kind, item.subjects, info.name)
    if kind == "graphic":
        fields.append(subject_field("Graphic novels", "1"))
    genre = {
        "graphic": "Graphic novels",
        "picture": "Picture books",
        "board": "Board books",
        "audio": "Audiobooks",
    }.get(fmt if kind != "graphic" else kind)
    if poetry:
        genre = "Poetry"
    if genre:
        fields.append(field("655", " 7", "a", f"{genre}.", "2", "lcgft"))
    if rng.random() < LEVELS_SHARE:
        fields += reading_level_fields(rng, audience, pages, graphic=kind == "graphic")
    fields.sort(key=lambda f: f.tag)
    leader = "00000nim a2200000 i 4500" if fmt == "audio" else "00000nam a2200000 i 4500"
    return pymarc.Record(leader=leader, fields=fields, force_utf8=True)
