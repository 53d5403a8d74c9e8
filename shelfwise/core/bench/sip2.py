"""`shelfwise bench sip2`: self-check kiosks over real SIP2 sockets, at a school's size.

A fresh database with the circulation benchmark's school (3,000 students,
40,000 items, a past of loans), one kiosk account per connection, the real
`shelfwise sip2` server in its own process on 127.0.0.1, then N kiosk
connections at once, each cycling patron status → checkout → item
information → checkin on its own readers and copies for a fixed time. Every
reply is checked (a checkout that is refused counts as a failure) and timed
from the request's first byte to the reply's CR: p50/p95/p99 per message and
the sustained message rate. Finally the database is read back: every loan the
kiosks made is closed again and copies out = open loans.

Two timed phases on the same server:
- paced: the kiosks together offer the target rate (500 messages/s: each of
  20 kiosks starts a message every 40 ms, at once when it is behind). Its
  p50/p95/p99 are the latency figures, and its rate says whether the server
  kept up with the target.
- flat out: every kiosk sends its next message the moment a reply arrives;
  its rate is the server's capacity.
Decision: the latency target is judged at the target rate, not flat out. With
20 connections that never pause, the mean wait is 20 ÷ the rate (Little's
law): p95 under 20 ms flat out would need over 1,000 messages/s, while real
kiosks pause for a reader's next scan; a paced run measures what a reader
waits when the library is at the target load.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from shelfwise.core.bench.common import bench_dir, fresh_database, percentile, run_child
from shelfwise.sip2 import protocol as p

HOST = "127.0.0.1"
TARGET_P95_MS = 20
TARGET_RATE = 500
WARM_UP_S = 3.0
ITEMS_PER_KIOSK = 8
BLANK = " " * 18
NAMES = {"23": "patron status", "11": "checkout", "17": "item information", "09": "checkin"}


def bench_sip2(*, options: dict[str, Any], write: Callable[[str], Any]) -> dict[str, Any]:
    students = options.get("students") or 3_000
    items = options.get("items") or 40_000
    records = options.get("records") or 25_000
    kiosks = options.get("kiosks") or 20
    seconds = options.get("seconds") or 20
    workers = options.get("workers") or 1  # the server's own default
    processes = options.get("processes") or os.cpu_count() or 1
    url = options.get("database_url")
    started = time.perf_counter()
    with fresh_database(url, "sip2") as env:
        plan = run_child(
            [
                "bench_circulation_child",
                "build",
                f"--students={students}",
                f"--items={items}",
                "--schools=1",
                f"--records={records}",
                f"--desks={kiosks}",
                "--latency=0",
                f"--sustained={kiosks * 2 * ITEMS_PER_KIOSK}",
            ],
            env,
        )
        logins = run_child(["bench_sip2_child", "kiosks", f"--count={kiosks}"], env)["kiosks"]
        built = time.perf_counter() - started
        c = plan["counts"]
        write(
            f"\nsip2 ({plan['vendor']}): {c['students']:,} students, {c['items']:,} items of "
            f"{c['records']:,} records; {c['open_loans']:,} loans open, {c['past_loans']:,} "
            f"returned; {kiosks} kiosk accounts\n"
            f"  fresh database built in {built:.0f} s"
        )
        load_before = os.getloadavg()
        with _server(env, workers, processes) as (port, pid):
            cpu: dict[str, float] = {}

            def sample(when: str) -> None:
                cpu[when] = sum(_cpu_seconds(each) for each in _process_tree(pid))

            runs = {}
            for phase, pace in (("paced", kiosks / TARGET_RATE), ("flat out", None)):
                runs[phase] = asyncio.run(
                    _drive(
                        port,
                        plan["desks"],
                        logins,
                        seconds=seconds,
                        school=plan["desks"][0]["school"],
                        sample=sample,
                        pace=pace,
                    )
                )
                runs[phase]["server_cpu"] = cpu["end"] - cpu["start"]
                time.sleep(1)  # the server sees the last connections close
        load_after = os.getloadavg()
        checked = run_child(["bench_sip2_child", "check"], env)
    paced, flat = runs["paced"], runs["flat out"]
    for run in runs.values():
        run["rate"] = run["messages"] / run["seconds"]
    rate = flat["rate"]
    p95 = max(paced["latency"][code]["p95"] for code in NAMES)
    write(
        f"  server: `shelfwise sip2`, {processes} process(es), {workers} database threads "
        f"each, on {HOST}\n"
        + "".join(
            f"  {phase}: {kiosks} kiosks at once for {run['seconds']:.1f} s (after "
            f"{WARM_UP_S:.0f} s warm-up), "
            + (f"offering {TARGET_RATE} messages/s: " if phase == "paced" else "no pauses: ")
            + f"{run['messages']:,} messages, {run['cycles']:,} cycles, "
            f"{run['failures']} failed replies\n"
            f"    sustained: {run['rate']:.0f} messages/s "
            f"(server CPU {1000 * run['server_cpu'] / max(1, run['messages']):.2f} ms "
            f"a message in the timed window)\n"
            + "".join(f"    {NAMES[code]:<17} {_ms(run['latency'][code])}\n" for code in NAMES)
            for phase, run in runs.items()
        )
        + f"  machine load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        f"({os.cpu_count()} cores)\n"
        f"  read back: {checked['kiosk_checkouts']:,} checkouts by kiosks in the audit log, "
        f"{checked['still_open']} of their loans still open, {checked['kept_patron_link']} kept "
        f"their reader after return; {checked['items_out']:,} copies out = "
        f"{checked['open_loans']:,} open loans\n"
        f"  targets: p95 {p95:.1f} ms at {paced['rate']:.0f} messages/s offered "
        f"{TARGET_RATE} (< {TARGET_P95_MS}: "
        f"{'met' if p95 < TARGET_P95_MS and paced['rate'] >= 0.98 * TARGET_RATE else 'MISSED'}"
        f"), capacity {rate:.0f} messages/s "
        f"(>= {TARGET_RATE}: {'met' if rate >= TARGET_RATE else 'MISSED'})"
    )
    return {**flat, "paced": paced, "rate": rate, "checked": checked}


def _ms(stats: dict[str, float]) -> str:
    return (
        f"p50 {stats['p50']:.1f}  p95 {stats['p95']:.1f}  p99 {stats['p99']:.1f} ms "
        f"(n={stats['n']})"
    )


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the worker processes of `--processes N`)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(child) for child in children.read().split()]
        except OSError:
            pass
    return found


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def _server(env: dict[str, str], workers: int, processes: int) -> Iterator[tuple[int, int]]:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    log = (bench_dir() / f"sip2-server-{os.getpid()}.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shelfwise.cli",
            "sip2",
            f"--port={port}",
            f"--workers={workers}",
            f"--processes={processes}",
        ],
        env={**env, "LOG_LEVEL": "WARNING"},  # as bench circulation runs gunicorn
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the SIP2 server stopped; see {log.name}")
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


class _Kiosk:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def ask(self, code: str, fixed: dict[str, str], fields: list) -> tuple[p.Message, float]:
        data = p.build(code, fixed, fields, sequence=0, error_detection=True)
        started = time.perf_counter()
        self.writer.write(data)
        raw = await self.reader.readuntil(b"\r")
        return p.parse(raw), (time.perf_counter() - started) * 1000


async def _drive(
    port: int,
    desks: list[dict],
    logins: list[dict],
    *,
    seconds: float,
    school: str,
    sample: Callable[[str], None],
    pace: float | None = None,
) -> dict:
    latencies: dict[str, list[float]] = defaultdict(list)
    totals = {"messages": 0, "cycles": 0, "failures": 0, "all_messages": 0}
    # The clock starts when every kiosk is logged in (each login is an Argon2 check).
    window = {"from": float("inf"), "to": float("inf")}
    logged_in: list[int] = []
    everyone_in = asyncio.Event()

    async def kiosk(desk: dict, login: dict) -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        k = _Kiosk(reader, writer)
        reply, _ = await k.ask(
            "93",
            {"uid_algorithm": "0", "pwd_algorithm": "0"},
            [("CN", login["login"]), ("CO", login["password"]), ("CP", "BENCH")],
        )
        if reply.fixed["ok"] != "1":
            raise RuntimeError("kiosk login refused")
        logged_in.append(1)
        if len(logged_in) == len(logins):
            window["from"] = time.perf_counter() + WARM_UP_S
            window["to"] = window["from"] + seconds
            everyone_in.set()
            asyncio.get_running_loop().call_later(WARM_UP_S, sample, "start")
            asyncio.get_running_loop().call_later(WARM_UP_S + seconds, sample, "end")
        await everyone_in.wait()
        measure_from, stop_at = window["from"], window["to"]
        n = 0
        # Paced kiosks start their messages at even intervals, spread over the first one.
        next_at = time.perf_counter() + (pace or 0) * random.random()
        while time.perf_counter() < stop_at:
            patron = desk["patrons"][n % len(desk["patrons"])]
            item = desk["items"][n % len(desk["items"])]
            n += 1
            date = p.sip_date(datetime.now(UTC), "UTC")
            who = [("AO", school), ("AA", patron), ("AC", "")]
            steps = [
                ("23", {"language": "001", "transaction_date": date}, who, "BL", "Y"),
                (
                    "11",
                    {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": date,
                     "nb_due_date": BLANK},
                    [*who, ("AB", item)],
                    None,
                    "1",
                ),
                ("17", {"transaction_date": date}, [("AO", school), ("AB", item)], None, None),
                (
                    "09",
                    {"no_block": "N", "transaction_date": date, "return_date": BLANK},
                    [("AP", "BENCH"), ("AO", school), ("AB", item), ("AC", "")],
                    None,
                    "1",
                ),
            ]  # fmt: skip
            for code, fixed, fields, tag, want in steps:
                if pace:
                    delay = next_at - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    next_at = max(next_at + pace, time.perf_counter() - pace)
                reply, ms = await k.ask(code, fixed, fields)
                got = reply.get(tag) if tag else reply.fixed.get("ok")
                failed = want is not None and got != want
                totals["all_messages"] += 1
                now = time.perf_counter()
                if measure_from <= now <= stop_at:
                    latencies[code].append(ms)
                    totals["messages"] += 1
                    totals["failures"] += failed
            if measure_from <= time.perf_counter() <= stop_at:
                totals["cycles"] += 1
        writer.close()
        await writer.wait_closed()

    await asyncio.gather(*(kiosk(desk, login) for desk, login in zip(desks, logins, strict=False)))
    measured = min(time.perf_counter(), window["to"]) - window["from"]
    return {
        **totals,
        "seconds": measured,
        "latency": {
            code: {
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
                "p99": percentile(values, 99),
                "n": len(values),
            }
            for code, values in ((c, latencies[c]) for c in NAMES)
        },
    }
