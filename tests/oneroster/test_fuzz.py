"""Hypothesis: garbage in any one file of a real set never makes read_roster raise anything
but NotOneRosterError, and every RowError names a file of the set and a line inside it."""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelfwise.oneroster import (
    AcademicSession,
    Class,
    Enrollment,
    NotOneRosterError,
    Org,
    User,
    read_roster,
)
from tests.oneroster.conftest import FULL

FILES = sorted(p.name for p in FULL.iterdir())
_CSVISH = list(',,,""\r\n\n\r {}:;-_0123456789abcTRUEfalse\x00é€')
_TOKENS = [
    "sourcedId",
    "status",
    "role",
    "username",
    "orgSourcedIds",
    "student",
    "bulk",
    "delta",
    "propertyName,value",
    "oneroster.version",
    "1.1",
    "org-sch-222-456",
    "2023-05-01",
]


def _garbage_text() -> st.SearchStrategy[bytes]:
    piece = st.one_of(st.sampled_from(_CSVISH), st.sampled_from(_TOKENS))
    return st.lists(piece, max_size=300).map(lambda parts: "".join(parts).encode("utf-8"))


@st.composite
def _mutated(draw, name: str) -> bytes:
    """The real file with a random splice: the hardest inputs are almost-right ones."""
    original = (FULL / name).read_bytes()
    start = draw(st.integers(0, len(original)))
    end = draw(st.integers(start, min(len(original), start + 40)))
    insert = draw(st.one_of(st.binary(max_size=20), _garbage_text().map(lambda b: b[:40])))
    return original[:start] + insert + original[end:]


@st.composite
def _case(draw) -> tuple[str, bytes, bool]:
    name = draw(st.sampled_from(FILES))
    content = draw(st.one_of(st.binary(max_size=3000), _garbage_text(), _mutated(name)))
    return name, content, draw(st.booleans())


def _physical_lines(data: bytes) -> int:
    # An upper bound on what any reader of ours can number: universal newlines.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return len(re.split(r"\r\n|\r|\n", text))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_case())
def test_garbage_in_one_file(case):
    name, content, as_zip = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "set"
        shutil.copytree(FULL, folder)
        (folder / name).write_bytes(content)
        target: Path = folder
        if as_zip:
            target = Path(tmp) / "set.zip"
            with zipfile.ZipFile(target, "w") as zf:
                for f in sorted(folder.iterdir()):
                    zf.write(f, f.name)
        lines = {f.name: _physical_lines(f.read_bytes()) for f in folder.iterdir()}
        try:
            roster = read_roster(target)
        except NotOneRosterError as exc:
            assert str(exc)
            return
    for err in roster.errors:
        assert err.file in lines, err
        assert 1 <= err.line <= lines[err.file], (err, lines[err.file])
        assert err.reason
    for kind, cls in (
        ("orgs", Org),
        ("sessions", AcademicSession),
        ("classes", Class),
        ("users", User),
        ("enrollments", Enrollment),
    ):
        assert all(isinstance(row, cls) for row in getattr(roster, kind))
    assert set(roster.modes.values()) <= {"bulk", "delta", "absent"}
    assert all(isinstance(w, str) for w in roster.warnings)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_garbage_zip(content):
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "roster.zip"
        target.write_bytes(content)
        with contextlib.suppress(NotOneRosterError):
            read_roster(target)
