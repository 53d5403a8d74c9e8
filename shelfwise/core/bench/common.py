"""What every benchmark shares: a fresh database, child processes, figures."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings

from shelfwise.lib.write_queue import LOCK_SUFFIX


def bench_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def peak_rss_mb() -> float:
    """Peak resident memory of this process or of any child it waited for
    (the import's record-preparing process), whichever is larger."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0-100) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def is_postgres(database_url: str | None) -> bool:
    return bool(database_url) and database_url.startswith(("postgres://", "postgresql://"))


@contextmanager
def fresh_database(database_url: str | None, label: str) -> Iterator[dict[str, str]]:
    """A new, empty, migrated database; yields the environment for child processes.

    SQLite: a file under var/bench, deleted afterwards. PostgreSQL: a database
    created on the server `database_url` names and dropped afterwards.
    """
    env = dict(os.environ)
    drop = None
    if is_postgres(database_url):
        import psycopg

        name = f"shelfwise_bench_{label}_{int(time.time())}_{os.getpid()}"
        cfg = dj_database_url.parse(database_url)
        admin = psycopg.connect(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/" + name

        def drop() -> None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    else:
        db = bench_dir() / f"bench-{label}-{os.getpid()}.sqlite3"

        def drop() -> None:
            for suffix in ("", "-wal", "-shm", LOCK_SUFFIX):
                Path(f"{db}{suffix}").unlink(missing_ok=True)

        drop()
        env["DATABASE_URL"] = f"sqlite:///{db}"
    env.setdefault("SHELFWISE_TESTING", "")
    env["DEBUG"] = "false"
    env.setdefault("SECRET_KEY", "bench-only-" + os.urandom(16).hex())
    try:
        subprocess.run(
            [sys.executable, "-m", "shelfwise.cli", "migrate", "--noinput", "-v0"],
            env=env,
            check=True,
        )
        yield env
    finally:
        if drop:
            drop()


def run_child(args: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    """Run `shelfwise ARGS` and return the JSON object its last output line holds."""
    out = subprocess.run(
        [sys.executable, "-m", "shelfwise.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])
