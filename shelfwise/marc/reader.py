"""Read MARC files of any common shape (ISO 2709, MARCXML, MARC-in-JSON) as a stream of
parsed or rejected records, so an import can report every bad record and keep going.

``open_marc`` decides the format from the first bytes; iterating the returned reader never
raises for bad data: each record is a ParsedRecord (decoded to Unicode, leader/09 'a') or a
RejectedRecord with its position and a reason a librarian can read. Binary records are
split and parsed by hand in iso2709.py (pymarc has no forgiving mode; see there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pymarc

from shelfwise.marc import iso2709, jsonstream, xmlstream
from shelfwise.marc.iso2709 import ByteSource, ChunkError, DecodedChunk

__all__ = ["MarcReader", "NotMarcError", "ParsedRecord", "RejectedRecord", "open_marc"]

SNIFF_BYTES = 64 * 1024
# How far to look for proof that a file which starts plausibly really is MARC.
CONFIRM_BYTES = 1024 * 1024

_BIB_TYPES = frozenset("acdefgijkmoprt")
_NON_BIB = {
    "z": "authority record",
    "u": "holdings record",
    "v": "holdings record",
    "x": "holdings record",
    "y": "holdings record",
    "q": "community information record",
}


class NotMarcError(Exception):
    """The file cannot be read as MARC at all; the message says why in plain English."""


@dataclass(slots=True)
class ParsedRecord:
    position: int
    offset: int | None
    record: pymarc.Record
    encoding: str
    misdeclared: bool
    raw: bytes
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RejectedRecord:
    position: int
    offset: int | None
    reason: str
    control_number: str = ""
    title: str = ""


class MarcReader:
    """Single-pass iterator over the records of one MARC stream (see open_marc)."""

    def __init__(
        self, source: ByteSource, fmt: str, keep: Callable[[int], bool] | None = None
    ) -> None:
        self.format = fmt
        self._source = source
        self._keep = keep
        self._iter = self._records()

    @property
    def bytes_read(self) -> int:
        return self._source.bytes_read

    def __iter__(self) -> Iterator[ParsedRecord | RejectedRecord]:
        return self._iter

    def __next__(self) -> ParsedRecord | RejectedRecord:
        return next(self._iter)

    def _records(self) -> Iterator[ParsedRecord | RejectedRecord]:
        keep = self._keep
        if self.format == "iso2709":
            results = _iso_results(self._source, keep)
        elif self.format == "marcxml":
            results = xmlstream.iter_results(self._source)
        else:
            results = jsonstream.iter_results(self._source)
        for position, (offset, raw, result) in enumerate(results, 1):
            if keep is not None and not keep(position):
                continue  # another reader of the same file takes this one
            try:
                yield _to_public(position, offset, raw, result)
            except Exception as exc:  # a bad record must never stop an import
                yield RejectedRecord(position, offset, f"could not be read: {exc!r}")


def _iso_results(
    source: ByteSource, keep: Callable[[int], bool] | None = None
) -> Iterator[tuple[int | None, bytes, DecodedChunk | ChunkError | None]]:
    for position, chunk in enumerate(iso2709.iter_chunks(source), 1):
        if keep is not None and not keep(position):
            yield chunk.offset, b"", None  # counted, not parsed: splitting is cheap
            continue
        if chunk.error:
            result: DecodedChunk | ChunkError = ChunkError(chunk.error)
        elif not chunk.terminated and not chunk.data[:5].isdigit():
            result = ChunkError(
                f"{len(chunk.data)} bytes after the last record are not a MARC record"
            )
        else:
            try:
                result = iso2709.parse_chunk(chunk.data, chunk.terminated)
            except ChunkError as exc:
                result = exc
            except Exception as exc:  # report, never stop
                result = ChunkError(f"could not be read: {exc!r}")
        if isinstance(result, ChunkError) and not (result.control_number or result.title):
            result.control_number, result.title = _salvage_iso(chunk.data)
        yield chunk.offset, chunk.data, result


def _to_public(
    position: int, offset: int | None, raw: bytes, result: DecodedChunk | ChunkError
) -> ParsedRecord | RejectedRecord:
    if isinstance(result, ChunkError):
        return RejectedRecord(position, offset, result.reason, result.control_number, result.title)
    record = result.record
    reason = check_record(record, result.warnings)
    if reason:
        return RejectedRecord(position, offset, reason, _control(record), _title(record))
    return ParsedRecord(
        position=position,
        offset=offset,
        record=record,
        encoding=result.encoding.label,
        misdeclared=result.encoding.misdeclared,
        raw=raw,
        warnings=result.warnings,
    )


def check_record(record: pymarc.Record, warnings: list[str]) -> str | None:
    """Return why a decoded record is not an importable MARC 21 bibliographic record, if so.

    Decision: leader/06 decides the record type, except that a record with a 245 title is
    bibliographic whatever its leader says (Open Library has books with leader/06 'x',
    Koha minimal records have it blank); such records import with a warning.
    """
    kind = record.leader[6]
    has_title = any(f.tag == "245" for f in record.fields)
    if kind in _NON_BIB:
        if not has_title:
            what = _NON_BIB[kind]
            return f"{what} (leader/06 '{kind}'); only bibliographic records are imported"
        warnings.append(f"leader/06 '{kind}' says {_NON_BIB[kind]}, but it has a title (245)")
    if not has_title and any(f.tag == "200" and not f.control_field for f in record.fields):
        return "UNIMARC record, not MARC 21 (title in field 200, no 245)"
    if kind not in _BIB_TYPES and kind not in _NON_BIB:
        if not has_title:
            return f"leader/06 {kind!r} is not a MARC 21 record type, and there is no title (245)"
        warnings.append(f"leader/06 {kind!r} is not a MARC 21 record type; read as a book")
    if not has_title:
        warnings.append("no title (245)")
    return None


def _control(record: pymarc.Record) -> str:
    for f in record.fields:
        if f.tag == "001" and f.control_field:
            return (f.data or "").strip()
    return ""


_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _title(record: pymarc.Record) -> str:
    for f in record.fields:
        if f.tag in ("245", "200") and not f.control_field:
            text = " ".join(s.value for s in f.subfields if s.code in "ab")
            # Drop non-sort markers (U+0088/U+0089) and other control characters.
            return _CONTROL_CHARS.sub("", text).strip()
    return ""


_SALVAGE_TAG = re.compile(rb"(\d{3})\d{9}")


def _salvage_iso(chunk: bytes) -> tuple[str, str]:
    """Best-effort 001 and 245 $a$b from a record that failed, for the librarian to find it."""
    try:
        first = chunk.find(b"\x1e", 24)
        if first < 0:
            return "", ""
        tags = [m.group(1).decode() for m in _SALVAGE_TAG.finditer(chunk[24:first])]
        pieces = chunk[first + 1 :].split(b"\x1e")
        control = title = ""
        for tag, data in zip(tags, pieces, strict=False):
            if tag == "001":
                control = data.decode("utf-8", "replace").strip()
            elif tag == "245":
                subs = data.split(b"\x1f")[1:]
                title = " ".join(
                    s[1:].decode("utf-8", "replace") for s in subs if s[:1] in (b"a", b"b")
                ).strip()
        return control[:100], title[:300]
    except Exception:  # salvage is a courtesy, never a failure
        return "", ""


_BOM = b"\xef\xbb\xbf"
_SIGNATURES = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (unzip it and import the MARC file inside)"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xff\xfe", "UTF-16 text (save it as UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (save it as UTF-8)"),
]


def open_marc(stream: BinaryIO, keep: Callable[[int], bool] | None = None) -> MarcReader:
    """Sniff the format of a binary stream and return a reader over its records.

    Raises NotMarcError before yielding anything when the file is empty or plainly not
    MARC (a PDF, a spreadsheet, plain text). The stream must be opened in binary mode.
    keep(position) → False skips a record (positions still count from 1); binary
    records that are skipped are not even parsed, so several processes can share a file.
    """
    head = stream.read(SNIFF_BYTES)
    if not isinstance(head, bytes | bytearray):
        raise TypeError("open_marc needs a binary stream (open the file with 'rb')")
    head = bytes(head)
    if not head:
        raise NotMarcError("the file is empty")
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise NotMarcError(f"this is {what}, not a MARC file")
    # Skip a UTF-8 byte order mark and leading blank space, reading on if that is all.
    start = len(_BOM) if head.startswith(_BOM) else 0
    while True:
        stripped = head[start:].lstrip(b" \t\r\n\x00")
        start = len(head) - len(stripped)
        if stripped or len(head) > CONFIRM_BYTES:
            break
        more = stream.read(SNIFF_BYTES)
        if not more:
            break
        head += more
    if not stripped:
        raise NotMarcError("the file contains only blank space")
    first = stripped[:1]
    if first == b"<":
        fmt = "marcxml"
        head = _confirm(stream, head, _looks_like_marcxml, "MARCXML")
    elif first in (b"{", b"["):
        fmt = "json"
        head = _confirm(stream, head, _looks_like_marc_json, "MARC-in-JSON")
    elif stripped[:5].isdigit() and len(stripped) >= 5:
        fmt = "iso2709"
        head = _confirm(stream, head, _looks_like_iso2709, "ISO 2709 MARC")
    else:
        shown = stripped[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise NotMarcError(
            "this does not look like a MARC file: binary MARC starts with a five-digit "
            "record length, MARCXML with '<', MARC-in-JSON with '{' or '['; this file "
            f"starts with '{shown}'"
        )
    source = ByteSource(stream, head[start:], origin=start)
    return MarcReader(source, fmt, keep)


def _confirm(stream: BinaryIO, head: bytes, test: object, what: str) -> bytes:
    """Read up to CONFIRM_BYTES until test(head) decides; NotMarcError if it says no."""
    while True:
        verdict = test(head)  # type: ignore[operator]
        if verdict is True:
            return head
        if isinstance(verdict, str):
            raise NotMarcError(verdict)
        if len(head) >= CONFIRM_BYTES:
            break
        more = stream.read(SNIFF_BYTES)
        if not more:
            break
        head += more
    verdict = test(head, final=True)  # type: ignore[operator]
    if verdict is True:
        return head
    raise NotMarcError(verdict if isinstance(verdict, str) else f"this is not {what}")


_XML_RECORD = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:record|collection)[\s/>]")


def _looks_like_marcxml(head: bytes, final: bool = False) -> bool | str | None:
    if _XML_RECORD.search(head):
        return True
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "this is a web page (HTML), not MARCXML"
    if final:
        return "this is an XML file, but it has no MARCXML <record> element"
    return None


def _looks_like_marc_json(head: bytes, final: bool = False) -> bool | str | None:
    if b'"leader"' in head or b'"fields"' in head:
        return True
    if final:
        return 'this is a JSON file, but not MARC-in-JSON (no "leader" or "fields")'
    return None


def _looks_like_iso2709(head: bytes, final: bool = False) -> bool | str | None:
    # A CSV or text file can start with five digits too; MARC has field terminators.
    if b"\x1e" in head or b"\x1d" in head:
        return True
    if final:
        return (
            "this starts like binary MARC (five digits) but has no MARC field or record "
            "terminators; it may be a CSV or text export"
        )
    return None
