"""Child process of `shelfwise bench search`: build, index and query; prints one JSON line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Internal: the search benchmark's work on the database DATABASE_URL names."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", type=int, required=True)
        parser.add_argument("--items", type=int, required=True)
        parser.add_argument("--queries", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        from shelfwise.core.bench.search import run

        result = run(records=options["records"], items=options["items"], queries=options["queries"])
        self.stdout.write(json.dumps(result))
