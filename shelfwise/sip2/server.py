"""The SIP2 TCP server: asyncio for the sockets, a thread pool for the database.

Decision: one database thread a process by default, and more processes for
more cores. Threads of one process take turns on the GIL, and a kiosk write
holds the write lock across processes (`lib/write_queue.py`) while its thread
waits for its turn: `bench sip2` (2 processes, offered 500 messages/s, 15 s)
gave checkout p95 30.6 ms and a capacity of 696 messages/s with 2 threads a
process, 22.2 ms and 878 a second with one. The price: a slow message (an
Argon2 PIN check) holds up the other kiosks of its process for its length.

One task per connection reads messages (CR, CR LF or LF ends one), parses them
with `protocol`, runs `handlers.dispatch` in the pool and writes the reply. It
bounds everything a peer can make it hold or wait for: a message's size, the
silence before the next one, the errors in a row, the connections of one kiosk
account. Whatever a peer sends, the worst outcome is a 96 or a closed
connection; other connections never notice.

Logs carry the kiosk account's id, message codes and timings; never a
password or PIN: AC, AD and CO are masked before any message text is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, connection

from shelfwise.sip2 import protocol as p
from shelfwise.sip2.handlers import dispatch
from shelfwise.sip2.session import Refused, Reply, Session

log = logging.getLogger("shelfwise.sip2")

MAX_MESSAGE = 4096  # bytes before a terminator; real SIP2 messages are a few hundred
IDLE_TIMEOUT = 120.0  # seconds of silence before the server hangs up
WRITE_TIMEOUT = 10.0
MAX_ERRORS = 5  # unreadable messages in a row before the server hangs up
_SECRET = re.compile(rb"(AC|AD|CO)[^|]*")
_TERMINATORS = re.compile(rb"[\r\n]")


def masked(raw: bytes, limit: int = 160) -> str:
    """A message fit for a log: secrets blanked, cut short, undecodable bytes escaped."""
    text = _SECRET.sub(rb"\1***", raw[:limit]).decode("ascii", "backslashreplace")
    return text + ("…" if len(raw) > limit else "")


class ConnectionCounts:
    """Open connections per kiosk account, to cap them (one process)."""

    def __init__(self) -> None:
        self._counts: Counter[int] = Counter()

    def acquire(self, kiosk_id: int, cap: int) -> bool:
        if self._counts[kiosk_id] >= cap:
            return False
        self._counts[kiosk_id] += 1
        return True

    def release(self, kiosk_id: int) -> None:
        self._counts[kiosk_id] -= 1
        if self._counts[kiosk_id] <= 0:
            del self._counts[kiosk_id]


class SharedConnectionCounts(ConnectionCounts):
    """The same across worker processes: a dict and a lock from a multiprocessing Manager."""

    def __init__(self, counts, lock) -> None:
        self._counts, self._lock = counts, lock

    def acquire(self, kiosk_id: int, cap: int) -> bool:
        with self._lock:
            now = self._counts.get(kiosk_id, 0)
            if now >= cap:
                return False
            self._counts[kiosk_id] = now + 1
            return True

    def release(self, kiosk_id: int) -> None:
        try:
            with self._lock:
                now = self._counts.get(kiosk_id, 0) - 1
                if now <= 0:
                    self._counts.pop(kiosk_id, None)
                else:
                    self._counts[kiosk_id] = now
        except (OSError, EOFError):
            pass  # shutting down: the manager went first


class Sip2Server:
    """Listens on host:port, or (`handoff`) serves the connections another process
    accepted and passed over a Unix socket (`shelfwise sip2 --processes N`)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 6001,
        *,
        workers: int = 1,
        max_message: int = MAX_MESSAGE,
        idle_timeout: float = IDLE_TIMEOUT,
        on_reply: Callable[[str, str, float], None] | None = None,
        handoff: socket.socket | None = None,
        on_closed: Callable[[], None] | None = None,
        counts: ConnectionCounts | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.max_message = max_message
        self.idle_timeout = idle_timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sip2-db")
        self.counts = counts or ConnectionCounts()
        self.handoff = handoff
        self.on_closed = on_closed  # after each handed-over connection ends
        self.on_reply = on_reply
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        if self.handoff is not None:
            self.handoff.setblocking(False)
            asyncio.get_running_loop().add_reader(self.handoff.fileno(), self._take_handed)
            return
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("SIP2 server listening on %s:%s", self.host, self.port)

    async def serve_forever(self) -> None:
        if self.handoff is not None:
            await self.start()  # again is harmless: add_reader replaces its own entry
            await asyncio.Event().wait()  # handed connections arrive until cancelled
            return
        if self._server is None:
            await self.start()
        async with self._server:
            await self._server.serve_forever()

    def _take_handed(self) -> None:
        """A connection the accepting process passed over: serve it like an accepted one."""
        try:
            _data, fds, _flags, _address = socket.recv_fds(self.handoff, 1, 1)
        except BlockingIOError:
            return
        if not fds:  # the accepting process is gone: nothing more will come
            asyncio.get_running_loop().remove_reader(self.handoff.fileno())
            return
        conn = socket.socket(fileno=fds[0])
        conn.setblocking(False)
        log.info("process %s took a connection from %s", os.getpid(), conn.getpeername())
        asyncio.get_running_loop().create_task(self._serve_handed(conn))

    async def _serve_handed(self, conn: socket.socket) -> None:
        try:
            reader, writer = await asyncio.open_connection(sock=conn)
            await self._serve(reader, writer)
        finally:
            if self.on_closed is not None:
                self.on_closed()

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        if self.handoff is not None:
            loop.remove_reader(self.handoff.fileno())
        if self._server is not None:
            self._server.close()
        # Open connections end too (Python 3.11's wait_closed does not wait for them).
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        await loop.run_in_executor(None, self._close_pool)

    def _close_pool(self) -> None:
        # Each worker thread holds its own database connection: close them there.
        # The barrier makes every task run on a thread of its own, so all are reached.
        size = self.pool._max_workers
        barrier = threading.Barrier(size)
        futures = [self.pool.submit(_close_connection, barrier) for _ in range(size)]
        for future in futures:
            future.result()
        self.pool.shutdown(wait=True)

    # --- one connection -------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session()
        task = asyncio.current_task()
        self._tasks.add(task)
        peer = writer.get_extra_info("peername")
        counted: int | None = None
        errors = 0
        try:
            async for raw in self._messages(reader, writer, session):
                started = time.perf_counter()
                reply, close, code = await self._answer(session, raw)
                if reply is None:
                    break
                if code == "96":
                    errors += 1
                    close = close or errors >= MAX_ERRORS
                else:
                    errors = 0
                if code == "94" and session.kiosk is not None and counted is None:
                    # The cap is per kiosk account, across all of the server's connections.
                    kiosk = session.kiosk
                    if not self.counts.acquire(kiosk.pk, kiosk.max_connections):
                        log.warning(
                            "kiosk=%s refused: %s connections open", kiosk.pk, kiosk.max_connections
                        )
                        session.kiosk = None
                        reply = p.build("94", {"ok": "0"}, sequence=None)
                        close = True
                    else:
                        counted = kiosk.pk
                writer.write(reply)
                await asyncio.wait_for(writer.drain(), WRITE_TIMEOUT)
                elapsed = (time.perf_counter() - started) * 1000
                log.info(
                    "kiosk=%s %s->%s %.1fms",
                    session.kiosk.pk if session.kiosk else "-",
                    raw[:2].decode("ascii", "replace"),
                    code,
                    elapsed,
                )
                if self.on_reply is not None:
                    self.on_reply(raw[:2].decode("ascii", "replace"), code, elapsed)
                if close:
                    break
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass  # the peer went away or stopped reading: nothing to answer
        except asyncio.CancelledError:
            pass  # the server is closing: this connection ends with it
        except Exception:
            log.exception("kiosk=%s connection failed", session.kiosk.pk if session.kiosk else "-")
        finally:
            self._tasks.discard(task)
            if counted is not None:
                self.counts.release(counted)
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 1)
            log.debug("connection from %s closed", peer)

    async def _messages(self, reader, writer, session: Session):
        """Complete messages from the peer, terminators stripped; stops on silence or EOF."""
        buffer = bytearray()
        while True:
            found = _TERMINATORS.search(buffer)
            if found is not None:
                line = bytes(buffer[: found.start()])
                del buffer[: found.end()]
                if line:  # the LF of a CR LF, or blank lines: nothing to answer
                    yield line
                continue
            if len(buffer) > self.max_message:
                log.warning(
                    "kiosk=%s message over %s bytes: hanging up",
                    session.kiosk.pk if session.kiosk else "-",
                    self.max_message,
                )
                writer.write(p.build("96"))
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer.drain(), 1)
                return
            try:
                chunk = await asyncio.wait_for(reader.read(65536), self.idle_timeout)
            except TimeoutError:
                log.info("kiosk=%s idle: hanging up", session.kiosk.pk if session.kiosk else "-")
                return
            if not chunk:
                return  # EOF; a message cut short by it is dropped, never acted on
            buffer += chunk

    async def _answer(self, session: Session, raw: bytes) -> tuple[bytes | None, bool, str]:
        """(reply bytes or None to hang up, close after replying, reply code)."""
        try:
            message = p.parse(raw)
        except p.ProtocolError as exc:
            kiosk = session.kiosk.pk if session.kiosk else "-"
            log.warning("kiosk=%s unreadable message (%s): %s", kiosk, exc, masked(raw))
            detection = raw[-6:-4] == b"AZ"
            return p.build("96", error_detection=detection), False, "96"
        if message.code == "97":
            if session.kiosk is None:
                return None, True, ""
            return session.last_reply or p.build("96"), False, "97"
        loop = asyncio.get_running_loop()
        try:
            reply: Reply = await loop.run_in_executor(self.pool, _run, session, message)
        except Refused:
            log.warning("message %s before login: hanging up", message.code)
            return None, True, ""
        except Exception:
            log.exception(
                "kiosk=%s %s failed", session.kiosk.pk if session.kiosk else "-", message.code
            )
            return p.build("96", error_detection=message.checksum is not None), False, "96"
        data = p.build(
            reply.code,
            reply.fixed,
            reply.fields,
            sequence=message.sequence,
            error_detection=message.checksum is not None,
        )
        if reply.code != "96":
            session.last_reply = data
        return data, reply.close, reply.code


def _run(session: Session, message: p.Message) -> Reply:
    """In a pool thread (each keeps its own database connection between messages)."""
    try:
        return dispatch(session, message)
    except DatabaseError:
        connection.close()  # a broken connection is not reused by the next message
        raise


def _close_connection(barrier: threading.Barrier) -> None:
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=10)
    connection.close()  # resolved in the calling thread: that thread's own connection
