"""Every `shelfwise bench` works end to end, at a tiny size (the data builders
write raw rows, so a new NOT NULL column breaks them: this is where it shows).

The figures themselves are not checked (they mean something only at full size
on a quiet machine); the benchmarks' own checks are: every loan the desks made
is returned and unlinked, and the unchanged re-import changes nothing.
"""

from __future__ import annotations

import io
import os

from django.core.management import call_command


def _database_url() -> str | None:
    # On PostgreSQL runs (CI), the benchmarks make their fresh database there too.
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _bench(*args: str) -> str:
    out = io.StringIO()
    url = _database_url()
    call_command("bench", *args, *([f"--database-url={url}"] if url else []), stdout=out)
    return out.getvalue()


def test_bench_circulation_at_a_tiny_size():
    out = _bench(
        "circulation",
        "--size=school",
        "--students=100",
        "--items=300",
        "--records=100",
        "--transactions=20",
        "--sustained=24",
        "--workers=2",
    )
    assert "one desk, 20 check-outs then 20 check-ins" in out
    assert "4 desks at once" in out and "transactions/s" in out
    assert ", 0 still open, 0 kept their reader after return" in out


def test_bench_roster_at_a_tiny_size():
    out = _bench("roster", "--students=60", "--teachers=4", "--schools=1")
    assert "64 people" in out  # 60 students and 4 teachers
    assert "changed nothing: True" in out


def test_bench_search_at_a_tiny_size():
    out = _bench("search", "--records=400", "--items=900", "--queries=30")
    assert "search (" in out and "400 records, 900 copies" in out
    assert "search + facet counts" in out and "p95" in out


def test_bench_reports_at_a_tiny_size():
    out = _bench("reports", "--schools=2", "--items=300", "--students=40")
    assert "reports (" in out and "600 copies" in out


def test_bench_import_at_a_tiny_size():
    out = _bench("import", "--records=300", "--repeat=2")
    assert "import (" in out and "300 records" in out
    assert "[2/2] import (" in out
    assert "ratio to pymarc parse-only" in out and "median to median" in out
