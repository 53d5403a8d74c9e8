"""Internal: the timed half of `shelfwise bench reports`, run in a fresh database."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "(internal) build a district and time the collection reports; figures as JSON"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=25)
        parser.add_argument("--items", type=int, default=40_000)
        parser.add_argument("--students", type=int, default=1_000)

    def handle(self, *args: Any, **options: Any) -> None:
        from shelfwise.core.bench.reports import build, time_reports
        from shelfwise.schools.models import School

        started = time.perf_counter()
        built = build(
            schools=options["schools"], items=options["items"], students=options["students"]
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        build_seconds = time.perf_counter() - started
        ids = built.pop("school_ids")
        school = School.objects.get(pk=ids[0])
        result = {
            **built,
            "vendor": connection.vendor,
            "build_seconds": build_seconds,
            "school": time_reports([school.pk], school=school),
            "district": time_reports(ids, school=school),
        }
        self.stdout.write(json.dumps(result))
