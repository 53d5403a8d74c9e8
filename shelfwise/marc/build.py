"""Build a MARC 21 bibliographic record from a few fields typed by hand.

The add-record form goes through `build_record`, so a hand-made record is
ordinary MARC (leader, 008, 020, 1XX/245/264, 33X, 520, 650…) that import,
export and extraction treat like any other. Pure: no Django here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pymarc
from pymarc import Field, Indicators, Subfield
from stdnum import isbn as stdnum_isbn

__all__ = ["FORMATS", "build_record", "nonfiling_characters"]

# Format code (catalog.models.Format) -> how MARC says it: Leader/06, Leader/07,
# the 008 "material" it uses for positions 18-34, RDA 336/337/338 terms and
# codes, and a genre (655 _7, LCGFT) where the format is a genre rather than a
# type of record.
_RDA = {
    "txt": ("text", "txt"),
    "spw": ("spoken word", "spw"),
    "prm": ("performed music", "prm"),
    "ntm": ("notated music", "ntm"),
    "cri": ("cartographic image", "cri"),
    "tdi": ("two-dimensional moving image", "tdi"),
    "sti": ("still image", "sti"),
    "tdf": ("three-dimensional form", "tdf"),
    "cop": ("computer program", "cop"),
}
_MEDIA = {
    "n": ("unmediated", "n"),
    "c": ("computer", "c"),
    "s": ("audio", "s"),
    "v": ("video", "v"),
}
_CARRIER = {
    "nc": ("volume", "nc"),
    "nb": ("sheet", "nb"),
    "nr": ("object", "nr"),
    "cr": ("online resource", "cr"),
    "sd": ("audio disc", "sd"),
    "vd": ("videodisc", "vd"),
}

# fmt: (leader/06, leader/07, 008 material, (336, 337, 338) or None, 655 genre)
FORMATS: dict[str, tuple[str, str, str, tuple[str, str, str] | None, str]] = {
    "book": ("a", "m", "BK", ("txt", "n", "nc"), ""),
    "large_print": ("a", "m", "BK", ("txt", "n", "nc"), "Large type books"),
    "picture_book": ("a", "m", "BK", ("txt", "n", "nc"), "Picture books"),
    "board_book": ("a", "m", "BK", ("txt", "n", "nc"), "Board books"),
    "graphic_novel": ("a", "m", "BK", ("txt", "n", "nc"), "Graphic novels"),
    "ebook": ("a", "m", "BK", ("txt", "c", "cr"), ""),
    "audiobook": ("i", "m", "MU", ("spw", "s", "sd"), "Audiobooks"),
    "video": ("g", "m", "VM", ("tdi", "v", "vd"), ""),
    "music": ("j", "m", "MU", ("prm", "s", "sd"), ""),
    "score": ("c", "m", "MU", ("ntm", "n", "nc"), ""),
    "map": ("e", "m", "MP", ("cri", "n", "nb"), ""),
    "serial": ("a", "s", "CR", ("txt", "n", "nc"), ""),
    "computer_file": ("m", "m", "CF", ("cop", "c", "cr"), ""),
    "kit": ("o", "m", "VM", None, ""),
    "image": ("k", "m", "VM", ("sti", "n", "nb"), ""),
    "object": ("r", "m", "VM", ("tdf", "n", "nr"), ""),
    "manuscript": ("t", "m", "BK", ("txt", "n", "nc"), ""),
    "other": ("p", "m", "MX", None, ""),
}

# Initial articles by the MARC code of the title's language, for 245 ind2
# (nonfiling characters). Apostrophe-elided forms carry no space.
_ARTICLES: dict[str, tuple[str, ...]] = {
    "eng": ("the ", "a ", "an "),
    "spa": ("el ", "la ", "lo ", "los ", "las ", "un ", "una ", "unos ", "unas "),
    "fre": ("le ", "la ", "les ", "l'", "l’", "un ", "une "),
    "por": ("o ", "a ", "os ", "as ", "um ", "uma "),
    "ita": ("il ", "lo ", "la ", "i ", "gli ", "le ", "l'", "l’", "un ", "uno ", "una "),
    "ger": ("der ", "die ", "das ", "ein ", "eine "),
    "dut": ("de ", "het ", "een ", "'t "),
}
_LEADING_MARKS = "\"'“‘«¿¡[("

# 655 terms that the LCGFT thesaurus spells this way.
_GENRE_SOURCE = "lcgft"


def nonfiling_characters(title: str, language: str) -> int:
    """245 second indicator: how many leading characters filing skips (0-9)."""
    lowered = title.lower()
    marks = len(lowered) - len(lowered.lstrip(_LEADING_MARKS))
    rest = lowered[marks:]
    for article in _ARTICLES.get(language, ()):
        if rest.startswith(article) and len(rest) > len(article):
            return min(marks + len(article), 9)
    return 0


def _isbn13(value: str) -> str:
    """ISBN-13 without hyphens; ValueError for anything that is not a valid ISBN."""
    try:
        compact = stdnum_isbn.validate(value)
    except Exception as exc:  # stdnum raises its own ValidationError subclasses
        raise ValueError(f"not a valid ISBN: {value!r}") from exc
    return stdnum_isbn.to_isbn13(compact)


def _end(text: str, mark: str = ".") -> str:
    """`text` closed with `mark`, unless it already ends in terminal punctuation."""
    text = text.rstrip()
    if not text or text[-1] in ".?!-":
        return text
    if text[-1] == ")" and mark == ".":
        return text
    return text + mark


def _with(text: str, mark: str) -> str:
    """ISBD: `text` followed by the mark that introduces the next element.

    `mark` is ":" (other title), "/" (responsibility), "," (date after
    publisher) or "." (end of the field).
    """
    text = text.rstrip()
    if mark == ".":
        return _end(text)
    if mark == ",":
        return text.rstrip(",;:") + ","
    return f"{text.rstrip(' ,;:/')} {mark}"


def _direct_order(name: str) -> str:
    """'Ruiz, Lena, 1970-' -> 'Lena Ruiz' (for the statement of responsibility)."""
    surname, sep, rest = name.partition(",")
    if not sep:
        return name.strip()
    forename = rest.split(",")[0].strip()
    return f"{forename} {surname.strip()}".strip()


def _field(tag: str, ind1: str, ind2: str, *subfields: tuple[str, str]) -> Field:
    return Field(
        tag=tag,
        indicators=Indicators(ind1, ind2),
        subfields=[Subfield(code, value) for code, value in subfields],
    )


def _name_field(tag: str, name: str) -> Field:
    # Ind1 1 = surname first ("Ruiz, Lena"); 0 = forename or a single name ("Homer").
    ind1 = "1" if "," in name else "0"
    return _field(tag, ind1, " ", ("a", _end(name)))


def _subject_field(heading: str) -> Field | None:
    """650 _0 from 'Dogs -- Fiction' style input: the first part $a, the rest $x or $v."""
    parts = [p.strip() for p in heading.replace("—", "--").split("--") if p.strip()]
    if not parts:
        return None
    subfields = [Subfield("a", parts[0])]
    for part in parts[1:]:
        code = "v" if part.lower() in _FORM_SUBDIVISIONS else "x"
        subfields.append(Subfield(code, part))
    last = subfields[-1]
    subfields[-1] = Subfield(last.code, _end(last.value))
    return Field(tag="650", indicators=Indicators(" ", "0"), subfields=subfields)


_FORM_SUBDIVISIONS = frozenset(
    {
        "fiction",
        "juvenile fiction",
        "juvenile literature",
        "biography",
        "juvenile poetry",
        "poetry",
        "comic books, strips, etc",
        "comic books, strips, etc.",
        "pictorial works",
        "dictionaries",
        "encyclopedias",
        "handbooks, manuals, etc",
        "handbooks, manuals, etc.",
        "maps",
        "drama",
        "humor",
        "readers",
        "textbooks",
    }
)


def _fixed_field(
    *,
    material: str,
    year: int | None,
    language: str,
    audience: str,
    fmt: str,
    entered: datetime.date,
) -> str:
    """The 40 characters of 008 for `material` (BK, MU, VM, CF, MP, CR, MX)."""
    f = [" "] * 40
    f[0:6] = entered.strftime("%y%m%d")
    if year is not None:
        f[6] = "s"
        f[7:11] = f"{year:04d}"[-4:]
        f[11:15] = "    "
    else:
        f[6] = "n"
        f[7:15] = "uuuuuuuu"
    f[15:18] = "xx "  # place of publication not given
    if material == "BK":
        f[18:22] = "    "  # illustrations
        f[22] = audience or " "
        f[23] = {"large_print": "d", "ebook": "o"}.get(fmt, " ")
        f[24:28] = "6   " if fmt == "graphic_novel" else "    "
        f[28:32] = " 000"  # gov. publication, conference, festschrift, index
        f[33] = "|"  # literary form: not coded (the form does not ask)
    elif material == "MU":
        f[18:20] = "nn" if fmt == "audiobook" else "uu"  # form of composition
        f[20] = "n" if fmt == "audiobook" else "|"
        f[21] = "n" if fmt == "audiobook" else "|"
        f[22] = audience or " "
        f[23] = " "
        f[30:32] = "  "
    elif material == "VM":
        f[18:21] = "---" if fmt == "video" else "nnn"  # running time unknown / n.a.
        f[22] = audience or " "
        f[29] = " "
        f[33] = {"video": "v", "kit": "b", "image": "i", "object": "r"}.get(fmt, "z")
        f[34] = "|"
    elif material == "CF":
        f[22] = audience or " "
        f[23] = "o"
        f[26] = "b" if fmt == "computer_file" else "u"
    elif material == "CR":
        f[18:20] = "u "  # frequency unknown
        f[21] = "p"  # periodical
        f[23] = " "
        f[33] = "0"
        f[34] = "0"
    elif material == "MP":
        f[25] = "a"  # single map
        f[29] = " "
    f[35:38] = (language or "und")[:3].ljust(3)
    f[38] = " "
    f[39] = "d"  # cataloguing source: other (made here)
    return "".join(f)


def _clean_lines(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def build_record(
    *,
    title: str,
    subtitle: str = "",
    authors: Iterable[str] = (),
    isbn: str = "",
    publisher: str = "",
    year: int | None = None,
    languages: Iterable[str] = ("eng",),
    summary: str = "",
    subjects: Iterable[str] = (),
    dewey: str = "",
    fmt: str = "book",
    audience: str = "",
    entered: datetime.date | None = None,
) -> pymarc.Record:
    """A UTF-8 MARC 21 record for one resource described by hand.

    `authors` are personal names, surname first ("Ruiz, Lena"); the first is
    the main entry (100), the others added entries (700). `isbn` may be any
    valid ISBN-10 or ISBN-13 and is stored as ISBN-13 (ValueError if invalid).
    `audience` is an 008/22 code; `fmt` a catalog Format value.
    """
    title = title.strip()
    if not title:
        raise ValueError("a record needs a title")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt!r}")
    if len(audience) > 1:
        raise ValueError(f"008/22 audience is one character, not {audience!r}")
    leader06, leader07, material, rda, genre = FORMATS[fmt]
    subtitle = subtitle.strip()
    names = _clean_lines(authors)
    langs = [code.strip().lower() for code in languages if code and code.strip()] or ["und"]
    subject_lines = _clean_lines(subjects)

    # Leader/09 a = UCS/Unicode; /17 7 = minimal level (a brief record typed by
    # hand); /18 i = ISBD punctuation included.
    record = pymarc.Record(force_utf8=True, leader=f"00000n{leader06}{leader07} a22000007i 4500")
    fixed = _fixed_field(
        material=material,
        year=year,
        language=langs[0],
        audience=audience,
        fmt=fmt,
        entered=entered or datetime.date.today(),
    )
    record.add_field(Field(tag="008", data=fixed))
    if isbn.strip():
        record.add_field(_field("020", " ", " ", ("a", _isbn13(isbn))))
    if len(langs) > 1:
        record.add_field(_field("041", " ", " ", *(("a", code) for code in langs)))
    if dewey.strip():
        record.add_field(_field("082", "0", "4", ("a", dewey.strip())))
    if names:
        record.add_field(_name_field("100", names[0]))

    responsibility = ", ".join(_direct_order(n) for n in names)
    title_parts = [("a", _with(title, ":" if subtitle else ("/" if responsibility else ".")))]
    if subtitle:
        title_parts.append(("b", _with(subtitle, "/" if responsibility else ".")))
    if responsibility:
        title_parts.append(("c", _end(responsibility)))
    nonfiling = str(nonfiling_characters(title, langs[0]))
    record.add_field(_field("245", "1" if names else "0", nonfiling, *title_parts))

    publication = []
    if publisher.strip():
        publication.append(("b", _with(publisher.strip(), "," if year is not None else ".")))
    if year is not None:
        publication.append(("c", f"{year}."))
    if publication:
        record.add_field(_field("264", " ", "1", *publication))

    if rda:
        for tag, (term, code), source in (
            ("336", _RDA[rda[0]], "rdacontent"),
            ("337", _MEDIA[rda[1]], "rdamedia"),
            ("338", _CARRIER[rda[2]], "rdacarrier"),
        ):
            record.add_field(_field(tag, " ", " ", ("a", term), ("b", code), ("2", source)))

    if summary.strip():
        record.add_field(_field("520", " ", " ", ("a", summary.strip())))
    for heading in subject_lines:
        if (subject := _subject_field(heading)) is not None:
            record.add_field(subject)
    if genre:
        record.add_field(_field("655", " ", "7", ("a", f"{genre}."), ("2", _GENRE_SOURCE)))
    for name in names[1:]:
        record.add_field(_name_field("700", name))
    return record
