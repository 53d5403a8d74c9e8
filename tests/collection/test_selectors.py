"""The report numbers on the hand-checked fixture school (see conftest.py for the table)."""

from __future__ import annotations

import datetime

import pytest

from shelfwise.collection import selectors

pytestmark = pytest.mark.django_db


def test_profile_by_section_and_class(fx):
    profile = selectors.collection_profile(school_ids=[fx.school.pk], today=fx.today)
    rows = {row.key: row for row in profile.rows}
    # 10 copies in the collection (F2 is withdrawn), of 9 titles; 6 active students.
    assert (profile.copies, profile.titles, profile.students) == (10, 9, 6)
    assert profile.copies_per_student == pytest.approx(10 / 6)
    # 500s: A1, A2 (2012), B (2020), C (2005), H (2019) -> 2005 2012 2012 2019 2020.
    s500 = rows["500"]
    assert (s500.titles, s500.copies, s500.median_year) == (4, 5, 2012)
    assert s500.older_10 == pytest.approx(3 / 5)  # 2005, 2012, 2012
    assert s500.older_15 == pytest.approx(1 / 5)  # 2005
    assert (rows["900"].copies, rows["900"].median_year, rows["900"].older_15) == (1, 1998, 1.0)
    # 004.16 from 2015 is 11 years old: older than 10, not than 15.
    assert (rows["000"].copies, rows["000"].older_10, rows["000"].older_15) == (1, 1.0, 0.0)
    assert (rows["fiction"].titles, rows["fiction"].copies) == (2, 2)
    assert (rows["easy"].titles, rows["easy"].copies) == (1, 1)
    assert rows["100"].copies == 0 and rows["100"].median_year is None
    divisions = {row.key: (row.titles, row.copies) for row in profile.divisions}
    assert divisions == {
        "000": (1, 1),
        "510": (1, 1),
        "530": (1, 1),
        "550": (1, 2),
        "580": (1, 1),
        "970": (1, 1),
    }
    # Median over all 10 copies: 1998 2000 2005 2012 2012 2015 2018 2019 2020 2022.
    assert profile.median_year == (2012 + 2015) / 2


def test_use_shares_checkouts_and_dead_zones(fx):
    use = selectors.collection_use(school_ids=[fx.school.pk], today=fx.today, dead_min_copies=1)
    # Last year (>= 2025-06-15): A1, E, G. Two years: + B, F1. Three: same.
    assert use.circulated == {1: 0.3, 2: 0.5, 3: 0.5}
    # 2025-06-16 .. 2026-06-15: E twice and C once (the 2025-01-01 one is older).
    assert use.checkouts == 3
    rows = {row.key: row for row in use.rows}
    assert (rows["fiction"].checkouts, rows["500"].checkouts, rows["900"].checkouts) == (2, 1, 0)
    assert use.formats == [("book", "Book", 3)]
    assert rows["500"].circulated[2] == pytest.approx(2 / 5)
    dead = {row.key for row in use.dead_zones}
    # Nothing circulated in two years: 970 (D, 2020), 580 (C), 510 (H), easy (K).
    assert dead == {"970", "580", "510", "easy"}
    earlier = selectors.collection_use(
        school_ids=[fx.school.pk],
        today=fx.today,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 1, 31),
    )
    assert earlier.checkouts == 1 and {r.key: r.checkouts for r in earlier.rows}["900"] == 1


def test_language_coverage_per_speaker_target(fx):
    coverage = selectors.language_coverage(
        school_ids=[fx.school.pk], today=fx.today, mode="per_speaker", titles_per_speaker=1
    )
    assert [r.code for r in coverage.rows] == ["spa", "ara", "eng"]  # 3, 2, 2 speakers
    spa, ara, eng = coverage.rows
    # spa: R3 (bilingual), R4, R6 (one copy left); EL: Lucía, Mateo.
    assert (spa.students, spa.english_learners, spa.titles, spa.copies) == (3, 2, 3, 3)
    assert (spa.titles_per_speaker, spa.grade, spa.gap_titles, spa.checkouts) == (1.0, "A", 0, 1)
    # ara: R5 only (R9 is OAK's); EL: Sami. Two check-outs by the group this year.
    assert (ara.students, ara.english_learners, ara.titles, ara.copies) == (2, 1, 1, 1)
    assert (ara.titles_per_speaker, ara.grade, ara.gap_titles, ara.checkouts) == (0.5, "C", 1, 2)
    assert ara.copies_per_speaker == 0.5 and ara.below_target and not spa.below_target
    # eng: R1 (2 copies), R2, R3, R7, R8, R10 = 6 titles, 7 copies; Omar and Jay.
    assert (eng.students, eng.titles, eng.copies, eng.grade) == (2, 6, 7, "A")


def test_language_coverage_default_and_parity_targets(fx):
    from shelfwise.collection.services import language_target_set

    default = selectors.language_coverage(school_ids=[fx.school.pk], today=fx.today)
    spa = default.row("spa")
    # 5 titles per speaker: spa has 1 (20 % -> F) and lacks 15 - 3 = 12 titles.
    assert (default.target_per_speaker, spa.grade, spa.gap_titles) == (5.0, "F", 12)
    language_target_set(school=fx.school, mode="parity", titles_per_speaker=5, by=None)
    parity = selectors.language_coverage(school_ids=[fx.school.pk], today=fx.today)
    # Parity: 6 English titles / 6 students = 1 title per speaker.
    assert parity.target_per_speaker == 1.0
    assert parity.row("ara").grade == "C" and parity.row("spa").grade == "A"


def test_reading_level_coverage(fx):
    coverage = selectors.reading_level_coverage(school_ids=[fx.school.pk])
    rows = {row.band: row for row in coverage.rows}
    # 2-3 (420-820L): R1 800 (2 copies), R3 600 -> 3 non-fiction; R5 700, R6 750 -> 2 fiction.
    assert (rows["2-3"].nonfiction_copies, rows["2-3"].fiction_copies) == (3, 2)
    # 4-5 (740-1010L): R1, R2 1000 -> 3 non-fiction; R6 -> 1 fiction. 6-8: R2.
    assert (rows["4-5"].nonfiction_copies, rows["4-5"].fiction_copies) == (3, 1)
    assert (rows["6-8"].nonfiction_copies, rows["6-8"].fiction_copies) == (1, 0)
    # Students: Ana in grade 3; Sami, Omar, Lucía, Mateo, Jay in 6-8.
    assert (rows["2-3"].students, rows["4-5"].students, rows["6-8"].students) == (1, 0, 5)
    assert rows["6-8"].nonfiction_per_student == pytest.approx(0.2)
    assert rows["4-5"].fiction_per_student is None
    assert (coverage.unlevelled_copies, coverage.copies) == (4, 10)  # D, G, H, K


def test_gap_suggestions_come_from_other_schools(fx):
    found = selectors.gap_suggestions(
        school=fx.school,
        district_school_ids=[fx.school.pk, fx.personas.other_school.pk],
        language="ara",
    )
    assert [row["title"] for row in found] == ["Arabic science"]
    assert found[0]["schools"] == 1


def test_district_rollup(fx):
    summary = selectors.district_summary(
        schools=[fx.school, fx.personas.other_school], today=fx.today
    )
    lms, oak = summary
    assert (lms.copies, lms.titles, lms.students, lms.circulated_1y) == (10, 9, 6, 0.3)
    assert (oak.copies, oak.students, oak.copies_per_student) == (1, 0, None)
    both = selectors.collection_profile(
        school_ids=[fx.school.pk, fx.personas.other_school.pk], today=fx.today
    )
    assert both.copies == 11
