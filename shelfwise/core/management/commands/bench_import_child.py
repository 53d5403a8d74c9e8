"""Internal: the timed half of `shelfwise bench import`, run in a fresh database."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from shelfwise.catalog.importing import marc_import_file
from shelfwise.core.bench.common import peak_rss_mb
from shelfwise.schools.models import School


class Command(BaseCommand):
    help = "(internal) import a file for the benchmark and print the figures as JSON"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        school, _ = School.objects.get_or_create(code="BENCH", defaults={"name": "Benchmark"})
        started = time.perf_counter()
        job = marc_import_file(path=options["path"], school=school)
        seconds = time.perf_counter() - started
        self.stdout.write(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "records": job.created + job.updated + job.unchanged,
                    "rejected": job.rejected,
                    "items": job.items_created + job.items_updated,
                    "seconds": seconds,
                    "peak_mb": peak_rss_mb(),
                }
            )
        )
