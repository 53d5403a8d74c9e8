"""`shelfwise export-marc --school CODE --format iso2709|marcxml -o FILE`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.catalog.exporting import marc_export
from shelfwise.schools.models import School


class Command(BaseCommand):
    help = "Export every record with the school's copies (as 852 holdings) to a MARC file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True)
        parser.add_argument("--format", choices=["iso2709", "marcxml"], default="iso2709")
        parser.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            school = School.objects.get(code=options["school"])
        except School.DoesNotExist:
            raise CommandError(f"No school with code {options['school']!r}.") from None
        if options["output"] == "-":
            count = marc_export(school=school, stream=sys.stdout.buffer, fmt=options["format"])
        else:
            target = Path(options["output"])
            # Write beside the target and rename, so a failed export never
            # leaves a half-written file under the real name.
            fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=".export-")
            try:
                with os.fdopen(fd, "wb") as stream:
                    count = marc_export(school=school, stream=stream, fmt=options["format"])
                os.replace(tmp, target)
            except BaseException:
                os.unlink(tmp)
                raise
        self.stderr.write(f"Exported {count} records with {school.code}'s copies.")
