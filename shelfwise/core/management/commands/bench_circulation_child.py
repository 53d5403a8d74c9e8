"""Internal: the database half of `shelfwise bench circulation` (build the fixture, check it)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shelfwise.core.bench.circulation_data import Size, build, check


class Command(BaseCommand):
    help = "(internal) build or check the circulation benchmark's database; prints JSON"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["build", "check"])
        parser.add_argument("--students", type=int, default=0)
        parser.add_argument("--items", type=int, default=0)
        parser.add_argument("--schools", type=int, default=1)
        parser.add_argument("--records", type=int, default=0)
        parser.add_argument("--desks", type=int, default=4)
        parser.add_argument("--latency", type=int, default=0)
        parser.add_argument("--sustained", type=int, default=0)
        parser.add_argument("--checkouts", type=int, default=0)

    def handle(self, *args: Any, **o: Any) -> None:
        if o["step"] == "check":
            result = check(checkouts=o["checkouts"])
        else:
            size = Size(
                students=o["students"], items=o["items"], schools=o["schools"], records=o["records"]
            )
            result = build(
                size=size, desks=o["desks"], latency=o["latency"], sustained=o["sustained"]
            )
        self.stdout.write(json.dumps(result, default=str))
