"""The annual report (and the district roll-up) as PDF, with ReportLab.

The same `AnnualReport` the page shows, with the same tables and charts.

Decision: charts in the PDF are ReportLab's own vector bar charts
(reportlab.graphics), not matplotlib images: the PDF keeps the bars sharp at
any zoom and its labels as real, searchable text in the fonts the rest of
the document uses (people.cards: DejaVu Sans when present, Arabic shaped and
in visual order), and the web page keeps its matplotlib SVG. Both draw the
same labels and series from the report's `Chart` objects, beside the same
table of numbers.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from shelfwise.collection.charts import COLOURS
from shelfwise.people.cards import display_text, font_for
from shelfwise.reports.annual import AnnualReport, Chart, DistrictReport, Section, shown_rows

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.7 * inch
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#454545")
RULE = colors.HexColor("#8a8a8a")
HEAD = colors.HexColor("#e8eef5")


def _style(size: float, *, bold: bool = False, colour=INK, after: float = 4) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}", fontSize=size, leading=size * 1.3, textColor=colour, spaceAfter=after
    )


def _p(text: str, size: float = 10, *, bold: bool = False, colour=INK, after: float = 4):
    """A paragraph in a font that has the text's script, Arabic shaped."""
    text = str(text)
    style = _style(size, bold=bold, colour=colour, after=after)
    style.fontName = font_for(text, bold=bold)
    return Paragraph(escape(display_text(text)), style)


def _widths(columns: int, width: float) -> list[float]:
    """The first column (names) a little wider than the figures after it."""
    if columns == 1:
        return [width]
    first = min(width * 0.3, width * 2 / (columns + 1))
    return [first] + [(width - first) / (columns - 1)] * (columns - 1)


def _table(table, shown: list[list[tuple[str, str]]], width: float = FRAME_WIDTH) -> Table:
    head = [_p(c.label, 8, bold=True, after=0) for c in table.columns]
    body = [[_p(text, 8, after=0) for text, _kind in row] for row in shown]
    if not body:
        body = [[_p(_("Nothing to show."), 8, after=0)] + [""] * (len(head) - 1)]
    flow = Table([head, *body], colWidths=_widths(len(head), width), repeatRows=1, hAlign="LEFT")
    flow.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return KeepTogether([_p(table.caption, 9, bold=True), flow, Spacer(1, 8)])


def _chart(chart: Chart) -> list:
    """A grouped bar chart of the same labels and series as the page's SVG."""
    height = 2.4 * inch
    drawing = Drawing(FRAME_WIDTH, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 40, 40
    bars.width, bars.height = FRAME_WIDTH - 60, height - 60
    bars.data = [[float(v or 0) for v in values] for _name, values in chart.series] or [[0]]
    bars.categoryAxis.categoryNames = [display_text(label) for label in chart.labels] or [""]
    label_font = font_for(" ".join(chart.labels) or "x")
    bars.categoryAxis.labels.fontName = label_font
    bars.categoryAxis.labels.fontSize = 7
    if len(chart.labels) > 6:
        bars.categoryAxis.labels.angle = 30
        bars.categoryAxis.labels.boxAnchor = "ne"
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labels.fontName = font_for("0")
    bars.valueAxis.labels.fontSize = 7
    for n in range(len(bars.data)):
        bars.bars[n].fillColor = colors.HexColor(COLOURS[n % len(COLOURS)])
        bars.bars[n].strokeColor = INK
        bars.bars[n].strokeWidth = 0.3
    drawing.add(bars)
    if len(chart.series) > 1:
        legend = Legend()
        legend.x, legend.y = 50, height - 8
        legend.columnMaximum = 1
        legend.fontName = font_for(" ".join(name for name, _v in chart.series))
        legend.fontSize = 7
        legend.alignment = "right"
        legend.colorNamePairs = [
            (colors.HexColor(COLOURS[n % len(COLOURS)]), display_text(str(name)))
            for n, (name, _v) in enumerate(chart.series)
        ]
        legend.deltay = 9
        drawing.add(legend)
    return [
        KeepTogether(
            [
                _p(chart.title, 9, bold=True),
                drawing,
                _p(_("Text alternative:") + " " + chart.summary, 8, colour=MUTED),
            ]
        ),
        _table(chart.table, shown_rows(chart.table)),
    ]


def _section(section: Section) -> list:
    flow: list = [_p(section.title, 13, bold=True, after=2)]
    if section.intro:
        flow.append(_p(section.intro, 9, colour=MUTED))
    if section.narrative:
        flow.extend(_p(part, 10) for part in section.narrative.split("\n\n") if part.strip())
    if section.figures:
        figures = Table(
            [[_p(label, 9, after=0), _p(value, 9, bold=True, after=0)]
             for label, value in section.figures_shown],
            colWidths=[FRAME_WIDTH * 0.6, FRAME_WIDTH * 0.2],
            hAlign="LEFT",
        )  # fmt: skip
        figures.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        flow += [figures, Spacer(1, 6)]
    # The heading stays with its introduction and key figures (no orphaned heading).
    flow = [KeepTogether(flow)]
    for chart in section.charts:
        flow += _chart(chart)
    shown_in_charts = {id(chart.table) for chart in section.charts}
    for table in section.tables:
        if id(table) not in shown_in_charts:
            flow.append(_table(table, shown_rows(table)))
    for note in section.notes:
        flow.append(_p(note, 8, colour=MUTED))
    flow.append(Spacer(1, 10))
    return flow


def _document(title: str, author: str, flow: list, pagesize=letter) -> bytes:
    buffer = io.BytesIO()
    page_width = pagesize[0]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator="Shelfwise",
    )

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        text = display_text(f"{title} · {doc_.page}")
        canvas.setFont(font_for(text), 8)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(page_width / 2, MARGIN / 2, text)
        canvas.restoreState()

    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def annual_report_pdf(report: AnnualReport) -> bytes:
    school = report.school.name
    title = _("Annual report %(year)s · %(school)s") % {"year": report.year, "school": school}
    flow: list = [
        _p(school, 12, colour=MUTED),
        _p(_("Library annual report %(year)s") % {"year": report.year}, 20, bold=True),
        _p(
            _("The school year from %(start)s to %(end)s. Produced %(today)s.")
            % {
                "start": formats.date_format(report.start, "DATE_FORMAT"),
                "end": formats.date_format(report.last_day, "DATE_FORMAT"),
                "today": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
            },
            9,
            colour=MUTED,
        ),
        _p(
            _(
                "No one is named in this report. Counts of people from 1 to 4 are shown "
                "as “<5”, and feedback averages only from 5 answers."
            ),
            9,
            colour=MUTED,
            after=10,
        ),
    ]
    if report.introduction:
        flow.extend(_p(part, 10) for part in report.introduction.split("\n\n") if part.strip())
    for letter_, heading, sections in report.real():
        flow.append(_p(f"{letter_} · {heading}", 16, bold=True, after=6))
        for section in sections:
            flow += _section(section)
    return _document(title, school, flow)


def district_report_pdf(report: DistrictReport) -> bytes:
    title = _("District roll-up %(year)s") % {"year": report.year}
    table = report.table()
    flow = [
        _p(title, 18, bold=True),
        _p(
            _(
                "Each school's annual figures and their sum. Counts of people from 1 to 4 "
                "are shown as “<5”."
            ),
            9,
            colour=MUTED,
            after=10,
        ),
        _table(table, shown_rows(table), width=landscape(letter)[0] - 2 * MARGIN),
    ]
    return _document(title, "Shelfwise", flow, pagesize=landscape(letter))
