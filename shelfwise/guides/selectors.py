"""Reading guides: a guide with its sections and resources, and its access check.

The access check compares the students of a guide's classes with the
guide's resources: which home languages of its multilingual learners and
which reading bands of its students some resource covers, which none does,
and catalog titles that would fill each gap. It returns counts, never
names, and leaves out the language half unless the caller may see it
(`access.can_see_language_coverage`).

Decisions:
- A multilingual learner is a student with a home language other than
  English; each such language of theirs counts them once (a student with
  Somali and Arabic counts in both). English is the language of instruction,
  not a gap to fill.
- A student's band comes from their grade (KG and grade 1: K-1, 2-3, 4-5,
  6-8, 9-10, 11-12, as search.bands names them); a student without a
  grade, or ungraded, is counted apart, not guessed.
- A resource covers a band when it is tagged with it (a catalog title: when
  its Lexile, reading grade or ATOS puts it there); a resource without a
  level covers no band.
- Suggestions are catalog titles with the guide's subject (a subject search)
  in the missing language or band, with a copy available at the guide's
  school now, not already in the guide: at most SUGGESTIONS each.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import get_language

from shelfwise.catalog.models import Format as RecordFormat
from shelfwise.catalog.models import Record
from shelfwise.guides.models import Guide, GuideTranslation, Resource, Section
from shelfwise.marc.languages import language_name
from shelfwise.people.models import Enrollment
from shelfwise.search.bands import BAND_ORDER, record_bands
from shelfwise.search.selectors import search

SUGGESTIONS = 3
ENGLISH = "eng"

_AUDIO_FORMATS = {RecordFormat.AUDIOBOOK, RecordFormat.MUSIC}
_VIDEO_FORMATS = {RecordFormat.VIDEO}


def grade_band(grade: str) -> str | None:
    """CEDS grade code → reading band ("06" → "6-8", "KG" → "K-1"); None if not a grade."""
    code = (grade or "").strip().upper()
    if code in ("KG", "TK", "PK"):
        return "K-1"
    if not code.isdigit():
        return None
    number = int(code)
    if number < 1 or number > 12:
        return None
    for band in BAND_ORDER:
        low, _sep, high = band.partition("-")
        low_number = 0 if low == "K" else int(low)
        if low_number <= number <= int(high):
            return band
    return None


def resource_languages(resource: Resource) -> list[str]:
    """A catalog title's languages come from its record; others from their tags."""
    if resource.kind == Resource.Kind.RECORD and resource.record is not None:
        return list(resource.record.languages or [])
    return list(resource.languages or [])


def resource_bands(resource: Resource) -> list[str]:
    if resource.kind == Resource.Kind.RECORD and resource.record is not None:
        record = resource.record
        return record_bands(
            lexile=record.lexile,
            lexile_code=record.lexile_code,
            reading_grade_min=record.reading_grade_min,
            reading_grade_max=record.reading_grade_max,
            ar_level=record.ar_level,
        )
    return [band for band in BAND_ORDER if band in (resource.bands or [])]


def resource_format(resource: Resource) -> str:
    if resource.kind == Resource.Kind.RECORD and resource.record is not None:
        if resource.record.format in _AUDIO_FORMATS:
            return Resource.Format.AUDIO
        if resource.record.format in _VIDEO_FORMATS:
            return Resource.Format.VIDEO
        return Resource.Format.TEXT
    return resource.format


def guide_with_contents(*, pk: int) -> Guide:
    """The guide, its sections in order and their resources (records and terms), in 5 queries."""
    resources = Resource.objects.select_related("record").prefetch_related("terms")
    sections = Section.objects.prefetch_related(Prefetch("resources", queryset=resources))
    return (
        Guide.objects.select_related("school", "collaboration")
        .prefetch_related(
            Prefetch("sections", queryset=sections), "classes", "editors", "translations"
        )
        .get(pk=pk)
    )


def guide_resources(guide: Guide) -> list[Resource]:
    return [resource for section in guide.sections.all() for resource in section.resources.all()]


def guide_text(guide: Guide, language: str | None = None) -> tuple[str, str, str]:
    """(title, intro, language code) in the reader's language where the guide has it."""
    language = (language or get_language() or "en").split("-")[0]
    translation: GuideTranslation | None = next(
        (t for t in guide.translations.all() if t.language == language), None
    )
    if translation is not None:
        return translation.title, translation.intro or guide.intro, language
    return guide.title, guide.intro, ""


