"""Streaming MARCXML: cut each <record> element out of the byte stream and parse it alone,
so one malformed record, a missing root element or stray control characters cost only
that record, and memory stays constant however big the file is.

An XML pull parser cannot do this: it stops for good at the first well-formedness error.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from pymarc import Field, Indicators, Record, Subfield

from shelfwise.marc.encoding import UTF8, EncodingChoice, repair_double_encoding
from shelfwise.marc.iso2709 import (
    BLOCK_SIZE,
    ByteSource,
    ChunkError,
    DecodedChunk,
    clean_leader,
)

MAX_RECORD_BYTES = 16 * 1024 * 1024
DEFAULT_LEADER = "00000nam a2200000   4500"

_PREFIXED = rb"<(?:([A-Za-z_][\w.\-]*):)?record(?=[\s/>])"
_START = re.compile(_PREFIXED)
_XMLNS = re.compile(rb"""xmlns(?::([\w.\-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.\-]+)["']""")
# XML 1.0 forbids these; Koha and danMARC exports still write them raw.
_ILLEGAL_CHARS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHAR_REF = re.compile(rb"&#(x[0-9A-Fa-f]+|[0-9]+);")
_ERROR_POSITION = re.compile(r": line \d+, column \d+$")
_SALVAGE_001 = re.compile(rb"""tag=["']001["'][^>]*>([^<]{1,100})<""")
_SALVAGE_245 = re.compile(
    rb"""tag=["']245["'][^>]*>\s*<(?:[\w.\-]+:)?subfield[^>]*code=["']a["'][^>]*>([^<]{1,300})<"""
)
_XML_UTF8 = EncodingChoice(UTF8, "utf-8", False)

_pair_cache: dict[bytes, tuple[re.Pattern[bytes], re.Pattern[bytes]]] = {}


def _patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Start/end patterns for one namespace prefix, so an OAI-PMH <record> wrapping a
    <marc:record> is not mistaken for two records."""
    pair = _pair_cache.get(prefix)
    if pair is None:
        p = re.escape(prefix + b":") if prefix else b""
        pair = (re.compile(b"<" + p + rb"record(?=[\s/>])"), re.compile(b"</" + p + rb"record\s*>"))
        _pair_cache[prefix] = pair
    return pair


def iter_results(
    source: ByteSource,
) -> Iterator[tuple[int | None, bytes, DecodedChunk | ChunkError]]:
    """Yield (byte offset, record element bytes, result) for each <record> in the stream."""
    buf = bytearray()
    buf_offset = source.origin
    pos = 0
    line = 1  # line number at buf[pos]
    eof = False
    namespaces: dict[bytes, bytes] = {}
    codec = None

    def fill() -> bool:
        nonlocal buf_offset, pos, eof
        if pos:
            del buf[:pos]
            buf_offset += pos
            pos = 0
        data = source.read(BLOCK_SIZE)
        eof = not data
        buf.extend(data)
        return bool(data)

    fill()
    codec = _declared_codec(bytes(buf[:200]))
    while True:
        m = _START.search(buf, pos)
        if m is None:
            # Keep a short tail: a start tag may straddle two reads.
            keep = max(pos, len(buf) - 64)
            _note_namespaces(buf[pos:keep], namespaces)
            line += buf.count(b"\n", pos, keep)
            pos = keep
            if eof or not fill():
                return
            continue
        start = m.start()
        prefix = m.group(1) or b""
        start_re, end_re = _patterns(prefix)
        end = end_re.search(buf, m.end())
        nested = start_re.search(buf, m.end(), end.start() if end else len(buf))
        if end is None and nested is None and not eof and len(buf) - start < MAX_RECORD_BYTES:
            fill()
            continue
        _note_namespaces(buf[pos:start], namespaces)
        line += buf.count(b"\n", pos, start)
        offset = buf_offset + start
        tag_end = buf.find(b">", start)
        if nested is not None:
            stop, problem = nested.start(), "the <record> element is not closed before the next one"
        elif end is not None:
            stop, problem = end.end(), ""
        elif len(buf) - start >= MAX_RECORD_BYTES:
            stop = len(buf)
            problem = f"no </record> within {MAX_RECORD_BYTES:,} bytes"
        else:
            stop, problem = len(buf), "the <record> element is not closed before the file ends"
        if not problem and tag_end > 0 and buf[tag_end - 1 : tag_end] == b"/":
            stop, problem = tag_end + 1, "empty <record/> element"
        raw = bytes(buf[start:stop])
        if problem:
            result: DecodedChunk | ChunkError = ChunkError(problem, *_salvage(raw))
        else:
            result = parse_record_xml(raw, namespaces, codec, line)
        line += raw.count(b"\n")
        pos = stop
        if codec:
            raw = raw.decode(codec, "replace").encode("utf-8")
        yield offset, raw, result


def _declared_codec(head: bytes) -> str | None:
    """The XML declaration's encoding when it is an ASCII-compatible one other than UTF-8."""
    m = _DECLARED_ENCODING.match(head)
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in ("utf-8", "ascii") or "16" in name or "32" in name:
        return None
    return name


def _note_namespaces(text: bytes | bytearray, namespaces: dict[bytes, bytes]) -> None:
    if b"xmlns" in text:
        for m in _XMLNS.finditer(text):
            namespaces[m.group(1) or b""] = m.group(2) if m.group(2) is not None else m.group(3)


def parse_record_xml(
    raw: bytes, namespaces: dict[bytes, bytes], codec: str | None = None, line: int = 1
) -> DecodedChunk | ChunkError:
    """Parse one <record> element's bytes (plus the root's namespace declarations)."""
    warnings: list[str] = []
    data = raw.decode(codec, "replace").encode("utf-8") if codec else raw
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return ChunkError("a <record> may not contain a DOCTYPE or ENTITY declaration")
    data, removed = _strip_text_controls(data) if _ILLEGAL_CHARS.search(data) else (data, 0)
    if b"&#" in data:
        data = _CHAR_REF.sub(_drop_illegal_ref, data)
        removed += data.count(b"\x00")
        data = data.replace(b"\x00", b"")
    if removed:
        warnings.append(f"removed {removed} control character(s) that XML does not allow")
    decls = b" ".join(
        (b"xmlns:" + p if p else b"xmlns") + b'="' + uri.replace(b'"', b"&quot;") + b'"'
        for p, uri in namespaces.items()
    )
    wrapped = b"<shelfwise-wrap " + decls + b">" + data + b"</shelfwise-wrap>"
    try:
        # Safe without defusedxml: entity expansion needs a DTD, and a DTD cannot occur
        # inside an element (checked above as well), so expat rejects any attempt.
        root = ET.fromstring(wrapped)  # noqa: S314
    except ET.ParseError as exc:
        err_line = exc.position[0] if exc.position else 1
        message = _ERROR_POSITION.sub("", str(exc.args[0]) if exc.args else "syntax error")
        return ChunkError(
            f"not well-formed XML at line {line + err_line - 1}: {message}", *_salvage(raw)
        )
    element = _marc_record(root)
    if element is None:
        return ChunkError("the <record> element holds no MARC leader or fields", *_salvage(raw))
    record = element_to_record(element, warnings)
    return DecodedChunk(record, repair_double_encoding(record) or _XML_UTF8, warnings)


_MARKUP_OR_CONTROL = re.compile(rb"<[^<>]*>|[\x00-\x08\x0b\x0c\x0e-\x1f]")


_FIXED_FIELD_TAG = re.compile(rb"""^<(?:[\w.\-]+:)?controlfield\b[^>]*tag=["']00[678]["']""")


def _strip_text_controls(data: bytes) -> tuple[bytes, int]:
    """Drop control characters from character data, where they are leaked MARC delimiters;
    in 006/007/008 they become blanks so positions hold (as in the ISO 2709 reader).

    Inside markup (a subfield code="\x07", as in three-records-second-bad.xml) they are
    left alone, so the parser rejects the record: there is no sensible repair.
    """
    removed = 0
    fixed = False

    def repl(m: re.Match[bytes]) -> bytes:
        nonlocal removed, fixed
        text = m.group(0)
        if text[:1] == b"<":
            if text[1:2] != b"/":
                fixed = bool(_FIXED_FIELD_TAG.match(text))
            return text
        removed += 1
        return b" " if fixed else b""

    return _MARKUP_OR_CONTROL.sub(repl, data), removed


def _drop_illegal_ref(m: re.Match[bytes]) -> bytes:
    text = m.group(1)
    try:
        code = int(text[1:], 16) if text[:1] == b"x" else int(text)
    except ValueError:
        return m.group(0)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0x10FFFF:
        return m.group(0)
    return b"\x00"  # marker counted and removed by the caller


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


_MARC_CHILDREN = {"leader", "controlfield", "datafield"}


def _marc_record(root: ET.Element) -> ET.Element | None:
    for element in root.iter():
        if _local(element.tag) == "record" and any(
            _local(child.tag) in _MARC_CHILDREN for child in element
        ):
            return element
    return None


def element_to_record(element: ET.Element, warnings: list[str]) -> Record:
    """Build a pymarc Record from a MARCXML <record> element, repairing what can be."""
    leader = None
    fields = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = child.text or ""
        elif name == "controlfield":
            tag = child.get("tag")
            if not tag:
                warnings.append("a controlfield without a tag was skipped")
                continue
            field = Field(tag=tag, data=child.text or "")
            if not field.control_field:
                warnings.append(f"controlfield {tag} should be a datafield; its text kept as $a")
                field.subfields = [Subfield("a", child.text or "")]
            fields.append(field)
        elif name == "datafield":
            tag = child.get("tag")
            if not tag:
                warnings.append("a datafield without a tag was skipped")
                continue
            indicators = Indicators(
                _indicator(tag, child.get("ind1"), warnings),
                _indicator(tag, child.get("ind2"), warnings),
            )
            subfields = []
            for sub in child:
                if _local(sub.tag) != "subfield":
                    continue
                code = sub.get("code") or ""
                if len(code) != 1:
                    warnings.append(f"field {tag}: subfield code {code!r} is not one character")
                    code = code[:1] or "?"
                subfields.append(Subfield(code, sub.text or ""))
            field = Field(tag=tag, indicators=indicators, subfields=subfields)
            if field.control_field:
                # A datafield with a control tag (00X): keep its text as control data.
                field.data = "".join(s.value for s in subfields)
            fields.append(field)
    if leader is None:
        warnings.append("no leader; assumed a book (nam)")
        leader = DEFAULT_LEADER
    else:
        leader = clean_leader(leader, warnings)
    return Record(leader=leader[:9] + "a" + leader[10:], fields=fields)


def _indicator(tag: str, value: str | None, warnings: list[str]) -> str:
    if value is None or value == "":
        return " "
    if len(value) != 1:
        warnings.append(f"field {tag}: indicator {value!r} is not one character")
    char = value[:1]
    return " " if char in ("\\", "#") else char


def _salvage(raw: bytes) -> tuple[str, str]:
    control = _SALVAGE_001.search(raw)
    title = _SALVAGE_245.search(raw)
    return (
        control.group(1).decode("utf-8", "replace").strip() if control else "",
        title.group(1).decode("utf-8", "replace").strip() if title else "",
    )
