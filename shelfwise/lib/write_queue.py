"""SQLite writers queued on a kernel lock, instead of polling for the database's.

SQLite has one writer at a time, and a writer that finds the database locked
does not wake when it frees: its busy handler sleeps in steps of 1, 2, 5 …
100 ms and tries again. With 8 database threads a SIP2 process, that polling,
not the work, was most of a check-out's p95 and its one-second p99 (`bench
sip2`). A thread lock and a kernel file lock (flock wakes the next waiter as
soon as the holder lets go) queue the writers instead. PostgreSQL locks rows
and needs none of this.

`write_transaction()` is `transaction.atomic()` with that queue in front, for
the circulation writes every desk and kiosk makes (check-out, check-in,
renew, holds, a copy's status). The lock is held for the transaction alone:
a kiosk's reads before it (reader, copy, policies) and its reply after it run
beside the other writers. Decision: a caller already inside a transaction
does not queue: it holds SQLite's write lock already (transactions begin
IMMEDIATE), and waiting for the queue there could keep the queue's holder
waiting on that lock in turn.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

LOCK_SUFFIX = ".writes"  # the lock file: the database's path and this


class _WriteQueue:
    def __init__(self) -> None:
        self._thread_lock = threading.Lock()
        self._file = None
        self._pid = 0

    def _lock_file(self):
        """This process's own open lock file beside the database (flock locks belong to
        an open file: one inherited over fork would not keep the processes apart)."""
        name = str(connection.settings_dict["NAME"])
        if connection.is_in_memory_db() or name.startswith("file:"):
            return None  # an in-memory database lives in one process: the thread lock does
        if self._file is None or self._pid != os.getpid():
            self._file = open(name + LOCK_SUFFIX, "a+b")  # noqa: SIM115
            self._pid = os.getpid()
        return self._file

    @contextmanager
    def turn(self) -> Iterator[None]:
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            yield
            return
        with self._thread_lock:
            lock_file = self._lock_file()
            if lock_file is None:
                yield
                return
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)


_queue = _WriteQueue()


@contextmanager
def write_transaction() -> Iterator[None]:
    """`transaction.atomic()`, after the writers before it on SQLite."""
    with _queue.turn(), transaction.atomic():
        yield
