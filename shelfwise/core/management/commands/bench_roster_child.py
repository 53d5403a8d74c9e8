"""Internal: the timed half of `shelfwise bench roster`, run in a fresh database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shelfwise.core.bench.roster import roster_child


class Command(BaseCommand):
    help = "(internal) import a roster twice for the benchmark and print the figures as JSON"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(roster_child(options["path"])))
