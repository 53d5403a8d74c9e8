"""The database-free half of MARC import: read, decode, extract, ready to write.

Import is a two-stage pipeline. This stage turns each record of the file
into column values and holdings (or a rejection); the other stage
(`importing`) matches and writes them. For big files the stages run in
separate processes, so on a 2-core machine parsing and writing overlap: this
stage runs in forked children that never touch the database and hand
batches over pipes. Binary MARC (ISO 2709) is prepared by two children
taking turns batch by batch (splitting the file into records is cheap; each
parses only its own batches), because preparing a record costs more than
writing it; MARCXML and MARC-in-JSON must be parsed to be split, so one
child reads those.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from shelfwise.catalog.marc_fields import record_values
from shelfwise.lib.collector import collected_every
from shelfwise.marc.extract import extract
from shelfwise.marc.holdings import HOLDING_TAGS, Holding, extract_holdings
from shelfwise.marc.reader import ParsedRecord, RejectedRecord, open_marc
from shelfwise.search.indexing import IndexEntry, index_entry

log = logging.getLogger(__name__)

# Files smaller than this are prepared in-process: a fork costs more than it saves.
WORKER_MIN_BYTES = 4 * 1024 * 1024
# Children preparing binary MARC. Two: on a 2-core machine the parent's writes and
# two preparers keep both cores busy (the preparers wait on their pipes when ahead).
PREPARE_WORKERS = 2
COLLECT_EVERY = 20  # batches between garbage collections


@dataclass
class Prepared:
    position: int
    offset: int | None
    encoding: str
    values: dict[str, Any]
    holdings: list[Holding]
    index: IndexEntry
    notes: list[tuple[str, str]] = field(default_factory=list)  # (decoded|warning, message)


Entry = Prepared | RejectedRecord


@dataclass
class PreparedBatch:
    entries: list[Entry]
    bytes_read: int


def storable_as_received(parsed: ParsedRecord, file_format: str) -> bytes | None:
    """The bytes as received when they already are our storage form (clean UTF-8
    ISO 2709 that needed no repair): kept as they came, nothing re-serialised.
    Their holdings stay in them; Items are the truth for copies."""
    raw = parsed.raw
    if (
        file_format == "iso2709"
        and parsed.encoding == "utf-8"
        and not parsed.misdeclared
        and not parsed.warnings
        and raw[9:10] == b"a"
        and len(raw) <= 99_999
        and raw[:5] == b"%05d" % len(raw)
    ):
        return raw
    return None


def prepare(entry: ParsedRecord | RejectedRecord, file_format: str) -> Entry:
    if isinstance(entry, RejectedRecord):
        return entry
    parsed = entry
    try:
        record = parsed.record
        bib = extract(record)
        holdings, holding_warnings = extract_holdings(record)
        for tag in HOLDING_TAGS:
            record.remove_fields(tag)
        values = record_values(
            record,
            bib=bib,
            encoding=parsed.encoding,
            original=parsed.raw,
            stored=storable_as_received(parsed, file_format),
        )
        index = index_entry(values)
    except Exception as exc:  # a record we cannot map is rejected, not fatal
        log.debug("record %s rejected", parsed.position, exc_info=True)
        return RejectedRecord(
            position=parsed.position,
            offset=parsed.offset,
            reason=f"could not be mapped: {type(exc).__name__}: {exc}",
        )
    notes = [("decoded", f"decoded as {parsed.encoding}")] if parsed.misdeclared else []
    notes += [("warning", w) for w in (*parsed.warnings, *bib.warnings, *holding_warnings)]
    return Prepared(
        position=parsed.position,
        offset=parsed.offset,
        encoding=parsed.encoding,
        values=values,
        holdings=holdings,
        index=index,
        notes=notes,
    )


def prepared_batches(
    path: str, *, size: int, worker: bool | None = None
) -> Iterator[PreparedBatch]:
    """Batches of prepared entries from the file at `path`, in file order.

    worker=None decides by file size; True forces the forked children.
    """
    if worker is None:
        worker = os.path.getsize(path) >= WORKER_MIN_BYTES
    if worker and "fork" in multiprocessing.get_all_start_methods():
        with open(path, "rb") as stream:
            binary = open_marc(stream).format == "iso2709"
        return _from_workers(path, size=size, workers=PREPARE_WORKERS if binary else 1)
    return _in_process(path, size=size)


def _in_process(
    path: str, *, size: int, turn: int = 0, workers: int = 1
) -> Iterator[PreparedBatch]:
    """Prepared batches of `size` records; with workers > 1, only batches
    turn, turn + workers, turn + 2 * workers … (the last one possibly empty)."""

    def mine(position: int) -> bool:
        return (position - 1) // size % workers == turn

    with open(path, "rb") as stream:
        reader = open_marc(stream, keep=mine if workers > 1 else None)
        entries: list[Entry] = []
        current = turn
        for entry in reader:
            batch = (entry.position - 1) // size
            if batch != current and entries:
                yield PreparedBatch(entries, reader.bytes_read)
                entries = []
            current = batch
            entries.append(prepare(entry, reader.format))
        yield PreparedBatch(entries, reader.bytes_read)


def _child(path: str, size: int, turn: int, workers: int, conn: Any) -> None:
    # Forked: never touch the parent's database connection, and leave with
    # os._exit so no inherited connection is closed on the parent's behalf.
    code = 0
    try:
        # The import pauses the collector, and this fork inherits the pause.
        batches = _in_process(path, size=size, turn=turn, workers=workers)
        for batch in collected_every(batches, COLLECT_EVERY):
            conn.send(batch)
        conn.send(None)
    except BaseException:  # report everything to the parent, which decides
        code = 1
        # If even this fails the parent sees the pipe close instead.
        with contextlib.suppress(Exception):
            conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()
        os._exit(code)


class PrepareWorkerError(RuntimeError):
    pass


def _from_workers(path: str, *, size: int, workers: int) -> Iterator[PreparedBatch]:
    """Batch n comes from child n % workers: taking them in turn keeps file order."""
    ctx = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for turn in range(workers):
        receive, send = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_child, args=(path, size, turn, workers, send), daemon=True)
        process.start()
        send.close()
        pipes.append(receive)
        processes.append(process)
    try:
        for n in itertools.count():
            try:
                message = pipes[n % workers].recv()
            except EOFError:
                raise PrepareWorkerError("the MARC reading process stopped unexpectedly") from None
            if message is None:  # that child has no batch n: the file is done
                return
            if isinstance(message, tuple):
                raise PrepareWorkerError(f"the MARC reading process failed:\n{message[1]}")
            yield message
    finally:
        for receive in pipes:
            receive.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
