"""Streaming MARC-in-JSON (the pymarc/Code4Lib layout): a top-level array of record
objects, one object, or one object per line, decoded one record at a time.

pymarc's JSONReader loads the whole document first; this keeps memory constant and turns
a malformed record into a rejection instead of an exception.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any

from pymarc import Field, Indicators, Record, Subfield

from shelfwise.marc.encoding import UTF8, EncodingChoice, repair_double_encoding
from shelfwise.marc.iso2709 import (
    BLOCK_SIZE,
    ByteSource,
    ChunkError,
    DecodedChunk,
    clean_leader,
)

MAX_RECORD_CHARS = 16 * 1024 * 1024
# strict=False: real exports carry raw tabs and newlines inside strings.
_DECODER = json.JSONDecoder(strict=False)
_SKIP = re.compile(r"[\s,]*")
_NEXT_RECORD = re.compile(r'\{\s*"(?:leader|fields)"')
_JSON_UTF8 = EncodingChoice(UTF8, "utf-8", False)


def iter_results(
    source: ByteSource,
) -> Iterator[tuple[int | None, bytes, DecodedChunk | ChunkError]]:
    """Yield (byte offset, record JSON as UTF-8, result) for each record object."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    text = ""
    pos = 0
    byte_offset = source.origin  # byte offset of text[0]
    line = 1  # line number of text[0]
    eof = False
    in_array = False

    def fill() -> bool:
        nonlocal text, pos, byte_offset, line, eof
        if pos:
            consumed = text[:pos]
            byte_offset += len(consumed.encode("utf-8"))
            line += consumed.count("\n")
            text, pos = text[pos:], 0
        data = source.read(BLOCK_SIZE)
        eof = not data
        text += decoder.decode(data, final=eof)
        return bool(data)

    fill()
    if text.startswith("\ufeff"):
        pos = 1
    while True:
        pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            if eof or not fill():
                return
            continue
        char = text[pos]
        if char == "[" and not in_array:
            in_array, pos = True, pos + 1
            continue
        if char == "]" and in_array:
            in_array, pos = False, pos + 1
            continue
        try:
            obj, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            if not eof and len(text) - pos < MAX_RECORD_CHARS:
                fill()
                continue
            where = line + text.count("\n", 0, exc.pos)
            offset = byte_offset + len(text[:pos].encode("utf-8"))
            resync = _NEXT_RECORD.search(text, pos + 1)
            stop = resync.start() if resync else len(text)
            raw = text[pos:stop].encode("utf-8")
            yield offset, raw, ChunkError(f"not valid JSON at line {where}: {exc.msg}")
            pos = stop
            continue
        offset = byte_offset + len(text[:pos].encode("utf-8"))
        raw = text[pos:end].encode("utf-8")
        pos = end
        try:
            warnings: list[str] = []
            record = dict_to_record(obj, warnings)
            choice = repair_double_encoding(record) or _JSON_UTF8
            result: DecodedChunk | ChunkError = DecodedChunk(record, choice, warnings)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            result = ChunkError(f"MARC-in-JSON record is not valid: {exc}")
        yield offset, raw, result
        if pos > BLOCK_SIZE:
            fill()


def dict_to_record(obj: Any, warnings: list[str]) -> Record:
    """Build a Record from one MARC-in-JSON object; ValueError says what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected an object, found {type(obj).__name__}")
    leader = obj.get("leader")
    if not isinstance(leader, str):
        warnings.append("no leader; assumed a book (nam)")
        leader = "00000nam a2200000   4500"
    else:
        leader = clean_leader(leader, warnings)
    raw_fields = obj.get("fields")
    if not isinstance(raw_fields, list):
        raise ValueError('"fields" is missing or not a list')
    fields = []
    for i, item in enumerate(raw_fields, 1):
        if not isinstance(item, dict) or len(item) != 1:
            raise ValueError(f"field {i} is not an object with one tag")
        ((tag, value),) = item.items()
        if value is None:
            value = ""
        if isinstance(value, str):
            field = Field(tag=str(tag), data=value)
            if not field.control_field:
                warnings.append(f"field {tag} has no subfields; its text kept as $a")
                field.subfields = [Subfield("a", value)]
        elif isinstance(value, dict):
            subfields = []
            for sub in value.get("subfields") or []:
                if not isinstance(sub, dict) or len(sub) != 1:
                    raise ValueError(f"field {tag}: a subfield is not an object with one code")
                ((code, text),) = sub.items()
                subfields.append(Subfield(str(code)[:1] or "?", "" if text is None else str(text)))
            ind1 = str(value.get("ind1") or " ")[:1]
            ind2 = str(value.get("ind2") or " ")[:1]
            field = Field(tag=str(tag), indicators=Indicators(ind1, ind2), subfields=subfields)
            if field.control_field:
                field.data = "".join(s.value for s in subfields)
        else:
            raise ValueError(f"field {tag} is neither text nor an object")
        fields.append(field)
    return Record(leader=leader[:9] + "a" + leader[10:], fields=fields)
