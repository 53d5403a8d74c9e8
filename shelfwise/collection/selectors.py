"""Every number of the collection reports, from one place.

All reads are aggregate SQL (GROUP BY over Item, the search facets and the
anonymous circulation events): no report walks the items in Python, so a
district of a million copies costs a handful of grouped queries. A copy's
section, Dewey division and publication year are stored on the Item
(catalog.shelving), so the grouping reads one covering index instead of
joining every copy to its record and matching call numbers per row.
Languages and reading bands come from search's `SearchFacet` rows (one per
record × language / band, kept current by search's indexing), which is the
only normalised copy of a record's languages and of `search.bands`.

Each selector takes `school_ids` so that the same code answers for one
school and for a district roll-up.

Decisions (where DESIGN/DOMAIN leave it open):
- The collection is every copy except withdrawn, lost, missing, claimed
  returned and on order.
- Ages and medians count copies (what is on the shelf), and age is the
  difference of calendar years (a 2014 book is 12 in 2026).
- Sections outrank Dewey: reference (REF call number or a location named
  reference), graphic novel, easy (picture and board books, call numbers
  "E …"), biography, fiction (FIC), then the Dewey class of 082.
- Bilingual titles count in each of their languages; a record in two
  overlapping reading bands counts in both (bands overlap by definition).
"""

from __future__ import annotations

import datetime
import functools
import math
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from shelfwise.catalog.models import Item, ItemStatus, Record
from shelfwise.circulation.models import CirculationEvent
from shelfwise.people.models import Person
from shelfwise.people.roles import Role
from shelfwise.search.bands import BAND_ORDER
from shelfwise.search.models import SearchFacet

OUT_OF_COLLECTION = (
    ItemStatus.WITHDRAWN,
    ItemStatus.LOST,
    ItemStatus.MISSING,
    ItemStatus.CLAIMED_RETURNED,
    ItemStatus.ON_ORDER,
)
IN_COLLECTION = tuple(s for s in ItemStatus.values if s not in OUT_OF_COLLECTION)
SECTIONS = ("fiction", "easy", "graphic", "biography", "reference")
DEWEY_CLASSES = tuple(f"{n}00" for n in range(10))
SECTION_LABELS = {
    "fiction": _("Fiction"),
    "easy": _("Easy (picture and board books)"),
    "graphic": _("Graphic novels"),
    "biography": _("Biography"),
    "reference": _("Reference"),
    "other": _("Other (no Dewey number)"),
    "000": _("000 General works, computers"),
    "100": _("100 Philosophy, psychology"),
    "200": _("200 Religion"),
    "300": _("300 Social sciences"),
    "400": _("400 Language"),
    "500": _("500 Science"),
    "600": _("600 Technology"),
    "700": _("700 Arts, recreation"),
    "800": _("800 Literature"),
    "900": _("900 History, geography"),
}
SECTION_ORDER = (*DEWEY_CLASSES, *SECTIONS, "other")
# Grades each reading band serves (K = 0); search.bands has no 11-12 row.
BAND_GRADES = {
    "K-1": (0, 1),
    "2-3": (2, 3),
    "4-5": (4, 5),
    "6-8": (6, 8),
    "9-10": (9, 10),
    "11-12": (11, 12),
}
# Dead zone: a part of the collection with at least this many copies of
# which fewer than this share circulated in the last DEAD_ZONE_YEARS.
DEAD_ZONE_MIN_COPIES = 5
DEAD_ZONE_SHARE = 0.10
DEAD_ZONE_YEARS = 2


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _any_q(conditions: Iterable[Q]) -> Q:
    return functools.reduce(operator.or_, conditions)


