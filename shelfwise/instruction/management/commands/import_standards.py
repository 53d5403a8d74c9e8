"""`shelfwise import-standards FILE.csv`: load or update a standards framework."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.instruction.standards import NotStandardsFileError, standards_import


class Command(BaseCommand):
    help = (
        "Load standards from a CSV (columns: framework, framework_name, code, parent, level, "
        "name, description, grade_band, subject). Broken rows are listed; the rest land."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        try:
            result = standards_import(path=path)
        except (OSError, NotStandardsFileError) as exc:
            raise CommandError(f"{path}: {exc}. Nothing was changed.") from exc
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, rejected {len(result.errors)}"
        )
        for line, reason in result.errors:
            self.stdout.write(f"  REJECTED: line {line}: {reason}")
