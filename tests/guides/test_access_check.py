"""The access check on the hand-counted unit of conftest.py: coverage, gaps, suggestions."""

from __future__ import annotations

import pytest

from shelfwise.guides import services
from shelfwise.guides.selectors import grade_band, guide_access_check, guide_with_contents

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def guide(personas, unit):
    guide = services.guide_create(
        school=personas.school,
        by=personas.teacher,
        title="Volcanoes unit",
        subject="Volcanoes",
        grade="06",
        classes=[unit.science, unit.eld],
    )
    section = services.section_add(guide=guide, by=personas.teacher, title="Start here")
    services.resource_add(
        section=section, by=personas.teacher, kind="record", record=unit.records["volcanoes"]
    )
    services.resource_add(
        section=section,
        by=personas.teacher,
        kind="link",
        title="USGS volcano hazards",
        url="https://www.usgs.gov/programs/VHP",
        languages=["eng"],
    )
    services.resource_add(
        section=section,
        by=personas.teacher,
        kind="vocabulary",
        title="Key words",
        vocabulary=(
            "magma | molten rock underground | ar: صهارة\nlava | magma above ground | Arabic: حمم"
        ),
        languages=["eng"],
    )
    return guide


def check(guide, **kwargs):
    return guide_access_check(guide=guide_with_contents(pk=guide.pk), locale="en", **kwargs)


def by_key(rows):
    return {row.key: row for row in rows}


def test_counts_students_once_and_only_active_ones(guide):
    result = check(guide, with_languages=True)
    assert result.students == 7
    assert result.multilingual == 5
    assert result.without_grade == 1


def test_languages_covered_and_missing_with_counts(guide):
    result = check(guide, with_languages=True)
    rows = by_key(result.languages)
    assert set(rows) == {"spa", "ara", "som"}  # English is not a gap; Vu has left
    assert (rows["spa"].students, rows["spa"].english_learners) == (2, 1)
    assert (rows["ara"].students, rows["ara"].english_learners) == (2, 2)
    assert (rows["som"].students, rows["som"].english_learners) == (1, 1)
    assert rows["ara"].covered and rows["ara"].resources == 1  # the vocabulary list
    assert not rows["spa"].covered and not rows["som"].covered
    assert [row.key for row in result.missing_languages] == ["spa", "som"]
    assert rows["spa"].label == "Spanish"
    # Most students first
    assert [row.key for row in result.languages][-1] == "som"


def test_suggestions_fill_each_gap_from_the_school_and_subject(guide, unit):
    result = check(guide, with_languages=True)
    rows = by_key(result.languages)
    # Same subject, Spanish, a copy available here now: not the OAK copy, not the
    # one checked out, not the Spanish book on earthquakes.
    assert [s.pk for s in rows["spa"].suggestions] == [unit.records["los_volcanes"].pk]
    assert rows["som"].suggestions == []


def test_bands_by_grade(guide, unit):
    result = check(guide, with_languages=True)
    bands = by_key(result.bands)
    assert list(bands) == ["4-5", "6-8"]
    assert (bands["6-8"].students, bands["6-8"].resources) == (5, 1)  # Volcanoes! is 1100L
    assert (bands["4-5"].students, bands["4-5"].resources) == (1, 0)
    # Volcano baby (800L) is in 4-5; Volcanoes! is already in the guide.
    assert [s.pk for s in bands["4-5"].suggestions] == [unit.records["volcano_baby"].pk]
    assert bands["6-8"].suggestions == []


def test_adding_a_suggested_title_covers_the_language(guide, unit, personas):
    section = guide.sections.get()
    services.resource_add(
        section=section, by=personas.teacher, kind="record", record=unit.records["los_volcanes"]
    )
    result = check(guide, with_languages=True)
    rows = by_key(result.languages)
    assert rows["spa"].covered and rows["spa"].suggestions == []
    assert [row.key for row in result.missing_languages] == ["som"]


def test_without_language_rights_the_language_half_is_absent(guide):
    result = check(guide, with_languages=False)
    assert result.languages is None and result.multilingual is None
    assert result.students == 7 and len(result.bands) == 2


def test_no_classes_no_students(personas):
    guide = services.guide_create(school=personas.school, by=personas.teacher, title="Empty")
    result = check(guide, with_languages=True)
    assert (result.students, result.languages, result.bands, result.has_classes) == (
        0,
        [],
        [],
        False,
    )


def test_query_count_does_not_grow_with_resources(
    guide, unit, personas, django_assert_max_num_queries
):
    section = guide.sections.get()
    for n in range(10):
        services.resource_add(
            section=section,
            by=personas.teacher,
            kind="link",
            title=f"Link {n}",
            url=f"https://example.org/{n}",
        )
    # 5 to load the guide, 1 for students, and per gap the search's fixed queries.
    with django_assert_max_num_queries(6 + 3 * 6):
        check(guide, with_languages=True)


@pytest.mark.parametrize(
    ("grade", "band"),
    [("KG", "K-1"), ("01", "K-1"), ("03", "2-3"), ("05", "4-5"), ("08", "6-8"), ("10", "9-10"),
     ("12", "11-12"), ("UG", None), ("", None), ("13", None)],
)  # fmt: skip
def test_grade_band(grade, band):
    assert grade_band(grade) == band