def section_expression(item: str = "", record: str = "record__") -> Case:
    """SQL CASE giving a copy's section: a Dewey class ("500"), or fiction, easy …

    The same rule as catalog.shelving.shelf_place, whose stored result the
    reports read; this one serves check-outs whose copy is gone, and the tests
    that hold the two equal."""
    return Case(
        When(
            Q(**{f"{item}call_number__istartswith": "REF"})
            | Q(**{f"{item}location__icontains": "reference"}),
            then=Value("reference"),
        ),
        When(**{f"{record}format": "graphic_novel"}, then=Value("graphic")),
        When(
            Q(**{f"{record}format__in": ["picture_book", "board_book"]})
            | Q(**{f"{item}call_number__istartswith": "E "}),
            then=Value("easy"),
        ),
        When(**{f"{record}is_biography": True}, then=Value("biography")),
        When(
            Q(**{f"{record}is_fiction": True}) | Q(**{f"{item}call_number__istartswith": "FIC"}),
            then=Value("fiction"),
        ),
        When(
            # Starts with a digit: ten LIKEs, not a range, whose order depends on
            # the database's collation.
            _any_q(Q(**{f"{record}dewey__startswith": str(d)}) for d in range(10)),
            then=Concat(Substr(f"{record}dewey", 1, 1), Value("00")),
        ),
        default=Value("other"),
        output_field=CharField(),
    )


def collection_items(school_ids: Sequence[int]):
    return Item.objects.filter(school_id__in=school_ids).exclude(status__in=OUT_OF_COLLECTION)


def students(school_ids: Sequence[int]):
    """Active students with a student membership in one of the schools (each once)."""
    return Person.objects.filter(
        is_active=True,
        pk__in=Person.objects.filter(
            memberships__school_id__in=school_ids, memberships__role=Role.STUDENT
        ).values("pk"),
    ).order_by()


