"""Export records as UTF-8 ISO 2709 or as one MARCXML <collection>, written record by
record so an export of the whole catalog runs in constant memory.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import TracebackType
from typing import BinaryIO

import pymarc
from pymarc.marcxml import record_to_xml_node

from shelfwise.marc.storage import MAX_ISO2709_BYTES, iso2709_fits, leader_with_unicode

FORMATS = ("iso2709", "marcxml")
_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
)
_XML_TAIL = b"</collection>\n"
# XML 1.0 cannot carry these at all; they only reach a record through damaged input.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DELIMITERS = re.compile("[\x1d\x1e\x1f]")


class MarcExportWriter:
    """Write records to a binary stream; use as a context manager or call close().

    close() finishes the document (the MARCXML closing tag) but leaves the stream open:
    the caller owns it. A record that cannot be written as ISO 2709 (over 99,999 bytes)
    is not written; it is listed in ``skipped`` as (001, reason) for the export report.
    """

    def __init__(self, stream: BinaryIO, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; use one of {FORMATS}")
        self.stream = stream
        self.format = fmt
        self.written = 0
        self.skipped: list[tuple[str, str]] = []
        self._closed = False
        if fmt == "marcxml":
            stream.write(_XML_HEAD)

    def __enter__(self) -> MarcExportWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, record: pymarc.Record) -> None:
        if self._closed:
            raise ValueError("write() after close()")
        data = self._iso2709(record) if self.format == "iso2709" else self._marcxml(record)
        if data is not None:
            self.stream.write(data)
            self.written += 1

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.format == "marcxml":
            self.stream.write(_XML_TAIL)
        if hasattr(self.stream, "flush"):
            self.stream.flush()

    def _iso2709(self, record: pymarc.Record) -> bytes | None:
        record = _with_unicode_leader(record)
        data = record.as_marc()
        if len(data) <= MAX_ISO2709_BYTES and iso2709_fits(record, data):
            return data
        # Delimiter bytes inside values would break the structure; blank them and retry.
        record = _map_values(record, lambda text: _DELIMITERS.sub(" ", text))
        data = record.as_marc()
        if len(data) <= MAX_ISO2709_BYTES and iso2709_fits(record, data):
            return data
        reason = (
            f"{len(data):,} bytes is over the ISO 2709 limit of {MAX_ISO2709_BYTES:,}"
            if len(data) > MAX_ISO2709_BYTES
            else "a field is too long or has an unusable tag for ISO 2709"
        )
        self.skipped.append((_control_number(record), reason))
        return None

    def _marcxml(self, record: pymarc.Record) -> bytes:
        record = _with_unicode_leader(record)
        node = record_to_xml_node(record, quiet=True)
        text = ET.tostring(node, encoding="unicode")
        if _XML_ILLEGAL.search(text):
            text = _XML_ILLEGAL.sub("", text)
        return text.encode("utf-8") + b"\n"


def _with_unicode_leader(record: pymarc.Record) -> pymarc.Record:
    leader = leader_with_unicode(record)
    if str(record.leader) == leader and isinstance(record.leader, pymarc.Leader):
        return record
    # A shallow copy, so exporting never changes the caller's record.
    return pymarc.Record(leader=leader, fields=list(record.fields))


def _map_values(record: pymarc.Record, fn: object) -> pymarc.Record:
    fields = []
    for f in record.fields:
        if f.control_field:
            fields.append(pymarc.Field(tag=f.tag, data=fn(f.data or "")))  # type: ignore[operator]
        else:
            subs = [pymarc.Subfield(c, fn(v)) for c, v in f.subfields]  # type: ignore[operator]
            fields.append(pymarc.Field(tag=f.tag, indicators=f.indicators, subfields=subs))
    return pymarc.Record(leader=str(record.leader), fields=fields)


def _control_number(record: pymarc.Record) -> str:
    for f in record.fields:
        if f.tag == "001" and f.control_field:
            return (f.data or "").strip()
    return ""
