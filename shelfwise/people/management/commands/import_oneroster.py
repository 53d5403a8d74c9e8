"""`shelfwise import-oneroster PATH`: a OneRoster 1.1 CSV zip or folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.oneroster import NotOneRosterError
from shelfwise.people.rostering import roster_import


class Command(BaseCommand):
    help = "Create or update schools, people, classes and enrollments from a OneRoster set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            job = roster_import(path=path)
        except NotOneRosterError as exc:
            raise CommandError(
                f"{path} is not a OneRoster set: {exc} Nothing was changed."
            ) from exc
        w = self.stdout.write
        w(
            f"{job.filename}: "
            + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(job.counts.items()))
        )
        for warning in job.warnings:
            w(f"  warning: {warning}")
        for issue in job.issues.all():
            where = f"{issue.file}" + (f" line {issue.line}" if issue.line else "")
            label = "REJECTED" if issue.kind == "rejected" else "LOANS OUT"
            ident = f" [{issue.sourced_id}]" if issue.sourced_id else ""
            w(f"  {label}: {where}{ident}: {issue.message}")