def grade_number(grade: str) -> int | None:
    """CEDS grade → 0 (K) … 12; None for pre-K, ungraded and staff."""
    grade = (grade or "").strip().upper()
    if grade in {"KG", "TK"}:
        return 0
    if grade.isdigit() and 1 <= int(grade) <= 12:
        return int(grade)
    return None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median_from_histogram(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> int:  # 0-based k-th value of the expanded histogram
        seen = 0
        for value, n in ordered:
            seen += n
            if k < seen:
                return value
        raise IndexError(k)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


# ---------------------------------------------------------------- profile


@dataclass
class ProfileRow:
    key: str
    label: str
    titles: int = 0
    copies: int = 0
    median_year: float | None = None
    dated_copies: int = 0
    older_10: float | None = None
    older_15: float | None = None


@dataclass
class Profile:
    rows: list[ProfileRow]
    divisions: list[ProfileRow]
    titles: int
    copies: int
    students: int
    copies_per_student: float | None
    median_year: float | None


def _age_fill(row: ProfileRow, histogram: dict[int, int], year: int) -> None:
    dated = sum(histogram.values())
    row.dated_copies = dated
    row.median_year = _median_from_histogram(histogram)
    row.older_10 = _share(sum(n for y, n in histogram.items() if year - y > 10), dated)
    row.older_15 = _share(sum(n for y, n in histogram.items() if year - y > 15), dated)


def collection_profile(*, school_ids: Sequence[int], today: datetime.date) -> Profile:
    items = collection_items(school_ids)
    copies: Counter = Counter()
    titles: Counter = Counter()
    division_copies: Counter = Counter()
    division_titles: Counter = Counter()
    histograms: dict[str, Counter] = defaultdict(Counter)
    everything: Counter = Counter()
    # One grouped pass over the stored shelf place (catalog.shelving). Division
    # and year belong to the record, so within a section its groups hold
    # disjoint sets of titles and their distinct counts add up.
    for r in (
        items.order_by()
        .values("section", "division", "pub_year")
        .annotate(n=Count("id"), t=Count("record_id", distinct=True))
    ):
        section, n, t = r["section"], r["n"], r["t"]
        copies[section] += n
        titles[section] += t
        if r["division"] and section in DEWEY_CLASSES:
            division_copies[r["division"]] += n
            division_titles[r["division"]] += t
        if r["pub_year"] is not None:
            histograms[section][r["pub_year"]] += n
            everything[r["pub_year"]] += n
    rows = []
    for key in SECTION_ORDER:
        if key == "other" and not copies[key]:
            continue
        row = ProfileRow(
            key=key, label=str(SECTION_LABELS[key]), titles=titles[key], copies=copies[key]
        )
        _age_fill(row, histograms.get(key, {}), today.year)
        rows.append(row)
    divisions = [
        ProfileRow(key=d, label=d, titles=division_titles[d], copies=division_copies[d])
        for d in sorted(division_copies)
    ]
    total_titles = items.order_by().aggregate(titles=Count("record_id", distinct=True))["titles"]
    total_copies = sum(copies.values())
    student_count = students(school_ids).count()
    return Profile(
        rows=rows,
        divisions=divisions,
        titles=total_titles,
        copies=total_copies,
        students=student_count,
        copies_per_student=_share(total_copies, student_count),
        median_year=_median_from_histogram(dict(everything)),
    )


# ---------------------------------------------------------------- use


@dataclass
class UseRow:
    key: str
    label: str
    copies: int = 0
    checkouts: int = 0
    circulated: dict[int, float | None] = field(default_factory=dict)  # years -> share
    dead: bool = False


@dataclass
class Use:
    start: datetime.date
    end: datetime.date
    rows: list[UseRow]
    formats: list[tuple[str, str, int]]  # (format, label, checkouts)
    divisions: list[UseRow]
    copies: int
    checkouts: int
    circulated: dict[int, float | None]

    @property
    def dead_zones(self) -> list[UseRow]:
        return [r for r in (*self.rows, *self.divisions) if r.dead and r.key not in DEWEY_CLASSES]


def _circulated_counts(today: datetime.date) -> dict[str, Count]:
    return {
        f"y{years}": Count("id", filter=Q(last_circulated__gte=years_before(today, years)))
        for years in (1, 2, 3)
    }


def _use_row(key: str, label: str, r: dict | None, checkouts: int, min_copies: int) -> UseRow:
    copies = r["copies"] if r else 0
    row = UseRow(key=key, label=label, copies=copies, checkouts=checkouts)
    row.circulated = {y: _share(r[f"y{y}"], copies) if r else None for y in (1, 2, 3)}
    row.dead = (
        copies >= max(min_copies, 1) and (row.circulated[DEAD_ZONE_YEARS] or 0) < DEAD_ZONE_SHARE
    )
    return row


def collection_use(
    *,
    school_ids: Sequence[int],
    today: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    dead_min_copies: int = DEAD_ZONE_MIN_COPIES,
) -> Use:
    """Check-outs in [start, end] (default: the last 365 days) and the share of copies
    that circulated in the last 1, 2 and 3 years, per section and division."""
    end = end or today
    start = start or end - datetime.timedelta(days=364)
    events = CirculationEvent.objects.filter(
        school_id__in=school_ids,
        kind=CirculationEvent.Kind.CHECKOUT,
        on__gte=start,
        on__lte=end,
    )
    by_section: Counter = Counter()
    by_division: Counter = Counter()
    # Check-outs by the copy's stored section; an event whose copy has since been
    # deleted falls back to its record's section, worked out in SQL (a few rows).
    orphans = (
        events.filter(item__isnull=True)
        .annotate(
            e_section=section_expression(item="item__"),
            e_division=Concat(Substr("record__dewey", 1, 2), Value("0")),
        )
        .values_list("e_section", "e_division")
    )
    kept = events.filter(item__isnull=False).values_list("item__section", "item__division")
    for grouped in (kept, orphans):
        for section, division, n in grouped.order_by().annotate(n=Count("id")):
            by_section[section] += n
            if section in DEWEY_CLASSES:
                by_division[division] += n
    from shelfwise.catalog.models import Format

    formats = [
        (fmt or "", str(Format(fmt).label) if fmt in Format.values else str(fmt or "—"), n)
        for fmt, n in events.values("record__format")
        .annotate(n=Count("id"))
        .order_by("-n", "record__format")
        .values_list("record__format", "n")
    ]
    copies: dict[str, Counter] = defaultdict(Counter)
    division_copies: dict[str, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for r in (
        collection_items(school_ids)
        .order_by()
        .values("section", "division")
        .annotate(copies=Count("id"), **_circulated_counts(today))
    ):
        figures = {k: r[k] for k in ("copies", "y1", "y2", "y3")}
        copies[r["section"]].update(figures)
        total.update(figures)
        if r["division"] and r["section"] in DEWEY_CLASSES:
            division_copies[r["division"]].update(figures)
    rows = [
        _use_row(
            key,
            str(SECTION_LABELS[key]),
            copies.get(key),
            by_section.get(key, 0),
            dead_min_copies,
        )
        for key in SECTION_ORDER
        if key != "other" or key in copies
    ]
    divisions = [
        _use_row(d, d, division_copies[d], by_division.get(d, 0), dead_min_copies)
        for d in sorted(division_copies)
    ]
    return Use(
        start=start,
        end=end,
        rows=rows,
        formats=formats,
        divisions=divisions,
        copies=total["copies"],
        checkouts=sum(by_section.values()),
        circulated={y: _share(total[f"y{y}"], total["copies"]) for y in (1, 2, 3)},
    )


# ---------------------------------------------------------------- languages


GRADES = ("A", "B", "C", "D", "F")


def coverage_grade(ratio: float | None) -> str:
    """A ≥ 100 % of the target, B ≥ 75 %, C ≥ 50 %, D ≥ 25 %, F below."""
    if ratio is None:
        return "—"
    for grade, floor in zip(GRADES, (1.0, 0.75, 0.5, 0.25), strict=False):
        if ratio >= floor:
            return grade
    return "F"


@dataclass
class LanguageRow:
    code: str
    name: str
    students: int = 0
    english_learners: int = 0
    titles: int = 0
    copies: int = 0
    checkouts: int = 0
    titles_per_speaker: float | None = None
    copies_per_speaker: float | None = None
    target_per_speaker: float | None = None
    ratio: float | None = None
    grade: str = "—"
    gap_titles: int = 0

    @property
    def below_target(self) -> bool:
        return self.ratio is not None and self.ratio < 1


@dataclass
class LanguageCoverage:
    rows: list[LanguageRow]
    mode: str
    titles_per_speaker_target: float
    target_per_speaker: float | None
    students: int
    english_titles: int
    start: datetime.date
    end: datetime.date

    def row(self, code: str) -> LanguageRow | None:
        return next((r for r in self.rows if r.code == code), None)


def language_name(code: str) -> str:
    """The MARC code's name in the active language (Babel through langcodes)."""
    import langcodes
    from django.utils.translation import get_language

    try:
        return langcodes.Language.get(code).display_name(get_language() or "en")
    except (LookupError, ValueError):
        return code


def language_target(school_ids: Sequence[int]) -> tuple[str, float]:
    from shelfwise.collection.models import LanguageTarget

    found = LanguageTarget.objects.filter(school_id__in=school_ids).order_by("school_id").first()
    if found is None:
        return LanguageTarget.Mode.TITLES_PER_SPEAKER, 5.0
    return found.mode, float(found.titles_per_speaker)


def _copies_per_record(school_ids: Sequence[int]) -> tuple[str, tuple]:
    """SQL (and its parameters) of the schools' collection as (record_id, n) rows: a
    derived table to join facets and records to, so that each record is looked up
    once rather than once per copy."""
    query = (
        collection_items(school_ids).order_by().values("record_id").annotate(n=Count("id")).query
    )
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def _facet_counts(
    school_ids: Sequence[int], name: str, *, values: Iterable[str] | None = None
) -> list[tuple]:
    """(value, titles, copies) of the schools' collection for one facet.

    Plain SQL over the ORM's own subquery: the ORM cannot join a grouped
    subquery. A bilingual title (two language facets) counts in both.
    """
    held, params = _copies_per_record(school_ids)
    facet = connection.ops.quote_name(SearchFacet._meta.db_table)
    where = ""
    extra: list = []
    if values is not None:
        values = sorted(set(values))
        if not values:
            return []
        where = " AND f.value IN ({})".format(", ".join(["%s"] * len(values)))
        extra = values
    sql = (
        "SELECT f.value, COUNT(DISTINCT f.record_id), SUM(c.n) "  # noqa: S608
        f"FROM ({held}) c JOIN {facet} f ON f.record_id = c.record_id "
        f"WHERE f.name = %s{where} GROUP BY f.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, name, *extra))
        return cursor.fetchall()


def titles_by_language(school_ids: Sequence[int], codes: Iterable[str] | None = None) -> dict:
    """{code: {"titles": n, "copies": n}} of the copies held by the schools."""
    return {
        value: {"value": value, "titles": titles, "copies": int(copies)}
        for value, titles, copies in _facet_counts(school_ids, "language", values=codes)
    }


def language_coverage(
    *,
    school_ids: Sequence[int],
    today: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    mode: str | None = None,
    titles_per_speaker: float | None = None,
) -> LanguageCoverage:
    """Per home language of the students: speakers, EL students, titles and copies in the
    language, check-outs by that language group, and how far from the target."""
    from shelfwise.collection.models import LanguageTarget

    saved_mode, saved_target = language_target(school_ids)
    mode = mode or saved_mode
    per_speaker = titles_per_speaker if titles_per_speaker is not None else saved_target
    end = end or today
    start = start or end - datetime.timedelta(days=364)
    speakers: Counter = Counter()
    learners: Counter = Counter()
    total_students = 0
    for langs, el in students(school_ids).values_list("home_languages", "english_learner"):
        total_students += 1
        for code in dict.fromkeys(langs or []):
            speakers[code] += 1
            if el:
                learners[code] += 1
    codes = set(speakers) | {"eng"}
    held = titles_by_language(school_ids, codes)
    checkouts = dict(
        CirculationEvent.objects.filter(
            school_id__in=school_ids,
            kind=CirculationEvent.Kind.CHECKOUT,
            on__gte=start,
            on__lte=end,
            language_group__in=codes,
        )
        .values("language_group")
        .annotate(n=Count("id"))
        .values_list("language_group", "n")
    )
    english_titles = held.get("eng", {}).get("titles", 0)
    if mode == LanguageTarget.Mode.PARITY:
        # Decision: parity = as many titles per speaker as the school has English
        # titles per student (every student reads English at school).
        target = _share(english_titles, total_students)
    else:
        target = per_speaker
    rows = []
    for code in sorted(speakers, key=lambda c: (-speakers[c], c)):
        n = speakers[code]
        found = held.get(code, {})
        row = LanguageRow(
            code=code,
            name=language_name(code),
            students=n,
            english_learners=learners[code],
            titles=found.get("titles", 0),
            copies=found.get("copies", 0),
            checkouts=checkouts.get(code, 0),
        )
        row.titles_per_speaker = row.titles / n
        row.copies_per_speaker = row.copies / n
        row.target_per_speaker = target
        if target:
            row.ratio = row.titles_per_speaker / target
            row.gap_titles = max(0, math.ceil(target * n - row.titles - 1e-9))
        row.grade = coverage_grade(row.ratio)
        rows.append(row)
    return LanguageCoverage(
        rows=rows,
        mode=mode,
        titles_per_speaker_target=per_speaker,
        target_per_speaker=target,
        students=total_students,
        english_titles=english_titles,
        start=start,
        end=end,
    )


# ---------------------------------------------------------------- reading levels


@dataclass
class BandRow:
    band: str
    grades: tuple[int, int]
    students: int = 0
    fiction_copies: int = 0
    nonfiction_copies: int = 0
    fiction_titles: int = 0
    nonfiction_titles: int = 0

    @property
    def fiction_per_student(self) -> float | None:
        return _share(self.fiction_copies, self.students)

    @property
    def nonfiction_per_student(self) -> float | None:
        return _share(self.nonfiction_copies, self.students)


@dataclass
class ReadingCoverage:
    rows: list[BandRow]
    unlevelled_copies: int
    copies: int


def reading_level_coverage(*, school_ids: Sequence[int]) -> ReadingCoverage:
    """Copies per reading band (search.bands), fiction and non-fiction apart, against the
    students in the grades each band serves."""
    per_grade: Counter = Counter()
    for grade, n in (
        students(school_ids).values("grade").annotate(n=Count("id")).values_list("grade", "n")
    ):
        number = grade_number(grade)
        if number is not None:
            per_grade[number] += n
    rows = {
        band: BandRow(
            band=band,
            grades=BAND_GRADES[band],
            students=sum(
                per_grade[g] for g in range(BAND_GRADES[band][0], BAND_GRADES[band][1] + 1)
            ),
        )
        for band in BAND_ORDER
    }
    # One pass: the band facets left-joined to the copies counted per record, so
    # that records with no band come out as the NULL group (the unlevelled copies).
    held, params = _copies_per_record(school_ids)
    facet = connection.ops.quote_name(SearchFacet._meta.db_table)
    record = connection.ops.quote_name(Record._meta.db_table)
    unlevelled = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.value, r.is_fiction, COUNT(DISTINCT c.record_id), SUM(c.n) "  # noqa: S608
            f"FROM ({held}) c JOIN {record} r ON r.id = c.record_id "
            f"LEFT JOIN {facet} f ON f.record_id = c.record_id AND f.name = %s "
            "GROUP BY f.value, r.is_fiction",
            (*params, "band"),
        )
        found = cursor.fetchall()
    for value, is_fiction, titles, copies in found:
        if value is None:
            unlevelled += int(copies)
            continue
        row = rows.get(value)
        if row is None:
            continue
        if is_fiction:
            row.fiction_copies, row.fiction_titles = int(copies), titles
        else:
            row.nonfiction_copies, row.nonfiction_titles = int(copies), titles
    copies = collection_items(school_ids).order_by().count()
    return ReadingCoverage(
        rows=list(rows.values()), unlevelled_copies=int(unlevelled), copies=int(copies)
    )


# ---------------------------------------------------------------- suggestions


def gap_suggestions(
    *,
    school,
    district_school_ids: Sequence[int],
    language: str = "",
    band: str = "",
    limit: int = 25,
) -> list[dict]:
    """Titles in `language` (or reading `band`) that other schools of the district hold and
    this school does not: transfer or purchase candidates, most widely held first."""
    from shelfwise.catalog.models import Record

    facet = ("language", language) if language else ("band", band)
    others = [pk for pk in district_school_ids if pk != school.pk]
    held_here = collection_items([school.pk]).filter(record_id=OuterRef("pk"))
    return list(
        Record.objects.filter(
            pk__in=SearchFacet.objects.filter(name=facet[0], value=facet[1]).values("record_id")
        )
        .filter(items__school_id__in=others, items__status__in=IN_COLLECTION)
        .exclude(Exists(held_here))
        .values("pk", "title", "main_author", "isbns", "languages", "pub_year")
        .annotate(
            schools=Count("items__school", distinct=True), copies=Count("items", distinct=True)
        )
        .order_by("-schools", "-copies", "title")[:limit]
    )


# ---------------------------------------------------------------- district


@dataclass
class SchoolSummary:
    school_id: int
    name: str
    copies: int
    titles: int
    students: int
    copies_per_student: float | None
    circulated_1y: float | None


def district_summary(*, schools: Iterable, today: datetime.date) -> list[SchoolSummary]:
    schools = list(schools)
    ids = [s.pk for s in schools]
    items = {
        r["school_id"]: r
        for r in collection_items(ids)
        .values("school_id")
        .annotate(
            copies=Count("id"),
            titles=Count("record_id", distinct=True),
            y1=Count("id", filter=Q(last_circulated__gte=years_before(today, 1))),
        )
    }
    people = dict(
        Person.objects.filter(
            is_active=True, memberships__school_id__in=ids, memberships__role=Role.STUDENT
        )
        .values("memberships__school_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("memberships__school_id", "n")
    )
    out = []
    for school in schools:
        r = items.get(school.pk, {"copies": 0, "titles": 0, "y1": 0})
        n = people.get(school.pk, 0)
        out.append(
            SchoolSummary(
                school_id=school.pk,
                name=school.name,
                copies=r["copies"],
                titles=r["titles"],
                students=n,
                copies_per_student=_share(r["copies"], n),
                circulated_1y=_share(r["y1"], r["copies"]),
            )
        )
    return out
