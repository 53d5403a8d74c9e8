"""`shelfwise sip2 [--host 127.0.0.1] [--port 6001]`: the SIP2 server for self-check kiosks."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shelfwise.sip2.server import IDLE_TIMEOUT, Sip2Server


class Command(BaseCommand):
    help = "Serve SIP2 (3M Standard Interchange Protocol 2.00) to self-check kiosks over TCP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=6001)
        parser.add_argument(
            "--workers", type=int, default=8, help="threads doing the database work"
        )
        parser.add_argument(
            "--idle-timeout",
            type=float,
            default=IDLE_TIMEOUT,
            help="seconds of silence before a connection is closed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        asyncio.run(self._run(options))

    async def _run(self, options: dict[str, Any]) -> None:
        server = Sip2Server(
            options["host"],
            options["port"],
            workers=options["workers"],
            idle_timeout=options["idle_timeout"],
        )
        await server.start()
        self.stdout.write(f"SIP2 server on {options['host']}:{server.port}")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        serving = asyncio.create_task(server.serve_forever())
        await stop.wait()
        serving.cancel()
        await server.close()
