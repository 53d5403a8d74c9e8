"""`shelfwise import-marc FILE… --school CODE [--dry-run]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.catalog.importing import marc_import_file, sniff_files
from shelfwise.catalog.models import ImportIssue, ImportJob
from shelfwise.schools.models import School


class Command(BaseCommand):
    help = "Import MARC records (ISO 2709, MARCXML or MARC-in-JSON) with their holdings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--school", required=True, help="school code the copies belong to")
        parser.add_argument(
            "--dry-run", action="store_true", help="do everything, report, and change nothing"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            school = School.objects.get(code=options["school"])
        except School.DoesNotExist:
            raise CommandError(f"No school with code {options['school']!r}.") from None
        errors = sniff_files(options["files"])
        if errors:
            for path, error in errors.items():
                self.stderr.write(f"{path}: {error}")
            raise CommandError("Nothing was imported.")
        show_progress = not options["no_progress"] and sys.stderr.isatty()
        for path in options["files"]:
            bar = _progress_bar(path) if show_progress else None
            job = marc_import_file(
                path=path,
                school=school,
                dry_run=options["dry_run"],
                progress=bar.update_job if bar else None,
            )
            if bar:
                bar.close()
            self._summary(job)

    def _summary(self, job: ImportJob) -> None:
        w = self.stdout.write
        w(f"{job.filename}{' (dry run: nothing was changed)' if job.dry_run else ''}")
        w(
            f"  format {job.file_format}; read {job.records_read}, created {job.created}, "
            f"updated {job.updated}, unchanged {job.unchanged}, items created "
            f"{job.items_created}, items updated {job.items_updated}, rejected {job.rejected}"
        )
        if job.decodings:
            w("  decoded as: " + ", ".join(f"{k} {v}" for k, v in sorted(job.decodings.items())))
        for issue in job.issues.order_by("position", "pk"):
            where = f"record {issue.position}"
            if issue.offset is not None:
                where += f" (byte {issue.offset})"
            ident = " ".join(x for x in (issue.control_number, issue.title[:60]) if x)
            label = {
                ImportIssue.Kind.REJECTED: "REJECTED",
                ImportIssue.Kind.DECODED: "decoded",
                ImportIssue.Kind.WARNING: "warning",
            }[issue.kind]
            w(f"  {label}: {where}{' [' + ident + ']' if ident else ''}: {issue.message}")


class _progress_bar:
    def __init__(self, path: Path) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, file=sys.stderr
        )

    def update_job(self, job: ImportJob) -> None:
        self.bar.set_postfix(records=job.records_read, rejected=job.rejected, refresh=False)
        self.bar.update(job.bytes_read - self.bar.n)

    def close(self) -> None:
        self.bar.close()
