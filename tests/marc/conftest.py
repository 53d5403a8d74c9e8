"""Helpers shared by the MARC tests: where the real test files live and how to read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.marc.reader import ParsedRecord, RejectedRecord, open_marc

DATA = Path(__file__).resolve().parent.parent / "data" / "marc"
MARC_SUFFIXES = {".mrc", ".dat", ".marc", ".xml", ".json"}


def data_file(name: str) -> Path:
    return DATA / name


def read_all(name: str) -> list[ParsedRecord | RejectedRecord]:
    with open(DATA / name, "rb") as fh:
        return list(open_marc(fh))


def good(name: str) -> list[ParsedRecord]:
    return [r for r in read_all(name) if isinstance(r, ParsedRecord)]


def rejected(name: str) -> list[RejectedRecord]:
    return [r for r in read_all(name) if isinstance(r, RejectedRecord)]


def all_data_files() -> list[str]:
    return sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.suffix in MARC_SUFFIXES)


@pytest.fixture(scope="session")
def loc_records() -> list[ParsedRecord]:
    return good("loc/loc_booksall2016_juvenile_sample.mrc")