@dataclass
class Suggestion:
    pk: int
    title: str
    author: str


@dataclass
class Gap:
    key: str  # a MARC language code or a band
    label: str
    students: int
    resources: int
    english_learners: int = 0
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.resources > 0


@dataclass
class AccessCheck:
    students: int
    multilingual: int | None  # None: the caller may not see language data
    languages: list[Gap] | None
    bands: list[Gap]
    without_grade: int
    has_classes: bool
    subject: str

    @property
    def missing_languages(self) -> list[Gap]:
        return [row for row in self.languages or [] if not row.covered]

    @property
    def missing_bands(self) -> list[Gap]:
        return [row for row in self.bands if not row.covered]


def _suggest(*, guide: Guide, exclude: set[int], **filters: list[str]) -> list[Suggestion]:
    if not guide.subject.strip():
        return []
    result = search(
        query=guide.subject,
        field="subject",
        filters={**filters, "available": "yes"},
        school=guide.school_id,
        per_page=SUGGESTIONS + len(exclude),
    )
    picked = [record for record in result.records if record.pk not in exclude][:SUGGESTIONS]
    return [Suggestion(pk=r.pk, title=r.title, author=r.main_author) for r in picked]


def guide_access_check(
    *, guide: Guide, with_languages: bool, suggest: bool = True, locale: str | None = None
) -> AccessCheck:
    """Coverage of the students of `guide`'s classes by its resources (counts only).

    `with_languages` False leaves the home-language half out entirely (not
    even computed), for readers who may not see language-profile data.
    """
    locale = locale or get_language() or "en"
    class_ids = [c.pk for c in guide.classes.all() if c.active]
    students: dict[int, tuple[str, list[str], bool | None]] = {}
    if class_ids:
        rows = Enrollment.objects.filter(
            school_class_id__in=class_ids, role="student", person__is_active=True
        ).values_list(
            "person_id", "person__grade", "person__home_languages", "person__english_learner"
        )
        for person_id, grade, languages, learner in rows:
            students[person_id] = (grade, languages or [], learner)

    resources = guide_resources(guide)
    covered_languages: Counter[str] = Counter()
    covered_bands: Counter[str] = Counter()
    for resource in resources:
        covered_languages.update(set(resource_languages(resource)))
        covered_bands.update(set(resource_bands(resource)))
    in_guide = {r.record_id for r in resources if r.record_id}

    band_students: Counter[str] = Counter()
    without_grade = 0
    for grade, _languages, _learner in students.values():
        band = grade_band(grade)
        if band is None:
            without_grade += 1
        else:
            band_students[band] += 1
    bands = []
    for band in BAND_ORDER:
        if not band_students[band]:
            continue
        gap = Gap(key=band, label=band, students=band_students[band], resources=covered_bands[band])
        if suggest and not gap.covered:
            gap.suggestions = _suggest(guide=guide, exclude=in_guide, band=[band])
        bands.append(gap)

    languages: list[Gap] | None = None
    multilingual: int | None = None
    if with_languages:
        language_students: Counter[str] = Counter()
        language_learners: Counter[str] = Counter()
        multilingual = 0
        for _grade, codes, learner in students.values():
            others = {code for code in codes if code and code != ENGLISH}
            if others:
                multilingual += 1
            language_students.update(others)
            if learner:
                language_learners.update(others)
        languages = []
        for code, count in language_students.items():
            gap = Gap(
                key=code,
                label=language_name(code, locale),
                students=count,
                english_learners=language_learners[code],
                resources=covered_languages[code],
            )
            if suggest and not gap.covered:
                gap.suggestions = _suggest(guide=guide, exclude=in_guide, language=[code])
            languages.append(gap)
        languages.sort(key=lambda gap: (-gap.students, gap.label.casefold()))

    return AccessCheck(
        students=len(students),
        multilingual=multilingual,
        languages=languages,
        bands=bands,
        without_grade=without_grade,
        has_classes=bool(class_ids),
        subject=guide.subject,
    )


def record_summary(record: Record, locale: str) -> dict[str, Any]:
    """What the record picker shows beside a title: its languages and bands, named."""
    return {
        "record": record,
        "languages": [language_name(code, locale) for code in record.languages or []],
        "bands": record_bands(
            lexile=record.lexile,
            lexile_code=record.lexile_code,
            reading_grade_min=record.reading_grade_min,
            reading_grade_max=record.reading_grade_max,
            ar_level=record.ar_level,
        ),
    }
