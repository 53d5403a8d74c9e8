"""Open a OneRoster set given as a folder or a .zip and read its CSV files row by row.

This module knows nothing about OneRoster columns: it finds the CSV files, settles their
text encoding and yields each record with the physical line it starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from shelfwise.oneroster.rows import NotOneRosterError

__all__ = [
    "READ_ERRORS",
    "RosterSource",
    "UnreadableRest",
    "detect_encoding",
    "iter_records",
    "open_source",
    "read_header",
]

# What reading a damaged file can raise part-way through. A reader catches these per file
# so one broken CSV never stops the others from loading.
READ_ERRORS = (csv.Error, zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError)

_CHUNK = 1 << 20


class RosterSource:
    """The CSV files of one set, by lower-cased base name ("users.csv" -> how to open it).

    Decision: names are matched without regard to case because the sets are often zipped on Windows
    and Mac machines, where "Users.csv" and "users.csv" are the same file.
    """

    def __init__(self, label: str, files: dict[str, str], opener, closer=None) -> None:
        self.label = label
        self.files = files
        self._opener = opener
        self._closer = closer

    def open(self, key: str) -> BinaryIO:
        return self._opener(self.files[key])

    def close(self) -> None:
        if self._closer is not None:
            self._closer()

    def __enter__(self) -> RosterSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pick_folder(paths: dict[str, list[str]]) -> tuple[str, list[str]] | None:
    """Choose the directory inside the set that holds the CSVs.

    Exports are zipped both flat and with a top folder ("export/users.csv"); the folder
    holding manifest.csv wins, else the one with the most CSVs.
    """
    with_csv = {d: names for d, names in paths.items() if any(_is_csv(n) for n in names)}
    if not with_csv:
        return None
    for d, names in sorted(with_csv.items()):
        if any(n.lower() == "manifest.csv" for n in names):
            return d, names
    return max(sorted(with_csv.items()), key=lambda item: sum(_is_csv(n) for n in item[1]))


def _is_csv(name: str) -> bool:
    return name.lower().endswith(".csv") and not name.startswith(".")


def _index(names: list[str], make_key) -> dict[str, str]:
    files: dict[str, str] = {}
    for name in sorted(names):
        if _is_csv(name):
            files.setdefault(name.lower(), make_key(name))
    return files


def open_source(path: str | Path) -> RosterSource:
    """Open a folder or a zip; raise NotOneRosterError when it is neither or holds no CSV."""
    p = Path(path)
    if p.is_dir():
        return _open_folder(p)
    if p.is_file():
        return _open_zip(p)
    # Decision: a missing path is reported like any other non-roster input, so callers
    # have one exception to turn into a message.
    raise NotOneRosterError(f"{p} does not exist: expected a OneRoster folder or .zip file")


def _open_folder(p: Path) -> RosterSource:
    paths: dict[str, list[str]] = {"": [c.name for c in p.iterdir() if c.is_file()]}
    # One level of nesting is common when a zip was unpacked into a folder of the same name.
    for child in p.iterdir():
        if child.is_dir() and not child.name.startswith((".", "__MACOSX")):
            paths[child.name] = [c.name for c in child.iterdir() if c.is_file()]
    if not any(_is_csv(n) for n in paths[""]):
        paths = {d: names for d, names in paths.items() if d}
    else:
        paths = {"": paths[""]}
    picked = _pick_folder(paths)
    if picked is None:
        raise NotOneRosterError(f"the folder {p.name or p} holds no CSV files")
    folder = p / picked[0] if picked[0] else p
    files = _index(picked[1], lambda n: str(folder / n))
    return RosterSource(str(p), files, lambda key: open(key, "rb"))


def _open_zip(p: Path) -> RosterSource:
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotOneRosterError(
            f"{p.name} is not a zip archive ({exc}); a OneRoster set is a .zip of CSV files "
            "or a folder of them"
        ) from None
    paths: dict[str, list[str]] = {}
    try:
        infos = zf.infolist()
    except Exception as exc:  # a truncated directory can fail here on some archives
        zf.close()
        raise NotOneRosterError(f"{p.name} is a damaged zip archive ({exc})") from None
    for info in infos:
        if info.is_dir() or "__MACOSX" in info.filename:
            continue
        folder, _, base = info.filename.replace("\\", "/").rpartition("/")
        if base.startswith("."):
            continue
        paths.setdefault(folder, []).append(base)
    picked = _pick_folder(paths)
    if picked is None:
        zf.close()
        raise NotOneRosterError(f"the zip archive {p.name} holds no CSV files")
    prefix = picked[0] + "/" if picked[0] else ""
    # Keep the member's own spelling, whatever slash it used.
    members = {i.filename.replace("\\", "/"): i.filename for i in infos}
    files = _index(picked[1], lambda n: members[prefix + n])

    def opener(member: str) -> BinaryIO:
        try:
            return zf.open(member)
        except RuntimeError as exc:  # encrypted members
            raise OSError(f"cannot open {member} in the zip: {exc}") from None

    return RosterSource(str(p), files, opener, zf.close)


def detect_encoding(raw: BinaryIO) -> str:
    """Return "utf-8-sig" when the whole file is valid UTF-8, else "cp1252".

    Decision: OneRoster says UTF-8, but spreadsheets on Windows save Windows-1252; decoding that as
    UTF-8 would reject the whole file over one accented name.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def iter_records(raw: BinaryIO, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line, values) for every CSV record, header included.

    csv's line_num counts physical lines consumed, so a record starts one line after the
    previous one ended, however many lines its quoted fields spanned.
    """
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text)
    last = 0
    try:
        for row in reader:
            yield last + 1, row
            last = reader.line_num
    except READ_ERRORS as exc:
        raise UnreadableRest(last + 1, str(exc) or type(exc).__name__) from None


class UnreadableRest(Exception):
    """The file cannot be read past ``line`` (a CSV syntax error or a damaged zip member)."""

    def __init__(self, line: int, detail: str) -> None:
        super().__init__(detail)
        self.line = line
        self.detail = detail


def read_header(src: RosterSource, key: str) -> list[str] | None:
    """The first non-blank record of a file, names trimmed; None when it has none or
    cannot be read (the caller decides what that means)."""
    try:
        with src.open(key) as raw:
            encoding = detect_encoding(raw)
        with src.open(key) as raw:
            for _, values in iter_records(raw, encoding):
                if any(v.strip() for v in values):
                    return [v.strip() for v in values]
    except (UnreadableRest, *READ_ERRORS):
        return None
    return None
