"""The collection reports as tables (for the page and the CSV) and a chart, built from
the selectors' numbers, so that page, chart, text alternative and CSV agree."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shelfwise.collection import selectors


@dataclass
class Column:
    label: str
    kind: str = "text"  # text | int | share | dec | year


@dataclass
class Table:
    slug: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Report:
    slug: str
    title: str
    intro: str
    tables: list[Table]
    chart_labels: list[str]
    chart_series: list[tuple[str, list[float]]]
    chart_ylabel: str
    summary: str


def fmt(value: Any, kind: str) -> str:
    """A cell as the page shows it, in the active locale."""
    if value is None or value == "":
        return "—"
    if kind == "share":
        return number_format(round(value * 100, 1), decimal_pos=1) + " %"
    if kind == "dec":
        return number_format(value, decimal_pos=2)
    if kind == "int":
        return number_format(value, force_grouping=True)
    if kind == "year":
        return number_format(value, decimal_pos=1 if value % 1 else 0)
    return str(value)


def csv_value(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind == "share":
        return round(value, 4)
    if kind == "dec":
        return round(value, 4)
    return value


TITLES = {
    "profile": gettext_lazy("Collection profile"),
    "use": gettext_lazy("Collection use"),
    "languages": gettext_lazy("Home-language coverage"),
    "reading": gettext_lazy("Reading-level coverage"),
}


def profile_report(*, school_ids: Sequence[int], today: datetime.date) -> Report:
    p = selectors.collection_profile(school_ids=school_ids, today=today)
    age_columns = [
        Column(_("Section")),
        Column(_("Titles"), "int"),
        Column(_("Copies"), "int"),
        Column(_("Median year"), "year"),
        Column(_("Older than 10 years"), "share"),
        Column(_("Older than 15 years"), "share"),
    ]
    sections = Table(
        "sections",
        _("Titles, copies and age by Dewey class and section"),
        age_columns,
        [[r.label, r.titles, r.copies, r.median_year, r.older_10, r.older_15] for r in p.rows],
    )
    divisions = Table(
        "divisions",
        _("Titles and copies by Dewey division"),
        [Column(_("Division")), Column(_("Titles"), "int"), Column(_("Copies"), "int")],
        [[r.label, r.titles, r.copies] for r in p.divisions],
    )
    oldest = max(p.rows, key=lambda r: r.older_15 or 0, default=None)
    summary = _(
        "%(copies)s copies of %(titles)s titles for %(students)s students "
        "(%(per)s copies per student); median publication year %(median)s."
    ) % {
        "copies": fmt(p.copies, "int"),
        "titles": fmt(p.titles, "int"),
        "students": fmt(p.students, "int"),
        "per": fmt(p.copies_per_student, "dec"),
        "median": fmt(p.median_year, "year"),
    }
    if oldest and oldest.older_15:
        summary += " " + _("The oldest part is %(section)s: %(share)s older than 15 years.") % {
            "section": oldest.label,
            "share": fmt(oldest.older_15, "share"),
        }
    shown = [r for r in p.rows if r.copies]
    return Report(
        slug="profile",
        title=str(TITLES["profile"]),
        intro=_(
            "What is on the shelf (every copy except withdrawn, lost, missing and on order), "
            "by Dewey class and section, and how old it is."
        ),
        tables=[sections, divisions],
        chart_labels=[r.key for r in shown],
        chart_series=[
            (_("Older than 10 years (%)"), [100 * (r.older_10 or 0) for r in shown]),
            (_("Older than 15 years (%)"), [100 * (r.older_15 or 0) for r in shown]),
        ],
        chart_ylabel=_("Share of copies (%)"),
        summary=summary,
    )


def use_report(
    *,
    school_ids: Sequence[int],
    today: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Report:
    u = selectors.collection_use(school_ids=school_ids, today=today, start=start, end=end)
    columns = [
        Column(_("Section")),
        Column(_("Copies"), "int"),
        Column(_("Check-outs in the period"), "int"),
        Column(_("Circulated in the last year"), "share"),
        Column(_("In the last 2 years"), "share"),
        Column(_("In the last 3 years"), "share"),
        Column(_("Dead zone")),
    ]

    def rows(items):
        return [
            [
                r.label,
                r.copies,
                r.checkouts,
                r.circulated[1],
                r.circulated[2],
                r.circulated[3],
                _("yes") if r.dead else "",
            ]
            for r in items
        ]

    tables = [
        Table("sections", _("Use by Dewey class and section"), columns, rows(u.rows)),
        Table(
            "divisions",
            _("Use by Dewey division"),
            [Column(_("Division")), *columns[1:]],
            rows(u.divisions),
        ),
        Table(
            "formats",
            _("Check-outs by format"),
            [Column(_("Format")), Column(_("Check-outs in the period"), "int")],
            [[label, n] for _code, label, n in u.formats],
        ),
    ]
    dead = ", ".join(r.label for r in u.dead_zones) or _("none")
    summary = _(
        "%(checkouts)s check-outs from %(start)s to %(end)s. Of %(copies)s copies, %(y1)s "
        "circulated in the last year, %(y2)s in two and %(y3)s in three. Dead zones: %(dead)s."
    ) % {
        "checkouts": fmt(u.checkouts, "int"),
        "start": u.start.isoformat(),
        "end": u.end.isoformat(),
        "copies": fmt(u.copies, "int"),
        "y1": fmt(u.circulated[1], "share"),
        "y2": fmt(u.circulated[2], "share"),
        "y3": fmt(u.circulated[3], "share"),
        "dead": dead,
    }
    shown = [r for r in u.rows if r.copies]
    return Report(
        slug="use",
        title=str(TITLES["use"]),
        intro=_(
            "Check-outs in the chosen period (from the anonymous circulation log) and the "
            "share of each part of the collection that circulated recently. A dead zone has "
            "%(min)s copies or more of which under %(share)s circulated in %(years)s years."
        )
        % {
            "min": selectors.DEAD_ZONE_MIN_COPIES,
            "share": fmt(selectors.DEAD_ZONE_SHARE, "share"),
            "years": selectors.DEAD_ZONE_YEARS,
        },
        tables=tables,
        chart_labels=[r.key for r in shown],
        chart_series=[
            (_("Circulated in the last year (%)"), [100 * (r.circulated[1] or 0) for r in shown]),
            (_("In the last 3 years (%)"), [100 * (r.circulated[3] or 0) for r in shown]),
        ],
        chart_ylabel=_("Share of copies (%)"),
        summary=summary,
    )


def language_report(*, coverage: selectors.LanguageCoverage) -> Report:
    c = coverage
    table = Table(
        "languages",
        _("Titles and copies in each home language of the students"),
        [
            Column(_("Language")),
            Column(_("Code")),
            Column(_("Students"), "int"),
            Column(_("English learners"), "int"),
            Column(_("Titles"), "int"),
            Column(_("Copies"), "int"),
            Column(_("Titles per speaker"), "dec"),
            Column(_("Copies per speaker"), "dec"),
            Column(_("Check-outs by the group"), "int"),
            Column(_("Target titles per speaker"), "dec"),
            Column(_("Grade")),
            Column(_("Titles to reach the target"), "int"),
        ],
        [
            [
                r.name,
                r.code,
                r.students,
                r.english_learners,
                r.titles,
                r.copies,
                r.titles_per_speaker,
                r.copies_per_speaker,
                r.checkouts,
                r.target_per_speaker,
                r.grade,
                r.gap_titles,
            ]
            for r in c.rows
        ],
    )
    below = [r for r in c.rows if r.below_target]
    summary = _("%(n)s home languages among %(students)s students.") % {
        "n": len(c.rows),
        "students": fmt(c.students, "int"),
    }
    if below:
        summary += " " + _("Below target: %(list)s.") % {
            "list": "; ".join(
                _("%(name)s, %(per)s titles per speaker, %(gap)s titles short")
                % {"name": r.name, "per": fmt(r.titles_per_speaker, "dec"), "gap": r.gap_titles}
                for r in below
            )
        }
    return Report(
        slug="languages",
        title=str(TITLES["languages"]),
        intro=_(
            "For each home language of the students: how many speak it and are English "
            "learners, the titles and copies in that language (a bilingual title counts for "
            "both of its languages), check-outs by that language group in the last 365 days, "
            "and the distance to the target. Counts only: no student is named."
        ),
        tables=[table],
        chart_labels=[r.name for r in c.rows],
        chart_series=[
            (_("Titles per speaker"), [r.titles_per_speaker or 0 for r in c.rows]),
            (_("Target"), [r.target_per_speaker or 0 for r in c.rows]),
        ],
        chart_ylabel=_("Titles per speaker"),
        summary=summary,
    )


def reading_report(*, school_ids: Sequence[int]) -> Report:
    r = selectors.reading_level_coverage(school_ids=school_ids)
    table = Table(
        "bands",
        _("Copies per reading band against the students in the grades it serves"),
        [
            Column(_("Band")),
            Column(_("Students in these grades"), "int"),
            Column(_("Fiction copies"), "int"),
            Column(_("Fiction copies per student"), "dec"),
            Column(_("Non-fiction copies"), "int"),
            Column(_("Non-fiction copies per student"), "dec"),
        ],
        [
            [
                row.band,
                row.students,
                row.fiction_copies,
                row.fiction_per_student,
                row.nonfiction_copies,
                row.nonfiction_per_student,
            ]
            for row in r.rows
        ],
    )
    summary = _(
        "%(copies)s copies, of which %(unlevelled)s have no reading level. "
        "Per band, fiction and non-fiction copies per student are in the table."
    ) % {"copies": fmt(r.copies, "int"), "unlevelled": fmt(r.unlevelled_copies, "int")}
    return Report(
        slug="reading",
        title=str(TITLES["reading"]),
        intro=_(
            "Copies per reading band (Lexile, reading grade or ATOS, the bands of the catalog "
            "search) against the number of students in the grades each band serves, fiction "
            "and non-fiction apart: grade-level non-fiction is where multilingual learners "
            "are most often under-served. A title in two overlapping bands counts in both."
        ),
        tables=[table],
        chart_labels=[row.band for row in r.rows],
        chart_series=[
            (_("Fiction copies per student"), [row.fiction_per_student or 0 for row in r.rows]),
            (
                _("Non-fiction copies per student"),
                [row.nonfiction_per_student or 0 for row in r.rows],
            ),
        ],
        chart_ylabel=_("Copies per student"),
        summary=summary,
    )


def district_report(*, schools, today: datetime.date) -> Report:
    rows = selectors.district_summary(schools=schools, today=today)
    table = Table(
        "schools",
        _("Schools of the district"),
        [
            Column(_("School")),
            Column(_("Titles"), "int"),
            Column(_("Copies"), "int"),
            Column(_("Students"), "int"),
            Column(_("Copies per student"), "dec"),
            Column(_("Circulated in the last year"), "share"),
        ],
        [
            [s.name, s.titles, s.copies, s.students, s.copies_per_student, s.circulated_1y]
            for s in rows
        ],
    )
    return Report(
        slug="district",
        title=_("District roll-up"),
        intro=_(
            "Each school's collection beside its students. The four reports also open for the "
            "whole district from here."
        ),
        tables=[table],
        chart_labels=[s.name for s in rows],
        chart_series=[(_("Copies per student"), [s.copies_per_student or 0 for s in rows])],
        chart_ylabel=_("Copies per student"),
        summary=_("%(n)s schools, %(copies)s copies.")
        % {"n": len(rows), "copies": fmt(sum(s.copies for s in rows), "int")},
    )
