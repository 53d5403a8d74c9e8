"""Streaming ISO 2709 (binary MARC) parsing: cut a byte stream into records and turn each
record's bytes into a decoded pymarc Record, or into a plain-English reason it cannot be read.

This is hand-written rather than pymarc's ``Record(data=...)`` because pymarc has no
forgiving mode: it trusts the leader's record length (wrong in the Open Library files,
which count characters), trusts the directory offsets (misaligned in the same files),
decodes a whole file with one encoding, and raises on the first problem. Here records are
split on the record terminator 0x1D, the directory is checked against the field
terminators, fields are re-split on 0x1E when the directory is off, and the encoding is
chosen per record. pymarc still provides Record/Field and the MARC-8 tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from pymarc import Field, Indicators, Record, Subfield

from shelfwise.marc.encoding import (
    MARC8,
    UTF8,
    EncodingChoice,
    choose_encoding,
    decode_text,
)

RECORD_TERMINATOR = 0x1D
FIELD_TERMINATOR = b"\x1e"
SUBFIELD_DELIMITER = b"\x1f"
BLOCK_SIZE = 256 * 1024
# A legal record is at most 99,999 bytes; leaders that count characters can overshoot a
# little. Past this we stop looking for a terminator so memory stays bounded.
MAX_RECORD_BYTES = 1_000_000
_WHITESPACE = b" \t\r\n\x00"
# Leader positions whose value is fixed by MARC 21, so a garbled byte there can be repaired.
_FIXED_LEADER = {10: "2", 11: "2", 20: "4", 21: "5", 22: "0", 23: "0"}
_NUMERIC_LEADER = set(range(5)) | set(range(12, 17))
_BLANK_INDICATORS = ("\\", "#")
_TRUSTED_UTF8 = EncodingChoice(UTF8, "utf-8", False)
FIXED_LENGTH_TAGS = ("006", "007", "008")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ChunkError(Exception):
    """A record's bytes cannot be made into a record; str(error) is the reason."""

    def __init__(self, reason: str, control_number: str = "", title: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.control_number = control_number
        self.title = title


@dataclass(slots=True)
class DecodedChunk:
    record: Record
    encoding: EncodingChoice
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Chunk:
    offset: int
    data: bytes
    terminated: bool  # False for bytes left at end of file with no 0x1D
    error: str = ""  # set when the chunk was cut off without being read whole


class ByteSource:
    """A stream wrapper that serves already-sniffed bytes first and counts what it read."""

    def __init__(self, stream: BinaryIO, prefix: bytes = b"", origin: int = 0) -> None:
        self._stream = stream
        self._prefix = prefix
        self.origin = origin  # file offset of the first byte served
        self.bytes_read = origin + len(prefix)

    def read(self, size: int = BLOCK_SIZE) -> bytes:
        if self._prefix:
            data, self._prefix = self._prefix, b""
            return data
        data = self._stream.read(size)
        if not data:
            return b""
        self.bytes_read += len(data)
        return bytes(data)


def iter_chunks(source: ByteSource) -> Iterator[Chunk]:
    """Yield each record's bytes (ending in 0x1D) with its byte offset, in constant memory."""
    buf = bytearray()
    buf_offset = source.origin  # file offset of buf[0]
    pos = 0
    eof = False
    skipping = False  # discarding an oversized run of bytes up to the next 0x1D

    def fill() -> bool:
        nonlocal buf_offset, pos, eof
        if pos:
            del buf[:pos]
            buf_offset += pos
            pos = 0
        data = source.read(BLOCK_SIZE)
        if not data:
            eof = True
        buf.extend(data)
        return bool(data)

    while True:
        if skipping:
            end = buf.find(RECORD_TERMINATOR, pos)
            pos = len(buf) if end < 0 else end + 1
            skipping = end < 0
            if skipping and not fill():
                return
            continue
        # Blank lines or NULs between records are common padding, not data.
        while pos < len(buf) and buf[pos] in _WHITESPACE:
            pos += 1
        if pos >= len(buf):
            if eof or not fill():
                return
            continue
        end = buf.find(RECORD_TERMINATOR, pos)
        if end < 0:
            if len(buf) - pos > MAX_RECORD_BYTES:
                reason = (
                    f"no record terminator within {MAX_RECORD_BYTES:,} bytes; "
                    "skipped to the next record"
                )
                yield Chunk(buf_offset + pos, bytes(buf[pos : pos + 24]), False, reason)
                pos, skipping = len(buf), True
                continue
            if eof or not fill():
                yield Chunk(buf_offset + pos, bytes(buf[pos:]), False)
                return
            continue
        # A record whose leader length ends exactly on a later 0x1D has a stray 0x1D inside.
        length = _leader_length(buf, pos)
        if length and pos + length - 1 > end:
            while len(buf) < pos + length and not eof:
                fill()
            end = buf.find(RECORD_TERMINATOR, pos)
            if len(buf) >= pos + length and buf[pos + length - 1] == RECORD_TERMINATOR:
                end = pos + length - 1
        yield Chunk(buf_offset + pos, bytes(buf[pos : end + 1]), True)
        pos = end + 1


def _leader_length(buf: bytearray, pos: int) -> int:
    head = bytes(buf[pos : pos + 5])
    return int(head) if len(head) == 5 and head.isdigit() else 0


def parse_chunk(chunk: bytes, terminated: bool = True, *, repair: bool = True) -> DecodedChunk:
    """Turn one record's bytes into a decoded Record, or raise ChunkError with the reason.

    repair=False is for bytes Shelfwise wrote itself (storage): UTF-8 is trusted as is,
    and indicators and subfield codes are kept exactly, so reading inverts writing.
    """
    warnings: list[str] = []
    body = chunk[:-1] if terminated and chunk.endswith(b"\x1d") else chunk
    if len(body) < 25:
        raise ChunkError(f"too short to be a MARC record ({len(chunk)} bytes)")
    leader = _read_leader(body[:24], warnings)
    if not leader[:5].isdigit():
        raise ChunkError(f"leader is not valid: record length {leader[:5]!r} is not a number")
    declared = int(leader[:5])
    if not terminated:
        if declared > len(chunk):
            raise ChunkError(
                f"record is truncated: the leader says {declared} bytes but the file "
                f"ends after {len(chunk)}"
            )
        warnings.append("record has no record terminator (0x1D)")
    elif declared != len(chunk):
        warnings.append(
            f"leader gives the record length as {declared} bytes, but it is {len(chunk)}"
        )
    entries = _read_directory(body, leader, warnings)
    raw_fields = _field_bytes(body, entries, warnings)
    if repair or leader[9] != "a":
        choice = choose_encoding(_data_area(body, entries), leader[9])
    else:
        choice = _TRUSTED_UTF8
    fields = [_make_field(tag, data, choice.codec, warnings, repair) for tag, data in raw_fields]
    record = Record(leader=leader[:9] + "a" + leader[10:], fields=fields)
    return DecodedChunk(record, choice, warnings)


def _data_area(body: bytes, entries: list[tuple[str, int, int]]) -> bytes:
    # Terminators and delimiters are ASCII, so they do not disturb encoding detection.
    return body[min(start for _, start, _ in entries) :]


def _read_leader(raw: bytes, warnings: list[str]) -> str:
    if raw.isascii() and raw.decode("ascii").isprintable():
        return raw.decode("ascii")
    chars = []
    for i, byte in enumerate(raw):
        if 0x20 <= byte < 0x7F:
            chars.append(chr(byte))
            continue
        if i in _NUMERIC_LEADER:
            raise ChunkError(f"leader is not valid: byte 0x{byte:02X} at position {i}")
        chars.append(_FIXED_LEADER.get(i, " "))
        warnings.append(f"leader/{i:02d} held the byte 0x{byte:02X}; replaced")
    return "".join(chars)


def clean_leader(leader: str, warnings: list[str]) -> str:
    """A 24-character printable-ASCII leader from whatever MARCXML or JSON supplied.

    Anything else would shift or split the record when it is written as ISO 2709.
    """
    if len(leader) != 24:
        warnings.append(f"leader has {len(leader)} characters instead of 24")
        leader = (leader + " " * 24)[:24]
    if leader.isascii() and leader.isprintable():
        return leader
    chars = [
        c if c.isascii() and c.isprintable() else _FIXED_LEADER.get(i, " ")
        for i, c in enumerate(leader)
    ]
    warnings.append("leader held characters that are not printable ASCII; replaced")
    return "".join(chars)


def _read_directory(body: bytes, leader: str, warnings: list[str]) -> list[tuple[str, int, int]]:
    base_text = leader[12:17]
    if not base_text.isdigit():
        raise ChunkError(f"leader is not valid: base address of data {base_text!r} is not a number")
    base = int(base_text)
    if base == 0:
        raise ChunkError("leader is not valid: base address of data is 0 (missing)")
    if base < 25:
        raise ChunkError(f"leader is not valid: base address of data ({base}) is inside the leader")
    if base > len(body):
        raise ChunkError(
            f"leader is not valid: base address of data ({base}) is beyond the end of "
            f"the record ({len(body) + 1} bytes)"
        )
    directory = body[24 : base - 1]
    if body[base - 1 : base] != FIELD_TERMINATOR:
        first = body.find(FIELD_TERMINATOR, 24)
        if first < 0 or (first - 24) % 12:
            raise ChunkError("directory is not valid: it does not end where the leader says")
        warnings.append(f"leader base address {base} is wrong; the directory ends at {first + 1}")
        directory, base = body[24:first], first + 1
    if not directory:
        raise ChunkError("record has no fields (empty directory)")
    if not directory.isascii():
        raise ChunkError("directory is not valid: it contains non-ASCII bytes")
    if len(directory) % 12:
        raise ChunkError(
            f"directory is not valid: its length ({len(directory)} bytes) is not a multiple of 12"
        )
    text = directory.decode("ascii")
    entries = []
    for i in range(0, len(text), 12):
        tag, length, start = text[i : i + 3], text[i + 3 : i + 7], text[i + 7 : i + 12]
        if not (length.isdigit() and start.isdigit()):
            raise ChunkError(
                f"directory is not valid: entry {i // 12 + 1} (tag {tag!r}) has "
                f"length {length!r} and start {start!r}"
            )
        entries.append((tag, base + int(start), int(length)))
    return entries


def _field_bytes(
    body: bytes, entries: list[tuple[str, int, int]], warnings: list[str]
) -> list[tuple[str, bytes]]:
    """Each field's bytes without its terminator, by directory when it fits, else by 0x1E."""
    out = []
    for tag, start, length in entries:
        data = body[start : start + length]
        if length < 1 or data.find(FIELD_TERMINATOR) != length - 1:
            break
        out.append((tag, data[:-1]))
    else:
        return out
    # Directory offsets do not meet the field terminators: trust the terminators, keeping
    # the directory's tags in the order of their offsets.
    data_start = min(start for _, start, _ in entries)
    pieces = body[data_start:].split(FIELD_TERMINATOR)
    if pieces and not pieces[-1].strip(b" \r\n\x00"):
        pieces.pop()
    ordered = sorted(entries, key=lambda e: e[1])
    if len(pieces) != len(ordered):
        warnings.append(
            f"directory lists {len(ordered)} fields but {len(pieces)} were found; "
            f"kept {min(len(pieces), len(ordered))}"
        )
    else:
        warnings.append(
            "directory offsets do not match the field terminators (the leader may count "
            "characters, not bytes); fields were split on terminators instead"
        )
    out = [(tag, piece) for (tag, _, _), piece in zip(ordered, pieces, strict=False)]
    if not out:
        raise ChunkError("record has no fields")
    return out


def _make_field(
    tag: str, data: bytes, codec: str, warnings: list[str], repair: bool = True
) -> Field:
    if tag < "010" and tag.isdigit():
        text, errors = decode_text(data, codec)
        if errors:
            warnings.append(f"field {tag}: {errors} character(s) could not be decoded")
        if repair and not text.isprintable():
            text = strip_control_chars(tag, text, warnings)
        return Field(tag=tag, data=text)
    errors = 0
    subfields = []
    if codec == MARC8:
        # MARC-8 escape state resets per subfield, so decode piece by piece.
        head_bytes, sep, rest_bytes = data.partition(SUBFIELD_DELIMITER)
        head = head_bytes.decode("latin-1")
        if sep:
            for piece in rest_bytes.split(SUBFIELD_DELIMITER):
                if not piece:
                    continue
                text, bad = decode_text(piece[1:], codec)
                errors += bad
                code = chr(piece[0])
                if repair and code not in _GOOD_CODES:
                    code = _fold_code(tag, piece[:1].decode("latin-1"), warnings)
                subfields.append(_subfield(Subfield, (code, text)))
    else:
        # The delimiter is ASCII, so decoding the whole field first is safe and faster.
        text, errors = decode_text(data, codec)
        head, sep, rest = text.partition("\x1f")
        if sep:
            for piece in rest.split("\x1f"):
                if not piece:
                    continue
                code = piece[0]
                if repair and code not in _GOOD_CODES:
                    code = _fold_code(tag, code, warnings)
                subfields.append(_subfield(Subfield, (code, piece[1:])))
    if errors:
        warnings.append(f"field {tag}: {errors} character(s) could not be decoded")
    if repair:
        indicators = _INDICATORS.get(head) or _indicators(tag, head, warnings)
    else:
        indicators = Indicators(*(head + "  ")[:2])
    return _data_field(tag, indicators, subfields)


def strip_control_chars(tag: str, text: str, warnings: list[str]) -> str:
    """Control characters in a control field: some systems (danMARC) put subfield
    delimiters there, and XML cannot carry them, so both readers drop them. Decision: in
    the fixed-length fields 006/007/008 they become blanks, keeping every position."""
    filler = " " if tag in FIXED_LENGTH_TAGS else ""
    cleaned, count = _CONTROL_CHARS.subn(filler, text)
    if count:
        warnings.append(f"field {tag}: {count} control character(s) removed")
    return cleaned


def _data_field(tag: str, indicators: Indicators, subfields: list[Subfield]) -> Field:
    """Field.__init__ re-validates every argument; on the import hot path we already have
    clean values (pymarc is pinned, and these are all the slots __init__ sets)."""
    field = Field.__new__(Field)
    field.tag = tag
    field.data = None
    field.control_field = False
    field._indicators = indicators
    field.subfields = subfields
    return field


# Subfield is a namedtuple, whose __new__ is a Python function; tuple.__new__ builds
# the same object from C (a million of them in a 20,000-record import: 5% of reading).
_subfield = tuple.__new__

# Printable ASCII: anything else as a subfield code is a sign of damage.
_GOOD_CODES = frozenset(chr(c) for c in range(0x20, 0x7F))
_INDICATORS: dict[str, Indicators] = {}


def _indicators(tag: str, head: str, warnings: list[str]) -> Indicators:
    text = head
    if len(text) != 2:
        warnings.append(f"field {tag}: {len(text)} indicator(s) instead of 2")
        text = (text + "  ")[:2]
    # Decision: some exports write a blank indicator as a backslash (MARCMaker, as in
    # sample_acq_order.mrc) or '#' (LC documentation, as in FSL.marc); both mean blank.
    indicators = Indicators(
        *(" " if c in _BLANK_INDICATORS or not c.isprintable() else c for c in text)
    )
    if len(head) == 2 and len(_INDICATORS) < 10_000:
        _INDICATORS[head] = indicators
    return indicators


def _fold_code(tag: str, first: str, warnings: list[str]) -> str:
    """A subfield code that is not printable ASCII: fold it to ASCII if possible, else '?'."""
    folded = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    code = folded[:1] if folded[:1].isalnum() else "?"
    warnings.append(f"field {tag}: subfield code {first!r} is not valid; read as {code!r}")
    return code
