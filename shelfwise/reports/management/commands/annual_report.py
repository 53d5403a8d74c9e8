"""`shelfwise annual-report --school CODE --year 2026-27 [--format pdf|html] [--output FILE]`,
or `--district` for the roll-up of every school."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from shelfwise.lib.school_years import school_year_bounds
from shelfwise.schools.models import School


class Command(BaseCommand):
    help = (
        "Write a school's annual library report (or, with --district, the district "
        "roll-up) for a school year, as PDF or HTML."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--school", help="the school's code")
        scope.add_argument("--district", action="store_true", help="every school, summed")
        parser.add_argument("--year", required=True, help="a school year such as 2026-27")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument(
            "-o",
            "--output",
            help="file to write, or - for standard output "
            "(default: annual-report-CODE-YEAR.pdf|html here)",
        )
        parser.add_argument("--language", default="en", help="en, es or ar (default en)")

    def handle(self, *args: Any, **options: Any) -> None:
        from shelfwise.reports import annual, annual_html, annual_pdf

        year = options["year"]
        try:
            school_year_bounds(year)
        except ValueError:
            raise CommandError(
                f"{year!r} is not a school year: write it as 2026-27 (July to June)."
            ) from None
        school = None
        if not options["district"]:
            school = School.objects.filter(code=options["school"]).first()
            if school is None:
                known = ", ".join(School.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(
                    f"No school with code {options['school']!r}. Known codes: {known or 'none'}."
                )
        fmt = options["format"]
        with translation.override(options["language"]):
            if school is None:
                report = annual.district_report(year)
                data = (
                    annual_pdf.district_report_pdf(report)
                    if fmt == "pdf"
                    else annual_html.district_document(report).encode("utf-8")
                )
            else:
                report = annual.annual_report(school, year)
                data = (
                    annual_pdf.annual_report_pdf(report)
                    if fmt == "pdf"
                    else annual_html.annual_document(report).encode("utf-8")
                )
        code = school.code if school else "district"
        output = options["output"] or f"annual-report-{code}-{year}.{fmt}"
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        target = Path(output)
        # Written beside the target and renamed: never a half-written report under its name.
        fd, tmp = tempfile.mkstemp(
            dir=target.parent if str(target.parent) else ".", prefix=".report-"
        )
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
        self.stderr.write(f"Wrote the {fmt.upper()} annual report {year} of {code} to {target}.")
