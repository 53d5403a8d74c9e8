"""Paths to the real OneRoster samples and a helper to make edited copies of them.

Edge cases are built by editing a copy of a real sample rather than typing a set by hand,
so each test differs from real-world data only in the thing it is about.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "oneroster"
FULL = DATA / "catalyst_Test_full_data_set"


def counts(roster) -> dict[str, int]:
    return {
        name: len(getattr(roster, name))
        for name in ("orgs", "sessions", "courses", "classes", "users", "enrollments")
    }


def errors(roster) -> list[tuple[str, int, str]]:
    return [(e.file, e.line, e.reason) for e in roster.errors]


@pytest.fixture
def full_copy(tmp_path: Path) -> Path:
    """A writable copy of the catalyst 1.1 full set (orgs, sessions, classes, users,
    enrollments; courses absent)."""
    target = tmp_path / "set"
    shutil.copytree(FULL, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a sample file, keeping its bytes otherwise (CRLF included)."""
    data = path.read_bytes().decode("utf-8")
    assert data.count(old) >= count, f"{old!r} not in {path.name}"
    path.write_bytes(data.replace(old, new, count).encode("utf-8"))
