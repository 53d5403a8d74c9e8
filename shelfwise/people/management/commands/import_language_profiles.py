"""`shelfwise import-language-profiles FILE.csv` (for ELL staff)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.people.language_profiles import NotLanguageProfileError, language_profiles_import


class Command(BaseCommand):
    help = "Set students' home languages and English-learner status from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = language_profiles_import(path=options["path"], by=None)
        except (OSError, NotLanguageProfileError) as exc:
            raise CommandError(f"{options['path']}: {exc}. Nothing was changed.") from exc
        self.stdout.write(
            f"updated {result.updated}, unchanged {result.unchanged}, rejected {len(result.errors)}"
        )
        for line, reason in result.errors:
            self.stdout.write(f"  REJECTED: line {line}: {reason}")
