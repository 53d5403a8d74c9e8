"""The annual report of a school library: every figure from the app that owns it.

Plain Python, no request: the web page, the PDF and `shelfwise annual-report`
all render the same `AnnualReport`. Each figure is read through the same
selector as the app's own page (circulation, collection, instruction,
learning, programs), never re-counted here, so a number on a page and in
the report cannot disagree.

Decision, the REAL layout (Respect, Engagement, Accountability, Leadership):
- Respect: equity of the collection (home-language and reading-level
  coverage), because every reader should find themselves on the shelves;
- Engagement: circulation and visits, and programs and events;
- Accountability: collection change (copies added and weeded, the size at
  both ends of the year), the stewardship of the collection;
- Leadership: collaborations with teachers, professional learning the
  librarian delivered, and the students who lead as aides.
An introduction, for the librarian's own words, comes before the four.

Privacy: no person is named anywhere in the report. Counts of people (readers,
visitors, teachers, attendees, aides, program attendance, students per
language or band) are shown masked, 1–4 as "<5" (lib/privacy.py), and they
are not drawn as charts, where a short bar would give a small count away;
charts hold counts of things (check-outs, copies, collaborations) and ratios.
Feedback means are shown only from 5 answers (learning.selectors).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from shelfwise.collection.reports import Column, Table, fmt
from shelfwise.lib.privacy import MIN_CELL, is_small, masked_count
from shelfwise.lib.school_years import school_year_bounds, school_year_of
from shelfwise.reports.models import AnnualReportNarrative, ReportSection

REAL = (
    ("R", (ReportSection.EQUITY,)),
    ("E", (ReportSection.CIRCULATION, ReportSection.PROGRAMS)),
    ("A", (ReportSection.COLLECTION,)),
    ("L", (ReportSection.COLLABORATIONS, ReportSection.LEARNING, ReportSection.LEADERSHIP)),
)


# ---------------------------------------------------------------- display


def show(value: Any, kind: str) -> str:
    """A figure as the report prints it, in the active language.

    Kinds: people (masked: "<5"), int, hours, dec, share, mean (a Likert mean
    or "—" when too few answered), month (a date), text.
    """
    if kind == "people":
        return masked_count(int(value or 0))
    if kind == "hours":
        value = Decimal(str(value or 0)).quantize(Decimal("0.01"))
        places = next(n for n in (0, 1, 2) if value == round(value, n))
        return formats.number_format(value, decimal_pos=places)
    if kind == "mean":
        return "—" if value is None else formats.number_format(value, decimal_pos=1)
    if kind == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "day":
        return formats.date_format(value, "DATE_FORMAT")
    return fmt(value, kind)


def shown_rows(table: Table) -> list[list[tuple[str, str]]]:
    """(text, kind) cells of a table, ready for a template or the PDF."""
    return [
        [(show(v, c.kind), c.kind) for v, c in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]


# ---------------------------------------------------------------- structure


@dataclass
class Chart:
    slug: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    ylabel: str
    summary: str  # the text alternative
    table: Table  # the same numbers as a table


@dataclass
class Section:
    slug: str
    title: str
    intro: str
    figures: list[tuple[str, Any, str]] = field(default_factory=list)  # (label, value, kind)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    narrative: str = ""

    @property
    def figures_shown(self) -> list[tuple[str, str]]:
        return [(label, show(value, kind)) for label, value, kind in self.figures]


@dataclass
class SessionRow:
    title: str
    starts_at: datetime
    attendees: int
    hours: Decimal
    feedback: Any  # learning.selectors.FeedbackSummary


@dataclass
class LearningYear:
    sessions: list[SessionRow]
    totals: dict[str, Any]  # learning.selectors.year_totals
    feedback: Any  # FeedbackSummary over every session of the year


@dataclass
class ProgramsYear:
    count: int
    programs: list[Any]
    attendance_by_band: list[tuple[str, str, int]]
    attendance: int
    languages: list[tuple[str, str]]  # (code, name)
    partners: list[str]


@dataclass
class LeadershipYear:
    aides: int
    hours: float
    shifts: int


@dataclass
class AnnualReport:
    school: Any
    year: str
    start: date
    end: date  # exclusive: 1 July of the next year
    circulation: Any  # circulation.selectors.CirculationPeriod
    visits: dict[str, int]  # by purpose
    visits_total: int
    collection: Any  # collection.change.CollectionChange
    languages: Any  # collection.selectors.LanguageCoverage
    reading: Any  # collection.selectors.ReadingCoverage
    collaborations: Any  # instruction.selectors.Reach
    standards: list[Any]  # instruction.selectors.StandardTaught
    learning: LearningYear
    programs: ProgramsYear
    leadership: LeadershipYear
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def introduction(self) -> str:
        return self.sections[ReportSection.INTRODUCTION].narrative

    def real(self) -> list[tuple[str, str, list[Section]]]:
        """(letter, heading, sections) in REAL order."""
        from shelfwise.programs.models import Expectation

        labels = dict(Expectation.choices)
        return [
            (letter, str(labels[letter]), [self.sections[slug] for slug in slugs])
            for letter, slugs in REAL
        ]


# ---------------------------------------------------------------- reading the apps


def parse_year(label: str) -> tuple[date, date]:
    """Bounds of a school year label; ValueError with a clear message when malformed."""
    return school_year_bounds(label)


def current_year(school: Any, now: datetime | None = None) -> str:
    from django.utils import timezone

    now = now or timezone.now()
    return school_year_of(now.astimezone(zoneinfo.ZoneInfo(school.timezone)).date())


def _instants(school: Any, start: date, end: date) -> tuple[datetime, datetime]:
    zone = zoneinfo.ZoneInfo(school.timezone)
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(
        end, time.min, tzinfo=zone
    )


def _learning(school: Any, year: str, start: date, end: date) -> LearningYear:
    from shelfwise.learning import selectors

    first, after = _instants(school, start, end)
    sessions = list(selectors.sessions_between(school=school, start=first, end=after))
    rows = [
        SessionRow(
            title=s.title,
            starts_at=s.starts_at,
            attendees=s.attendees,
            hours=s.hours,
            feedback=selectors.feedback_summary(sessions=[s]),
        )
        for s in sessions
    ]
    return LearningYear(
        sessions=rows,
        totals=selectors.year_totals(school=school, school_year=year),
        feedback=selectors.feedback_summary(sessions=sessions),
    )


def _programs(school: Any, start: date, end: date) -> ProgramsYear:
    from shelfwise.collection.selectors import language_name
    from shelfwise.programs import selectors

    first, after = _instants(school, start, end)
    programs = list(selectors.programs_between(school=school, start=first, end=after))
    bands = selectors.attendance_by_band(programs)
    codes = sorted({code for p in programs for code in (p.languages or [])})
    partners = sorted({p.partners.strip() for p in programs if p.partners.strip()})
    return ProgramsYear(
        count=len(programs),
        programs=programs,
        attendance_by_band=bands,
        attendance=sum(n for _b, _l, n in bands),
        languages=[(code, language_name(code)) for code in codes],
        partners=partners,
    )


def _leadership(school: Any, start: date, end: date) -> LeadershipYear:
    from shelfwise.programs.selectors import aide_totals

    totals = aide_totals(school=school, start=start, end=end - timedelta(days=1))
    return LeadershipYear(aides=totals["aides"], hours=totals["hours"], shifts=totals["shifts"])


def annual_report(school: Any, year_label: str) -> AnnualReport:
    """The annual report of `school` for the school year `year_label` ("2026-27")."""
    from shelfwise.circulation.selectors import circulation_between
    from shelfwise.collection import selectors as collection
    from shelfwise.collection.change import collection_change
    from shelfwise.instruction.selectors import collaboration_reach, standards_taught
    from shelfwise.programs.selectors import visit_counts

    start, end = parse_year(year_label)
    last = end - timedelta(days=1)
    ids = [school.pk]
    visits = visit_counts(school=school, start=start, end=last)
    report = AnnualReport(
        school=school,
        year=year_label,
        start=start,
        end=end,
        circulation=circulation_between(school=school, start=start, end=end),
        visits=visits["totals"],
        visits_total=visits["total"],
        collection=collection_change(school_ids=ids, start=start, end=end),
        languages=collection.language_coverage(school_ids=ids, today=last, start=start, end=last),
        reading=collection.reading_level_coverage(school_ids=ids),
        collaborations=collaboration_reach(school=school, start=start, end=end),
        standards=standards_taught(school=school, since=start, until=end),
        learning=_learning(school, year_label, start, end),
        programs=_programs(school, start, end),
        leadership=_leadership(school, start, end),
    )
    narratives = dict(
        AnnualReportNarrative.objects.filter(school=school, year=year_label).values_list(
            "section", "text"
        )
    )
    report.sections = build_sections(report)
    for slug, section in report.sections.items():
        section.narrative = narratives.get(slug, "")
    return report


# ---------------------------------------------------------------- laying it out


def _month_label(day: date) -> str:
    return formats.date_format(day, "M Y")


def build_sections(r: AnnualReport) -> dict[str, Section]:
    from shelfwise.programs.models import Program, Visit

    S = ReportSection
    sections: dict[str, Section] = {
        S.INTRODUCTION: Section(S.INTRODUCTION, str(S.INTRODUCTION.label), ""),
    }

    # Respect: equity of the collection.
    # A ratio to a small group of students gives the group's size away (titles are
    # shown), and its check-outs are a handful of children's borrowing: for groups of
    # 1–4 students both are left out of the table ("—") and of the chart.
    langs = list(r.languages.rows)
    shown_langs = [row for row in langs if not is_small(row.students)]
    lang = Table(
        "languages",
        _("Titles in each home language of the students"),
        [
            Column(_("Language")),
            Column(_("Students who speak it at home"), "people"),
            Column(_("English learners"), "people"),
            Column(_("Titles"), "int"),
            Column(_("Copies"), "int"),
            Column(_("Titles per speaker"), "dec"),
            Column(_("Target titles per speaker"), "dec"),
            Column(_("Check-outs by the group this year"), "int"),
        ],
        [
            [
                row.name,
                row.students,
                row.english_learners,
                row.titles,
                row.copies,
                None if is_small(row.students) else row.titles_per_speaker,
                row.target_per_speaker,
                None if is_small(row.students) else row.checkouts,
            ]
            for row in langs
        ],
    )
    # A band with no students has no ratio to draw either.
    shown_bands = [b for b in r.reading.rows if b.students >= MIN_CELL]
    bands = Table(
        "bands",
        _("Copies per reading band against the students in its grades"),
        [
            Column(_("Band")),
            Column(_("Students in these grades"), "people"),
            Column(_("Fiction copies"), "int"),
            Column(_("Non-fiction copies"), "int"),
            Column(_("Fiction copies per student"), "dec"),
            Column(_("Non-fiction copies per student"), "dec"),
        ],
        [
            [
                b.band,
                b.students,
                b.fiction_copies,
                b.nonfiction_copies,
                None if is_small(b.students) else b.fiction_per_student,
                None if is_small(b.students) else b.nonfiction_per_student,
            ]
            for b in r.reading.rows
        ],
    )
    below = [row.name for row in shown_langs if row.below_target]
    small_note = _(
        "Groups of fewer than 5 students are in the table without their ratios and "
        "check-outs, and are not drawn."
    )
    lang_summary = _("Titles per speaker in each of %(n)s home languages, beside the target.") % {
        "n": len(shown_langs)
    }
    if below:
        lang_summary += " " + _("Below the target: %(list)s.") % {"list": ", ".join(below)}
    charts = []
    if shown_langs:
        charts.append(
            Chart(
                "languages",
                _("Titles per speaker and the target"),
                [row.name for row in shown_langs],
                [
                    (_("Titles per speaker"), [row.titles_per_speaker or 0 for row in shown_langs]),
                    (_("Target"), [row.target_per_speaker or 0 for row in shown_langs]),
                ],
                _("Titles per speaker"),
                f"{lang_summary} {small_note}",
                lang,
            )
        )
    if shown_bands:
        charts.append(
            Chart(
                "bands",
                _("Copies per student by reading band"),
                [b.band for b in shown_bands],
                [
                    (
                        _("Fiction copies per student"),
                        [b.fiction_per_student or 0 for b in shown_bands],
                    ),
                    (
                        _("Non-fiction copies per student"),
                        [b.nonfiction_per_student or 0 for b in shown_bands],
                    ),
                ],
                _("Copies per student"),
                _("Fiction and non-fiction copies per student in %(n)s reading bands.")
                % {"n": len(shown_bands)}
                + f" {small_note}",
                bands,
            )
        )
    sections[S.EQUITY] = Section(
        S.EQUITY,
        str(S.EQUITY.label),
        _(
            "Home-language coverage (titles per student who speaks the language at home) "
            "and reading-level coverage (copies per student in the grades each band serves), "
            "as the collection stands now; check-outs by language group are the year's."
        ),
        figures=[
            (_("Home languages of the students"), len(langs), "int"),
            (_("Languages below the target"), len(below), "int"),
            (_("Copies with no reading level"), r.reading.unlevelled_copies, "int"),
        ],
        tables=[lang, bands],
        charts=charts,
        notes=[small_note],
    )

    # Engagement: circulation and visits.
    c = r.circulation
    months = Table(
        "months",
        _("Check-outs and renewals by month"),
        [Column(_("Month")), Column(_("Check-outs"), "int"), Column(_("Renewals"), "int")],
        [[_month_label(m), out, renewed] for m, out, renewed in c.by_month],
    )
    busiest = max(c.by_month, key=lambda row: row[1], default=None)
    circ_summary = _("%(checkouts)s check-outs and %(renewals)s renewals over the year.") % {
        "checkouts": fmt(c.checkouts, "int"),
        "renewals": fmt(c.renewals, "int"),
    }
    if busiest and busiest[1]:
        circ_summary += " " + _("The busiest month was %(month)s, with %(n)s check-outs.") % {
            "month": _month_label(busiest[0]),
            "n": fmt(busiest[1], "int"),
        }
    visits = Table(
        "visits",
        _("Library visits signed in at the kiosk, by purpose"),
        [Column(_("Purpose")), Column(_("Visits"), "people")],
        [[str(label), r.visits.get(value, 0)] for value, label in Visit.Purpose.choices],
    )
    sections[S.CIRCULATION] = Section(
        S.CIRCULATION,
        str(S.CIRCULATION.label),
        _("Check-outs and renewals at the desk and the self-check kiosk, and visits signed in."),
        figures=[
            (_("Check-outs"), c.checkouts, "int"),
            (_("Renewals"), c.renewals, "int"),
            (_("Readers who borrowed (at least)"), c.borrowers, "people"),
            (_("Library visits signed in"), r.visits_total, "people"),
        ],
        tables=[visits],
        charts=[
            Chart(
                "months",
                _("Check-outs and renewals by month"),
                [_month_label(m) for m, _o, _r in c.by_month],
                [
                    (_("Check-outs"), [o for _m, o, _r in c.by_month]),
                    (_("Renewals"), [n for _m, _o, n in c.by_month]),
                ],
                _("Count"),
                circ_summary,
                months,
            )
        ],
        notes=[
            _(
                "Readers are counted from the loans that still name them: a loan returned "
                "past the school's retention period names nobody, so this is a lower bound."
            )
        ],
    )

    # Engagement: programs.
    p = r.programs
    kinds = dict(Program.Kind.choices)
    sections[S.PROGRAMS] = Section(
        S.PROGRAMS,
        str(S.PROGRAMS.label),
        _(
            "Library programs and events of the year, their attendance by grade band, "
            "the languages they were offered in and the partners who ran them with the library."
        ),
        figures=[
            (_("Programs and events"), p.count, "int"),
            (_("Attendance"), p.attendance, "people"),
            (_("Languages offered"), len(p.languages), "int"),
            (_("Partners"), len(p.partners), "int"),
        ],
        tables=[
            Table(
                "program-bands",
                _("Program attendance by grade band"),
                [Column(_("Grade band")), Column(_("Attendance"), "people")],
                [[label, n] for _b, label, n in p.attendance_by_band],
            ),
            Table(
                "programs",
                _("Programs and events"),
                [
                    Column(_("Program")),
                    Column(_("Date"), "day"),
                    Column(_("Kind")),
                    Column(_("Attendance"), "people"),
                ],
                [
                    [
                        program.title,
                        program.starts_at.astimezone(zoneinfo.ZoneInfo(r.school.timezone)).date(),
                        str(kinds.get(program.kind, program.kind)),
                        program.total_attendance,
                    ]
                    for program in p.programs
                ],
            ),
        ],
        notes=[
            _("Languages offered: %(list)s.") % {"list": ", ".join(n for _c, n in p.languages)}
            if p.languages
            else _("No program was offered in a language other than the school's."),
            _("Partners: %(list)s.") % {"list": "; ".join(p.partners)}
            if p.partners
            else _("No partner was named for a program this year."),
        ],
    )

    # Accountability: collection change.
    k = r.collection
    change = Table(
        "change",
        _("The collection over the year"),
        [Column(_("Figure")), Column(_("Copies"), "int")],
        [
            [_("Copies on 1 July"), k.size_start],
            [_("Copies added"), k.added],
            [_("Copies weeded"), k.withdrawn],
            [_("Copies on 30 June"), k.size_end],
        ],
    )
    sections[S.COLLECTION] = Section(
        S.COLLECTION,
        str(S.COLLECTION.label),
        _(
            "Copies added (by date acquired) and weeded (withdrawn from the weeding list) "
            "during the year, and the collection's size at its start and end."
        ),
        figures=[(row[0], row[1], "int") for row in change.rows],
        charts=[
            Chart(
                "change",
                _("The collection over the year"),
                [row[0] for row in change.rows],
                [(_("Copies"), [row[1] for row in change.rows])],
                _("Copies"),
                _(
                    "%(start)s copies on 1 July, %(added)s added, %(weeded)s weeded, "
                    "%(end)s copies on 30 June."
                )
                % {
                    "start": fmt(k.size_start, "int"),
                    "added": fmt(k.added, "int"),
                    "weeded": fmt(k.withdrawn, "int"),
                    "end": fmt(k.size_end, "int"),
                },
                change,
            )
        ],
        notes=[
            _(
                "A copy lost or missing keeps no date of leaving; the sizes count it out "
                "for the whole year."
            )
        ],
    )

    # Leadership: collaborations.
    co = r.collaborations
    departments = Table(
        "departments",
        _("Collaborations by department"),
        [Column(_("Department")), Column(_("Collaborations"), "int")],
        [[subject, n] for subject, n in co.departments],
    )
    standard_codes = {(s.framework, s.code) for s in r.standards}
    sections[S.COLLABORATIONS] = Section(
        S.COLLABORATIONS,
        str(S.COLLABORATIONS.label),
        _(
            "Lessons, units, projects and research the librarian planned with teachers "
            "(requested during the year, declined ones left out), and the standards taught."
        ),
        figures=[
            (_("Collaborations"), co.collaborations, "int"),
            (_("Teachers reached"), len(co.teachers), "people"),
            (_("Departments reached"), len(co.departments), "int"),
            (_("Grades reached"), len(co.grades), "int"),
            (_("Standards taught"), len(standard_codes), "int"),
        ],
        tables=[
            departments,
            Table(
                "grades",
                _("Collaborations by grade"),
                [Column(_("Grade")), Column(_("Collaborations"), "int")],
                [[grade, n] for grade, n in co.grades],
            ),
            Table(
                "standards",
                _("Standards taught"),
                [
                    Column(_("Framework")),
                    Column(_("Code")),
                    Column(_("Standard")),
                    Column(_("Grade")),
                    Column(_("Collaborations"), "int"),
                ],
                [[s.framework, s.code, s.name, s.grade, s.count] for s in r.standards],
            ),
        ],
        charts=[
            Chart(
                "departments",
                _("Collaborations by department"),
                [subject for subject, _n in co.departments],
                [(_("Collaborations"), [n for _s, n in co.departments])],
                _("Collaborations"),
                _("%(n)s collaborations in %(d)s departments.")
                % {"n": co.collaborations, "d": len(co.departments)},
                departments,
            )
        ]
        if co.departments
        else [],
    )

    # Leadership: professional learning.
    lt = r.learning
    names = {
        "clarity": _("Clarity"),
        "relevance": _("Relevance"),
        "intent_to_use": _("Intent to use"),
    }
    means = {item.name: item.mean for item in lt.feedback.items}
    sessions = Table(
        "sessions",
        _("Sessions delivered"),
        [
            Column(_("Session")),
            Column(_("Date"), "day"),
            Column(_("Attendees"), "people"),
            Column(_("Hours credited each"), "hours"),
            Column(_("Feedback responses"), "people"),
            *[Column(str(label), "mean") for label in names.values()],
        ],
        [
            [
                s.title,
                s.starts_at.astimezone(zoneinfo.ZoneInfo(r.school.timezone)).date(),
                s.attendees,
                s.hours,
                s.feedback.responses,
                *[next((i.mean for i in s.feedback.items if i.name == key), None) for key in names],
            ]
            for s in lt.sessions
        ],
    )
    comments = [c for s in lt.sessions for c in s.feedback.comments]
    sections[S.LEARNING] = Section(
        S.LEARNING,
        str(S.LEARNING.label),
        _(
            "Sessions the librarian designed and facilitated, who attended, the hours "
            "credited and what participants said (means on a 1–5 scale, shown from 5 answers)."
        ),
        figures=[
            (_("Sessions"), lt.totals["sessions"], "int"),
            (_("Attendances"), lt.totals["attendances"], "people"),
            (_("Staff who attended"), lt.totals["attendees"], "people"),
            (_("Hours credited"), lt.totals["hours"], "hours"),
            (_("Feedback responses"), lt.feedback.responses, "people"),
            *[(str(label), means.get(key), "mean") for key, label in names.items()],
        ],
        tables=[sessions],
        notes=[_("Comments: %(list)s") % {"list": " · ".join(comments)}] if comments else [],
    )

    # Leadership: students.
    ld = r.leadership
    sections[S.LEADERSHIP] = Section(
        S.LEADERSHIP,
        str(S.LEADERSHIP.label),
        _("Students who led in the library as aides: shifts worked and confirmed, and hours."),
        figures=[
            (_("Student aides who worked a shift"), ld.aides, "people"),
            (_("Shifts worked"), ld.shifts, "int"),
            (_("Aide hours"), ld.hours, "hours"),
        ],
    )
    return sections


# ---------------------------------------------------------------- the district


@dataclass
class DistrictLine:
    school: Any
    figures: dict[str, Any]


DISTRICT_COLUMNS = (
    ("checkouts", "int"),
    ("renewals", "int"),
    ("visits", "people"),
    ("added", "int"),
    ("weeded", "int"),
    ("copies", "int"),
    ("collaborations", "int"),
    ("teachers", "people"),
    ("sessions", "int"),
    ("pd_hours", "hours"),
    ("programs", "int"),
    ("program_attendance", "people"),
    ("aides", "people"),
    ("aide_hours", "hours"),
)


def district_labels() -> dict[str, str]:
    return {
        "checkouts": _("Check-outs"),
        "renewals": _("Renewals"),
        "visits": _("Visits"),
        "added": _("Copies added"),
        "weeded": _("Copies weeded"),
        "copies": _("Copies on 30 June"),
        "collaborations": _("Collaborations"),
        "teachers": _("Teachers reached"),
        "sessions": _("Professional learning sessions"),
        "pd_hours": _("Hours credited"),
        "programs": _("Programs and events"),
        "program_attendance": _("Program attendance"),
        "aides": _("Student aides"),
        "aide_hours": _("Aide hours"),
    }


def school_key_figures(school: Any, year_label: str) -> dict[str, Any]:
    """One school's line of the district roll-up, through the same selectors."""
    from shelfwise.circulation.selectors import circulation_between
    from shelfwise.collection.change import collection_change
    from shelfwise.instruction.selectors import collaboration_reach
    from shelfwise.learning.selectors import year_totals
    from shelfwise.programs.selectors import visit_counts

    start, end = parse_year(year_label)
    circulation = circulation_between(school=school, start=start, end=end)
    change = collection_change(school_ids=[school.pk], start=start, end=end)
    reach = collaboration_reach(school=school, start=start, end=end)
    learning = year_totals(school=school, school_year=year_label)
    programs = _programs(school, start, end)
    leadership = _leadership(school, start, end)
    return {
        "checkouts": circulation.checkouts,
        "renewals": circulation.renewals,
        "visits": visit_counts(school=school, start=start, end=end - timedelta(days=1))["total"],
        "added": change.added,
        "weeded": change.withdrawn,
        "copies": change.size_end,
        "collaborations": reach.collaborations,
        "teachers": len(reach.teachers),
        "sessions": learning["sessions"],
        "pd_hours": learning["hours"],
        "programs": programs.count,
        "program_attendance": programs.attendance,
        "aides": leadership.aides,
        "aide_hours": Decimal(str(leadership.hours)),
    }


