"""`shelfwise sip2 [--host 127.0.0.1] [--port 6001] [--processes N]`: the SIP2 server.

With `--processes N` (N > 1), N worker processes share one listening socket
(the kernel hands each new connection to one of them), so that the server
uses more than one core; the per-kiosk connection cap is kept across them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shelfwise.sip2.server import IDLE_TIMEOUT, SharedConnectionCounts, Sip2Server


class Command(BaseCommand):
    help = "Serve SIP2 (3M Standard Interchange Protocol 2.00) to self-check kiosks over TCP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=6001)
        parser.add_argument(
            "--processes", type=int, default=1, help="worker processes sharing the port"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="threads doing the database work, a process (1: more only queue on the "
            "GIL; use --processes for more cores)",
        )
        parser.add_argument(
            "--idle-timeout",
            type=float,
            default=IDLE_TIMEOUT,
            help="seconds of silence before a connection is closed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["processes"] <= 1:
            asyncio.run(_serve(options))
            return
        listener = socket.create_server((options["host"], options["port"]), backlog=512)
        self.stdout.write(
            f"SIP2 server on {options['host']}:{listener.getsockname()[1]}, "
            f"{options['processes']} processes"
        )
        context = multiprocessing.get_context("fork")
        manager = context.Manager()
        shared = (manager.dict(), manager.Lock())
        children = [
            context.Process(target=_child, args=(listener, options, shared), daemon=True)
            for _ in range(options["processes"])
        ]
        for child in children:
            child.start()
        stop = [False]

        def on_signal(*_: Any) -> None:
            stop[0] = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            while not stop[0] and all(child.is_alive() for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.is_alive():
                    child.terminate()
            for child in children:
                child.join(10)
            manager.shutdown()


def _child(listener: socket.socket, options: dict[str, Any], shared: tuple) -> None:
    asyncio.run(_serve(options, sock=listener, counts=SharedConnectionCounts(*shared)))


async def _serve(options: dict[str, Any], **kwargs: Any) -> None:
    server = Sip2Server(
        options["host"],
        options["port"],
        workers=options["workers"],
        idle_timeout=options["idle_timeout"],
        **kwargs,
    )
    await server.start()
    if "sock" not in kwargs:
        print(f"SIP2 server on {options['host']}:{server.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    serving = asyncio.create_task(server.serve_forever())
    await stop.wait()
    serving.cancel()
    await server.close()
