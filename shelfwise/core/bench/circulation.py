"""`shelfwise bench circulation`: the desk over real HTTP, at a school's and a district's size.

For each size: a fresh database with the fixture of `circulation_data`, a
gunicorn serving it on 127.0.0.1, then (1) one desk scanning reader, copy,
reader, copy… and later the copies alone, each request timed: p50/p95 of
check-out and check-in; (2) several desks at once, each its own browser
session, reader and copies, for a fixed number of transactions: the
sustained rate. Finally the database is read back: every copy the desks
lent is in again and no returned loan kept its reader.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from shelfwise.core.bench.circulation_data import Size
from shelfwise.core.bench.common import (
    bench_dir,
    fresh_database,
    percentile,
    run_child,
)
from shelfwise.core.bench.desk_client import Desk

SIZES = {
    "school": Size(students=3_000, items=40_000, schools=1, records=25_000),
    "district": Size(students=50_000, items=500_000, schools=20, records=100_000),
}
TARGET_P95_MS = 30
TARGET_RATE = 150
WARM_UP = 20
HOST = "127.0.0.1"
CHECKED_OUT, CHECKED_IN, READER = b"Checked out", b"Checked in", b"items out"


def bench_circulation(*, options: dict[str, Any], write: Callable[[str], Any]) -> list[dict]:
    names = ["school", "district"] if options["size"] == "both" else [options["size"]]
    url = options.get("database_url")
    # One worker a core measured best here on both databases (2 cores: 2 workers
    # gave 212 transactions/s on SQLite against 158-182 with 3 and 175 with 4;
    # PostgreSQL 136 against 117 with 3): more only queue on the cores and, on
    # SQLite, on the write lock.
    workers = options.get("workers") or max(2, os.cpu_count() or 2)
    results = []
    for name in names:
        size = SIZES[name]
        size = replace(
            size,
            students=options.get("students") or size.students,
            items=options.get("items") or size.items,
            schools=options.get("schools") or size.schools,
            records=options.get("records") or size.records,
        )
        results.append(
            _one_size(
                name,
                size,
                url=url,
                workers=workers,
                latency=options["transactions"],
                sustained=options["sustained"],
                desks=options["desks"],
                write=write,
            )
        )
    return results


def _one_size(
    name: str,
    size: Size,
    *,
    url: str | None,
    workers: int,
    latency: int,
    sustained: int,
    desks: int,
    write: Callable[[str], Any],
) -> dict[str, Any]:
    started = time.perf_counter()
    with fresh_database(url, f"circulation-{name}") as env:
        plan = run_child(
            [
                "bench_circulation_child",
                "build",
                f"--students={size.students}",
                f"--items={size.items}",
                f"--schools={size.schools}",
                f"--records={size.records}",
                f"--desks={desks}",
                f"--latency={latency + WARM_UP}",
                f"--sustained={sustained}",
            ],
            env,
        )
        built = time.perf_counter() - started
        c = plan["counts"]
        write(
            f"\ncirculation, {name} ({plan['vendor']}): {c['schools']} school(s), "
            f"{c['students']:,} students + {c['teachers']:,} teachers, {c['items']:,} items "
            f"of {c['records']:,} records; {c['open_loans']:,} loans open, "
            f"{c['past_loans']:,} returned, {c['events']:,} events, "
            f"{c['audit_entries']:,} audit entries\n"
            f"  fresh database built in {built:.0f} s "
            f"({', '.join(f'{k} {v:.1f}' for k, v in plan['timings'].items())}; "
            f"peak memory {plan['peak_mb']:.0f} MB)"
        )
        with _server(env, workers, name) as (port, server_pid):
            one = _one_desk(plan["latency_desk"], port, latency)
            cpu = _tree_cpu_seconds(server_pid)
            many = _many_desks(plan["desks"], port, sustained)
            many["server_cpu"] = _tree_cpu_seconds(server_pid) - cpu
        lent = one["warm_up"] + one["n"] + many["checkouts"]
        checked = run_child(["bench_circulation_child", "check", f"--checkouts={lent}"], env)
    p95 = max(one["checkout"]["p95"], one["checkin"]["p95"])
    write(
        f"  server: gunicorn, {workers} sync workers on {HOST}, persistent database connections\n"
        f"  one desk, {one['n']} check-outs then {one['n']} check-ins (ms):\n"
        f"    check-out (copy scanned, reader selected) {_ms(one['checkout'])}\n"
        f"    check-in (copy scanned alone)             {_ms(one['checkin'])}\n"
        f"    reader card scanned                       {_ms(one['reader'])}\n"
        f"  {len(plan['desks'])} desks at once: {many['transactions']} transactions "
        f"({many['checkouts']} check-outs, {many['checkins']} check-ins, "
        f"{many['readers']} reader scans) in {many['seconds']:.1f} s\n"
        f"    sustained: {many['rate']:.0f} transactions/s "
        f"({many['requests'] / many['seconds']:.0f} requests/s; CPU a request: "
        f"gunicorn {1000 * many['server_cpu'] / many['requests']:.1f} ms, "
        f"desks {1000 * many['client_cpu'] / many['requests']:.1f} ms)\n"
        f"    under load: check-out {_ms(many['checkout'])}\n"
        f"                check-in  {_ms(many['checkin'])}\n"
        f"  read back: {checked['bench_loans']} loans made by the desks, "
        f"{checked['still_open']} still open, {checked['kept_patron_link']} kept their reader "
        f"after return; {checked['checkout_events']} anonymous check-out events today; "
        f"{checked['items_out']:,} copies out = {checked['open_loans']:,} open loans\n"
        f"  targets: p95 {p95:.1f} ms (< {TARGET_P95_MS}: "
        f"{'met' if p95 < TARGET_P95_MS else 'MISSED'}), "
        f"{many['rate']:.0f} transactions/s (>= {TARGET_RATE}: "
        f"{'met' if many['rate'] >= TARGET_RATE else 'MISSED'})"
    )
    if checked["items_out"] != checked["open_loans"]:
        raise AssertionError(f"copies marked out and open loans differ: {checked}")
    if checked["still_open"] or checked["kept_patron_link"]:
        raise AssertionError(f"the desks left loans open or linked: {checked}")
    if checked["bench_loans"] != checked["expected_checkouts"]:
        raise AssertionError(f"loans made {checked['bench_loans']}, expected {checked}")
    return {"size": name, "plan": plan, "one": one, "many": many, "check": checked}


def _ms(figures: dict[str, float]) -> str:
    return (
        f"p50 {figures['p50']:5.1f}  p95 {figures['p95']:5.1f}  "
        f"p99 {figures['p99']:5.1f}  max {figures['max']:6.1f}"
    )


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = [1000 * s for s in seconds]
    return {
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms, default=float("nan")),
        "n": len(ms),
    }


@contextmanager
def _server(env: dict[str, str], workers: int, name: str) -> Iterator[tuple[int, int]]:
    """gunicorn on 127.0.0.1 and a free port; yields the port and its pid."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    # Its own var folder: the static files collected as for production (the
    # manifest storage needs them) without touching the developer's.
    var = bench_dir() / f"server-{name}-{os.getpid()}"
    env = {
        **env,
        "SHELFWISE_VAR_DIR": str(var),
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback: cookies marked Secure would not come back.
        "SECURE_COOKIES": "false",
        # Persistent connections, as a production deployment runs.
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "-m", "shelfwise.cli", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    log = (bench_dir() / f"gunicorn-{name}-{os.getpid()}.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "shelfwise.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={workers}",
            "--timeout=120",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {log.name}")
            try:
                status, _, _ = Desk(HOST, port).request("GET", "/login/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer in 60 s; see {log.name}")
            time.sleep(0.2)
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    if server.returncode not in (0, -signal.SIGTERM):
        raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log.name}")
    Path(log.name).unlink(missing_ok=True)
    shutil.rmtree(var, ignore_errors=True)


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children now alive (Linux /proc;
    0 elsewhere). The database server's own processes are not counted."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def _one_desk(plan: dict[str, Any], port: int, n: int) -> dict[str, Any]:
    desk = Desk(HOST, port)
    desk.login(plan["username"], plan["password"])
    readers, items = plan["patrons"], plan["items"]
    # Warm up each worker's caches (templates, translations) before timing.
    for reader, item in zip(readers[:WARM_UP], items[:WARM_UP], strict=True):
        desk.scan(reader, READER)
        desk.scan(item, CHECKED_OUT)
    desk.done()
    for item in items[:WARM_UP]:
        desk.scan(item, CHECKED_IN)
    timed = {"reader": [], "checkout": [], "checkin": []}
    for reader, item in zip(readers[WARM_UP:], items[WARM_UP:], strict=True):
        timed["reader"].append(desk.scan(reader, READER))
        timed["checkout"].append(desk.scan(item, CHECKED_OUT))
    desk.done()
    for item in items[WARM_UP:]:
        timed["checkin"].append(desk.scan(item, CHECKED_IN))
    desk.close()
    return {
        "n": len(timed["checkout"]),
        "warm_up": min(WARM_UP, len(items)),
        **{k: _summary(v) for k, v in timed.items()},
    }


def _desk_worker(plan: dict[str, Any], port: int, transactions: int, barrier, results) -> None:
    """One concurrent desk: a reader borrows two copies and returns the two the reader
    before borrowed (checked in by scanning alone while the new reader is selected)."""
    try:
        desk = Desk(HOST, port)
        desk.login(plan["username"], plan["password"])
        readers, items = plan["patrons"], plan["items"]
        timed: dict[str, list[float]] = {"reader": [], "checkout": [], "checkin": []}
        barrier.wait()
        started, cpu = time.perf_counter(), time.process_time()
        pending: list[str] = []
        done = 0
        cycle = 0
        while done < transactions:
            timed["reader"].append(desk.scan(readers[cycle % len(readers)], READER))
            borrowed = items[2 * cycle : 2 * cycle + 2]
            if not borrowed and not pending:
                break
            for item in borrowed:
                timed["checkout"].append(desk.scan(item, CHECKED_OUT))
            for item in pending:
                timed["checkin"].append(desk.scan(item, CHECKED_IN))
            done += len(borrowed) + len(pending)
            pending = borrowed
            cycle += 1
        for item in pending:
            timed["checkin"].append(desk.scan(item, CHECKED_IN))
        finished, cpu = time.perf_counter(), time.process_time() - cpu
        desk.close()
        results.put({"started": started, "finished": finished, "cpu": cpu, "timed": timed})
    except Exception as exc:  # reported by the parent, which waits for every desk
        results.put({"error": f"{type(exc).__name__}: {exc}"})
        barrier.abort()


def _many_desks(plans: list[dict[str, Any]], port: int, total: int) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(plans))
    results = ctx.Queue()
    share = -(-total // len(plans))
    desks = [
        ctx.Process(target=_desk_worker, args=(plan, port, share, barrier, results))
        for plan in plans
    ]
    for desk in desks:
        desk.start()
    outcomes = [results.get(timeout=1800) for _ in desks]
    for desk in desks:
        desk.join()
    errors = [o["error"] for o in outcomes if "error" in o]
    if errors:
        raise RuntimeError("a desk failed: " + "; ".join(errors))
    seconds = max(o["finished"] for o in outcomes) - min(o["started"] for o in outcomes)
    merged: dict[str, list[float]] = {"reader": [], "checkout": [], "checkin": []}
    for outcome in outcomes:
        for kind, values in outcome["timed"].items():
            merged[kind].extend(values)
    checkouts, checkins = len(merged["checkout"]), len(merged["checkin"])
    return {
        "seconds": seconds,
        "checkouts": checkouts,
        "checkins": checkins,
        "readers": len(merged["reader"]),
        "transactions": checkouts + checkins,
        "requests": checkouts + checkins + len(merged["reader"]),
        "rate": (checkouts + checkins) / seconds,
        "client_cpu": sum(o["cpu"] for o in outcomes),
        **{k: _summary(v) for k, v in merged.items()},
    }