@dataclass
class DistrictReport:
    year: str
    lines: list[DistrictLine]
    totals: dict[str, Any]

    def table(self) -> Table:
        labels = district_labels()
        columns = [Column(_("School"))] + [
            Column(labels[key], kind) for key, kind in DISTRICT_COLUMNS
        ]
        rows = [
            [line.school.name] + [line.figures[key] for key, _k in DISTRICT_COLUMNS]
            for line in self.lines
        ]
        rows.append([_("All schools")] + [self.totals[key] for key, _k in DISTRICT_COLUMNS])
        return Table("district", _("The year in every school of the district"), columns, rows)


def district_report(year_label: str, schools: Any = None) -> DistrictReport:
    """Each school's key figures and their sums. Decision: the sums add the schools'
    lines, so a teacher reached by two schools counts twice, as they were twice reached."""
    from shelfwise.schools.models import School

    parse_year(year_label)
    schools = list(schools if schools is not None else School.objects.order_by("name"))
    lines = [DistrictLine(school=s, figures=school_key_figures(s, year_label)) for s in schools]
    totals = {
        key: sum((line.figures[key] for line in lines), Decimal(0) if kind == "hours" else 0)
        for key, kind in DISTRICT_COLUMNS
    }
    return DistrictReport(year=year_label, lines=lines, totals=totals)
