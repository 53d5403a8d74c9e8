"""The annual report as HTML: the view-model both the web page and `shelfwise annual-report
--format html` render, with each chart as matplotlib SVG beside its text alternative and
its table of the same numbers."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from shelfwise.collection.charts import bar_chart_svg, svg_data_uri
from shelfwise.reports.annual import AnnualReport, Chart, DistrictReport, Section, shown_rows


def chart_uri(chart: Chart) -> str:
    svg = bar_chart_svg(
        labels=chart.labels,
        series=chart.series,
        ylabel=chart.ylabel,
        rtl=translation.get_language_bidi(),
    )
    return svg_data_uri(svg)


def _section(section: Section) -> dict[str, Any]:
    in_charts = {id(chart.table) for chart in section.charts}
    return {
        "section": section,
        "charts": [
            {"chart": c, "uri": chart_uri(c), "rows": shown_rows(c.table)} for c in section.charts
        ],
        "tables": [
            {"table": t, "rows": shown_rows(t)} for t in section.tables if id(t) not in in_charts
        ],
    }


def annual_context(report: AnnualReport) -> dict[str, Any]:
    return {
        "report": report,
        "real": [
            {"letter": letter, "heading": heading, "sections": [_section(s) for s in sections]}
            for letter, heading, sections in report.real()
        ],
    }


def district_context(report: DistrictReport) -> dict[str, Any]:
    table = report.table()
    return {"district": report, "table": table, "rows": shown_rows(table)}


def annual_document(report: AnnualReport) -> str:
    """A standalone HTML document of the report (no request, nothing to edit)."""
    return render_to_string(
        "reports/annual_document.html",
        {**annual_context(report), "standalone": True, "lang": translation.get_language()},
    )


def district_document(report: DistrictReport) -> str:
    return render_to_string(
        "reports/district_document.html",
        {**district_context(report), "standalone": True, "lang": translation.get_language()},
    )
