"""How a record is kept in the database: compact UTF-8 ISO 2709 when it fits, MARC-in-JSON
when it does not, plus a content hash for "has this record changed?" on re-import.
"""

from __future__ import annotations

import hashlib
import json

import pymarc

from shelfwise.marc.holdings import HOLDING_TAGS
from shelfwise.marc.iso2709 import clean_leader, parse_chunk
from shelfwise.marc.jsonstream import dict_to_record

MAX_ISO2709_BYTES = 99_999
_HASH_IGNORED = frozenset(("005", *HOLDING_TAGS))


def to_storage(record: pymarc.Record) -> bytes:
    """UTF-8 ISO 2709 (leader/09 'a'), or MARC-in-JSON bytes starting with '{' when the
    record cannot be ISO 2709: over 99,999 bytes, a field over 9,999 bytes, a tag that is
    not three characters, delimiter bytes inside the data, or no fields at all."""
    record.leader = pymarc.Leader(leader_with_unicode(record))
    try:
        data = record.as_marc()
    except (UnicodeError, ValueError, TypeError):
        return _to_json(record)
    if record.fields and len(data) <= MAX_ISO2709_BYTES and iso2709_fits(record, data):
        return data
    return _to_json(record)


def leader_with_unicode(record: pymarc.Record) -> str:
    leader = clean_leader(str(record.leader or ""), [])
    return leader[:9] + "a" + leader[10:]


def iso2709_fits(record: pymarc.Record, data: bytes) -> bool:
    fields = record.fields
    base = int(data[12:17])
    subfield_count = sum(len(f.subfields) for f in fields if not f.control_field)
    # Each check catches one way as_marc() silently writes a broken record.
    return (
        all(len(f.tag) == 3 for f in fields)
        and base - 25 == 12 * len(fields)
        and data.count(b"\x1e") == len(fields) + 1
        and data.count(b"\x1d") == 1
        and data.count(b"\x1f") == subfield_count
    )


def _to_json(record: pymarc.Record) -> bytes:
    return json.dumps(record.as_dict(), ensure_ascii=False, separators=(",", ":")).encode()


def from_storage(data: bytes) -> pymarc.Record:
    """Inverse of to_storage, for either form."""
    if data[:1] == b"{":
        return dict_to_record(json.loads(data), [])
    return parse_chunk(data, repair=False).record


def content_hash(record: pymarc.Record) -> str:
    """40-hex SHA-1 of the bibliographic content: fields in order except 005 and holdings,
    and the leader without its length, base address and character coding (00-04, 09, 12-16).
    """
    leader = str(record.leader or "").ljust(24)
    parts = [leader[5:9] + leader[10:12] + leader[17:24]]
    append = parts.append
    for f in record.fields:
        tag = f.tag
        if tag in _HASH_IGNORED:
            continue
        if f.control_field:
            append(tag + "\x1f" + (f.data or ""))
        else:
            # Plain concatenation, not f-strings in a generator: this runs for
            # every subfield of every imported record.
            first, second = f.indicators
            append(
                tag
                + first
                + second
                + "".join(["\x1f" + code + value for code, value in f.subfields])
            )
    # SHA-1 as a change detector, not for security (the brief fixes 40 hex digits).
    payload = "\x1e".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha1(payload, usedforsecurity=False).hexdigest()


def without_holdings(record: pymarc.Record) -> pymarc.Record:
    """A copy of the record without 852/952 (copies live in Item rows, not in the MARC).

    Decision: 005 (last transaction time) is kept: it is part of the record as the source
    system sent it, and content_hash ignores it anyway.
    """
    fields = []
    for f in record.fields:
        if f.tag in HOLDING_TAGS:
            continue
        if f.control_field:
            fields.append(pymarc.Field(tag=f.tag, data=f.data))
        else:
            fields.append(
                pymarc.Field(tag=f.tag, indicators=f.indicators, subfields=list(f.subfields))
            )
    return pymarc.Record(leader=str(record.leader), fields=fields)
