"""`shelfwise sip2 [--host 127.0.0.1] [--port 6001] [--processes N]`: the SIP2 server.

With `--processes N` (N > 1), N worker processes serve the connections so
that the server uses more than one core; the per-kiosk connection cap is kept
across them. This process accepts every connection and passes it (its file
descriptor, over a Unix socket) to the worker with the fewest open.

Decision: hand-over, not a listening socket shared by the workers. With a
shared socket the kernel wakes every worker and the first one accepts all
that wait: `bench sip2` found 20 kiosks connecting at once all in one worker
(13,705 messages against 987 in another run), which then queued them on its
single database thread while the other core idled. SO_REUSEPORT spreads by
a hash of the address, not by load (20 connections split 14/6 one time in
nine). Kiosks stay connected for hours, so where one lands is what counts.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import socket
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
        count = options["processes"]
        context = multiprocessing.get_context("fork")
        manager = context.Manager()
        shared = (manager.dict(), manager.Lock())
        closed = context.Array("q", count, lock=False)  # slot i: written by worker i only
        pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(count)]
        ours = [pair[0] for pair in pairs]
        children = [
            context.Process(
                target=_child, args=(theirs, index, closed, options, shared, ours), daemon=True
            )
            for index, (_ours, theirs) in enumerate(pairs)
        ]
        for child in children:
            child.start()
        for _ours, theirs in pairs:
            theirs.close()
        stop = [False]

        def on_signal(*_: Any) -> None:
            stop[0] = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        handed = [0] * count
        try:
            listener = socket.create_server((options["host"], options["port"]), backlog=512)
            listener.settimeout(0.5)
            self.stdout.write(
                f"SIP2 server on {options['host']}:{listener.getsockname()[1]}, {count} processes"
            )
            with listener:
                while not stop[0] and all(child.is_alive() for child in children):
                    try:
                        conn, _address = listener.accept()
                    except TimeoutError:
                        continue
                    with conn:
                        index = min(range(count), key=lambda i: handed[i] - closed[i])
                        socket.send_fds(ours[index], [b"c"], [conn.fileno()])
                        handed[index] += 1
        finally:
            for child in children:
                if child.is_alive():
                    child.terminate()
            for child in children:
                child.join(10)
            manager.shutdown()


def _child(
    channel: socket.socket,
    index: int,
    closed: Any,
    options: dict[str, Any],
    shared: tuple,
    parents: list[socket.socket],
) -> None:
    for end in parents:
        end.close()  # the accepting process's ends: its exit must read as EOF here

    def on_closed() -> None:
        closed[index] += 1

    asyncio.run(
        _serve(
            options, handoff=channel, on_closed=on_closed, counts=SharedConnectionCounts(*shared)
        )
    )


async def _serve(options: dict[str, Any], **kwargs: Any) -> None:
    server = Sip2Server(
        options["host"],
        options["port"],
        workers=options["workers"],
        idle_timeout=options["idle_timeout"],
        **kwargs,
    )
    await server.start()
    if "handoff" not in kwargs:
        print(f"SIP2 server on {options['host']}:{server.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    serving = asyncio.create_task(server.serve_forever())
    await stop.wait()
    serving.cancel()
    await server.close()
