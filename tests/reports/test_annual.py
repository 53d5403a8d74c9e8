"""The annual report against the fixture year of conftest.py, every total worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shelfwise.reports.annual import annual_report, district_report, school_key_figures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def report(year):
    return annual_report(year.school, year.label)


def test_bounds_are_july_to_june(report):
    assert (report.start, report.end) == (date(2025, 7, 1), date(2026, 7, 1))


def test_circulation(report):
    c = report.circulation
    # Check-outs in the year: A1 2025-09-10, A2 2025-10-05, A1 2026-01-12, A3 2026-02-03 = 4
    # (the OAK check-out and the events of 2025-06-30 and 2026-07-01 are outside).
    assert c.checkouts == 4
    # Renewals: A1 2025-09-20, A3 2026-02-10 = 2.
    assert c.renewals == 2
    by_month = {m: (out, renewed) for m, out, renewed in c.by_month}
    assert len(c.by_month) == 12 and c.by_month[0][0] == date(2025, 7, 1)
    assert by_month[date(2025, 9, 1)] == (1, 1)
    assert by_month[date(2025, 10, 1)] == (1, 0)
    assert by_month[date(2026, 1, 1)] == (1, 0)
    assert by_month[date(2026, 2, 1)] == (1, 1)
    assert sum(out for out, _r in by_month.values()) == 4
    # Readers still named by a loan of the year: Jay (open loan) + Lucía (keeps her
    # history) = 2; Sami's returned loans were anonymized at return (retention 0).
    assert c.borrowers == 2


def test_visits(report):
    # checkout: 09-10, 10-01, 03-03 = 3; study: 04-01 = 1; the 2025-06-30 class visit is last year.
    assert report.visits == {"checkout": 3, "study": 1}
    assert report.visits_total == 4


def test_collection_change(report):
    k = report.collection
    # On 1 July 2025: A1 (held, acquired 2020) + A4 (weeded later, 2026-03-10) = 2.
    # A6 is lost (out, no date); A7 was weeded on 2025-06-01; A2, A3, A5 came later.
    assert k.size_start == 2
    # Added in the year: A2 (2025-09-15), A3 (2026-02-01) = 2; A5 (2026-08-01) is next year's.
    assert k.added == 2
    # Weeded in the year: A4 = 1.
    assert k.withdrawn == 1
    # On 30 June 2026 (start of 1 July): A1, A2, A3 = 3 = 2 + 2 − 1.
    assert k.size_end == 3


def test_equity_reuses_the_collection_selectors(report, year):
    from shelfwise.collection.selectors import language_coverage, reading_level_coverage

    rows = {r.code: r for r in report.languages.rows}
    # One speaker each: Sami ara (EL), Lucía spa (EL), Jay eng.
    assert {code: (r.students, r.english_learners) for code, r in rows.items()} == {
        "ara": (1, 1),
        "eng": (1, 0),
        "spa": (1, 1),
    }
    # Held now: eng R1 (A1, A2) + R2 (A3; A6 lost) = 2 titles, 3 copies; ara R4 (A5) = 1, 1;
    # spa R3 has no copy left (A4, A7 weeded) = 0, 0.
    assert (rows["eng"].titles, rows["eng"].copies) == (2, 3)
    assert (rows["ara"].titles, rows["ara"].copies) == (1, 1)
    assert (rows["spa"].titles, rows["spa"].copies) == (0, 0)
    # Check-outs by the language group in the year: ara (Sami) 2, spa (Lucía) 1, eng (Jay) 1.
    assert {code: r.checkouts for code, r in rows.items()} == {"ara": 2, "spa": 1, "eng": 1}
    same = language_coverage(
        school_ids=[year.school.pk], today=date(2026, 6, 30), start=report.start,
        end=date(2026, 6, 30),
    )  # fmt: skip
    assert [(r.code, r.titles, r.checkouts) for r in same.rows] == [
        (r.code, r.titles, r.checkouts) for r in report.languages.rows
    ]
    assert report.reading == reading_level_coverage(school_ids=[year.school.pk])


def test_collaborations(report):
    co = report.collaborations
    # A (2025-10-01) and B (2026-01-15); C was declined, D is last year's.
    assert co.collaborations == 2
    # The teacher (A) and the ELL specialist (B).
    assert sorted(p.username for p, _n in co.teachers) == ["ell", "teacher"]
    assert co.departments == [("ELA", 1), ("Science", 1)]
    assert co.grades == [("06", 1), ("07", 1)]
    # Standards taught: I (A), IV.B (A and B): 2 standards, IV.B in two collaborations.
    assert sorted((s.code, s.grade, s.count) for s in report.standards) == [
        ("I", "07", 1),
        ("IV.B", "06", 1),
        ("IV.B", "07", 1),
    ]
    figures = {label: value for label, value, _k in report.sections["collaborations"].figures}
    assert figures["Standards taught"] == 2


def test_professional_learning(report):
    lt = report.learning
    # S1 and S2; S0 (2025-05-01) is last year's.
    assert [s.title for s in lt.sessions] == [
        "Inquiry with primary sources",
        "Databases for multilingual learners",
    ]
    assert [s.attendees for s in lt.sessions] == [5, 1]
    # Attendances 5 + 1 = 6; distinct people: teacher, ELL, T3, T4, T5 = 5;
    # hours 5 × 1.5 + 1 × 2 = 9.5.
    assert lt.totals == {
        "sessions": 2,
        "attendances": 6,
        "attendees": 5,
        "hours": Decimal("9.5"),
    }
    # S1's five answers: clarity 5+4+4+3+5 = 21 → 4.2; relevance 4+4+5+5+5 = 23 → 4.6;
    # intent 5+3+4+4+4 = 20 → 4.0.
    s1 = {i.name: i.mean for i in lt.sessions[0].feedback.items}
    assert s1 == {"clarity": 4.2, "relevance": 4.6, "intent_to_use": 4.0}
    # S2 has one answer: no mean shown.
    assert {i.mean for i in lt.sessions[1].feedback.items} == {None}
    # The year, six answers: clarity (21 + 3) / 6 = 4.0; relevance (23 + 5) / 6 = 4.67 → 4.7;
    # intent (20 + 4) / 6 = 4.0.
    year_means = {i.name: i.mean for i in lt.feedback.items}
    assert year_means == {"clarity": 4.0, "relevance": 4.7, "intent_to_use": 4.0}
    assert lt.feedback.responses == 6
    assert lt.feedback.comments == ["Very useful", "More time please"]


def test_programs(report):
    p = report.programs
    # Noche de cuentos and the author visit; the summer kickoff (2026-08-20) is next year's.
    assert p.count == 2
    bands = {band: n for band, _label, n in p.attendance_by_band}
    # 6-8: 12 + 30 = 42; family: 3; total 45.
    assert bands["6-8"] == 42 and bands["family"] == 3 and bands["K-2"] == 0
    assert p.attendance == 45
    assert [code for code, _name in p.languages] == ["ara", "eng", "spa"]
    assert p.partners == ["ELL department", "Public library"]


def test_student_leadership(report):
    ld = report.leadership
    # The aide: 10:00–10:50 = 0.83 h, 08:00–09:30 = 1.5 h (03-10 not confirmed, 2025-06-10
    # last year); Ben 12:00–13:00 = 1 h. Aides 2, shifts 3, hours 0.83 + 1.5 + 1 = 3.33.
    assert (ld.aides, ld.shifts, ld.hours) == (2, 3, 3.33)


def test_real_layout_and_masked_figures(report):
    assert [(letter, [s.slug for s in sections]) for letter, _h, sections in report.real()] == [
        ("R", ["equity"]),
        ("E", ["circulation", "programs"]),
        ("A", ["collection"]),
        ("L", ["collaborations", "learning", "leadership"]),
    ]
    circulation = dict(report.sections["circulation"].figures_shown)
    assert circulation["Check-outs"] == "4"  # things, not people: not masked
    assert circulation["Readers who borrowed (at least)"] == "<5"
    assert circulation["Library visits signed in"] == "<5"
    learning = dict(report.sections["learning"].figures_shown)
    assert learning["Staff who attended"] == "5"
    assert learning["Hours credited"] == "9.5"
    assert learning["Relevance"] == "4.7"
    leadership = dict(report.sections["leadership"].figures_shown)
    assert leadership["Student aides who worked a shift"] == "<5"
    assert leadership["Aide hours"] == "3.33"


def test_the_same_selectors_as_the_pages(report, year):
    """The dashboard's year figures and the report's agree: one selector each."""
    from shelfwise.instruction.selectors import librarian_overview
    from shelfwise.learning.selectors import year_totals

    assert year_totals(school=year.school, school_year=year.label) == report.learning.totals
    overview = librarian_overview(school=year.school, today=date(2026, 6, 30))
    assert overview.departments == report.collaborations.departments
    # The dashboard on the year's last day (16:00 UTC is noon in New York).
    from shelfwise.reports.dashboard import librarian_dashboard
    from tests.reports.conftest import at

    board = librarian_dashboard(school=year.school, now=at("2026-06-30"))
    assert board.school_year == year.label
    programs = board.sections["programs"]
    assert (programs["aides"], programs["aide_hours"]) == (2, 3.33)
    assert programs["visits"] == report.visits_total == 4
    assert board.sections["learning"]["year"] == report.learning.totals


def test_narratives_come_back_per_section(year):
    from shelfwise.reports.services import narrative_save

    narrative_save(
        school=year.school, year=year.label, section="learning", text="  We grew.  ",
        by=year.personas.librarian,
    )  # fmt: skip
    report = annual_report(year.school, year.label)
    assert report.sections["learning"].narrative == "We grew."
    assert report.sections["equity"].narrative == ""


def test_district_sums_the_schools(year):
    rollup = district_report(year.label)
    lines = {line.school.code: line.figures for line in rollup.lines}
    assert lines["LMS"] == school_key_figures(year.school, year.label)
    # OAK: one check-out (2025-11-01), nothing else.
    assert lines["OAK"]["checkouts"] == 1 and lines["OAK"]["collaborations"] == 0
    assert rollup.totals["checkouts"] == 4 + 1
    assert rollup.totals["pd_hours"] == Decimal("9.5")
    assert rollup.totals["aide_hours"] == Decimal("3.33")
    assert rollup.totals["teachers"] == 2


def test_malformed_year_is_refused(year):
    with pytest.raises(ValueError, match="2026-27"):
        annual_report(year.school, "2025-2026")


def test_small_groups_show_no_ratio_and_no_checkouts(report):
    """One speaker per language: titles per speaker (titles ÷ 1) would give the group's size
    away, and its check-outs are one child's borrowing."""
    from shelfwise.reports.annual import shown_rows

    equity = report.sections["equity"]
    assert equity.charts == []
    languages = next(t for t in equity.tables if t.slug == "languages")
    rows = {row[0][0]: [text for text, _kind in row] for row in shown_rows(languages)}
    # Language, speakers, EL, titles, copies, titles per speaker, target, check-outs.
    assert rows["Arabic"] == ["Arabic", "<5", "<5", "1", "1", "—", "5.00", "—"]
    bands = next(t for t in equity.tables if t.slug == "bands")
    six_to_eight = next(row for row in shown_rows(bands) if row[0][0] == "6-8")
    assert [text for text, _kind in six_to_eight][1] == "<5"
    assert [text for text, _kind in six_to_eight][4:] == ["—", "—"]
