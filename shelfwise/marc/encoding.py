"""Character-set handling for ISO 2709 records: a MARC-8 decoder that counts its failures,
and the per-record guess of which encoding a record really uses.

Leader/09 is often wrong in real exports (UTF-8 data flagged MARC-8, MARC-8 flagged UTF-8,
Russian catalogues in Windows-1251), so the decision is made from the bytes themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pymarc import Record, Subfield, marc8_mapping

# Codec names used inside this package; "marc-8" is handled by decode_marc8().
UTF8 = "utf-8"
UTF8_REPLACE = "utf-8-replace"
MARC8 = "marc-8"
CP1251 = "cp1251"
CP866 = "cp866"
UTF8_DOUBLE = "utf-8-double"  # UTF-8 that was decoded as Latin-1/cp1252 and encoded again

_BASIC_LATIN = 0x42
_ANSEL = 0x45
_CODESETS = marc8_mapping.CODESETS
_ODD_MAP = marc8_mapping.ODD_MAP
_CJK = 0x31  # the only multibyte (3 bytes per character) MARC-8 set
# Technique 1 escapes (ESC + final) select Greek symbols, subscripts, superscripts or ASCII.
_TECHNIQUE1 = {0x67, 0x62, 0x70}
_ESC_ASCII = 0x73
# Non-sort markers and joiners live in C1 but are legitimate ANSEL characters.
_ANSEL_C1 = {0x88, 0x89, 0x8D, 0x8E}
# MARC-8's lossless convention for characters it cannot express (MARC 21 spec, "NCR").
_NCR = re.compile(r"&#x([0-9A-Fa-f]{4,6});")


def decode_marc8(data: bytes) -> tuple[str, int]:
    """Decode one MARC-8 string (a subfield or control field); return (text, error count).

    Escape state starts from the defaults on every call, as MARC-8 requires per field.
    Unknown characters become U+FFFD and are counted, so a caller can tell clean MARC-8
    from another encoding. The result is NFC, like pymarc's own converter.
    """
    if not data:
        return "", 0
    if data.isascii() and 0x1B not in data:
        text = data.decode("ascii")
        return (_unescape_ncr(text) if "&#x" in text else text), 0
    g0, g1 = _BASIC_LATIN, _ANSEL
    out: list[str] = []
    combining: list[str] = []
    errors = 0
    pos, n = 0, len(data)
    while pos < n:
        byte = data[pos]
        if byte == 0x1B:
            pos, g0, g1, bad = _escape(data, pos, g0, g1)
            errors += bad
            continue
        if g0 == _CJK and byte < 0x80:
            if pos + 3 > n:
                errors += 1
                break
            code = (byte << 16) | (data[pos + 1] << 8) | data[pos + 2]
            pos += 3
            charset = g0
        else:
            pos += 1
            if byte < 0x20:
                # Field/subfield delimiters never reach here; other C0 bytes are noise.
                continue
            if 0x80 <= byte < 0xA0 and byte not in _ANSEL_C1:
                errors += 1
                continue
            code, charset = byte, (g1 if byte >= 0x80 else g0)
        table = _CODESETS.get(charset, {})
        hit = table.get(code) or table.get(code ^ 0x80)
        if hit is None:
            odd = _ODD_MAP.get(code)
            if odd is not None:
                out.append(chr(odd))
                continue
            if code == 0x20 or (byte < 0x80 and charset != _CJK and 0x20 <= code < 0x7F):
                # Space, and ASCII in a G0 set that has no entry for it: keep as ASCII.
                out.append(chr(code))
                continue
            errors += 1
            out.append("\ufffd")
            continue
        char, is_combining = chr(hit[0]), hit[1]
        if is_combining:
            # MARC-8 puts combining marks before their base letter; Unicode after.
            combining.append(char)
        else:
            out.append(char)
            if combining:
                out.extend(combining)
                combining.clear()
    out.extend(combining)
    text = unicodedata.normalize("NFC", "".join(out))
    return (_unescape_ncr(text) if "&#x" in text else text), errors


def _escape(data: bytes, pos: int, g0: int, g1: int) -> tuple[int, int, int, int]:
    """Apply the escape sequence at data[pos]; return (new pos, g0, g1, errors)."""
    n = len(data)
    nxt = data[pos + 1] if pos + 1 < n else -1
    if nxt in _TECHNIQUE1:
        return pos + 2, nxt, g1, 0
    if nxt == _ESC_ASCII:
        return pos + 2, _BASIC_LATIN, g1, 0
    p = pos + 2
    target = "g0"
    if nxt == 0x24:  # '$': multibyte; may be followed by an intermediate that picks G0/G1
        if p < n and data[p] in (0x2C, 0x28):
            p += 1
        elif p < n and data[p] in (0x29, 0x2D):
            p += 1
            target = "g1"
    elif nxt in (0x28, 0x2C):
        pass
    elif nxt in (0x29, 0x2D):
        target = "g1"
    else:
        return pos + 1, g0, g1, 1
    if p >= n:
        return n, g0, g1, 1
    final = data[p]
    if final not in _CODESETS:
        return p + 1, g0, g1, 1
    if target == "g0":
        return p + 1, final, g1, 0
    return p + 1, g0, final, 0


def _unescape_ncr(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _NCR.sub(repl, text)


@dataclass(frozen=True, slots=True)
class EncodingChoice:
    """How to decode one record, and how to describe that choice to a librarian."""

    codec: str  # one of UTF8, UTF8_DOUBLE, UTF8_REPLACE, MARC8, CP1251, CP866
    label: str
    misdeclared: bool


_HIGH_RUN3 = re.compile(rb"[\x80-\xff]{3,}")
_ASCII_BYTES = bytes(range(0x80))
_CYRILLIC = re.compile("[А-яЁё]")
# The ten most frequent Russian letters: right decoding makes them common, wrong makes them rare.
_COMMON_CYRILLIC = re.compile("[оеаинтсрвлОЕАИНТСРВЛ]")


def choose_encoding(data: bytes, leader09: str) -> EncodingChoice:
    """Pick the codec for a record's field data (everything after the directory).

    leader/09 'a' is trusted while the bytes are valid UTF-8. Otherwise the bytes decide:
    see the numbered rules below; the heuristic is tested on the real files in tests/marc.
    """
    if leader09 == "a":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return _utf8_flag_but_invalid(data)
        return _maybe_double(data, EncodingChoice(UTF8, "utf-8", False))

    said = "MARC-8" if leader09 == " " else f"'{leader09}'"
    suffix = f" (leader/09 says {said})" if leader09 == " " else f" (leader/09 is {said})"
    odd_flag = leader09 != " "
    # 1. Pure ASCII is the same in every candidate encoding.
    if data.isascii() and 0x1B not in data:
        return EncodingChoice(MARC8, "marc-8" + (suffix if odd_flag else ""), odd_flag)
    # 2. An escape sequence only makes sense in MARC-8.
    if 0x1B in data:
        return EncodingChoice(MARC8, "marc-8" + (suffix if odd_flag else ""), odd_flag)
    # 3. Multibyte sequences that are all valid UTF-8 do not happen by accident in MARC-8.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _maybe_double(data, EncodingChoice(UTF8, "utf-8" + suffix, True))
    # 4. MARC-8 or a Cyrillic code page.
    codec = _legacy_cyrillic(data)
    if codec:
        return EncodingChoice(codec, codec + suffix, True)
    return EncodingChoice(MARC8, "marc-8" + (suffix if odd_flag else ""), odd_flag)


# 'Ã' or 'Â' (and the other lead bytes seen as Latin-1) followed by a continuation byte
# seen as Latin-1: the signature of UTF-8 encoded twice.
_DOUBLE_UTF8 = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")


def _maybe_double(data: bytes, plain: EncodingChoice) -> EncodingChoice:
    """Detect mojibake such as 'rÃ¶misch' for 'römisch' and repair it if it is reversible."""
    if data.isascii() or not is_double_encoded(data.decode("utf-8")):
        return plain
    return EncodingChoice(UTF8_DOUBLE, "utf-8 (double-encoded, repaired)", True)


def is_double_encoded(text: str) -> bool:
    """True when all of `text` reads as UTF-8 that was encoded twice (see _maybe_double)."""
    if text.isascii() or not _DOUBLE_UTF8.search(text):
        return False
    for legacy in ("latin-1", "cp1252"):
        try:
            text.encode(legacy).decode("utf-8")
        except UnicodeError:
            continue
        return True
    return False


def undouble(text: str) -> str:
    """Undo double (or repeated) UTF-8 encoding while it stays reversible."""
    # Koha samples hold a '£' encoded four times over, so undo while it stays reversible.
    for _ in range(4):
        if not _DOUBLE_UTF8.search(text):
            break
        for legacy in ("latin-1", "cp1252"):
            try:
                text = text.encode(legacy).decode("utf-8")
                break
            except UnicodeError:
                continue
        else:
            break
    return text


def _utf8_flag_but_invalid(data: bytes) -> EncodingChoice:
    """Leader/09 says UTF-8 but the bytes are not: MARC-8 if it fits better, else repair."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    valid_multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if valid_multibyte < replaced and _marc8_errors(data) == 0:
        return EncodingChoice(MARC8, "marc-8 (leader/09 says UTF-8)", True)
    return EncodingChoice(UTF8_REPLACE, "utf-8 with invalid bytes replaced", True)


def _marc8_errors(data: bytes) -> int:
    errors = 0
    for part in data.replace(b"\x1e", b"\x1f").split(b"\x1f"):
        errors += decode_marc8(part)[1]
    return errors


def _legacy_cyrillic(data: bytes) -> str | None:
    """Return "cp1251"/"cp866" when the high bytes read as Russian text, else None.

    Scoring (Decision: thresholds tuned on 1251.dat, cp866_*.marc and the MARC-8 files):
    MARC-8 puts a high byte (a combining mark) before an ASCII letter, so runs of three or
    more high bytes are rare; in a Cyrillic code page every word is such a run. Of the two
    code pages, the one under which the common Russian letters are frequent wins.
    """
    high = data.translate(None, _ASCII_BYTES)
    in_runs = sum(len(m) for m in _HIGH_RUN3.findall(data))
    runs = in_runs / len(high)
    if runs < 0.5 and not (runs >= 0.3 and _marc8_errors(data)):
        return None
    best, best_common = None, 0.0
    for codec in (CP1251, CP866):
        text = high.decode(codec, "replace")
        cyrillic = len(_CYRILLIC.findall(text)) / len(high)
        common = len(_COMMON_CYRILLIC.findall(text)) / len(high)
        if cyrillic >= 0.6 and common >= 0.3 and common > best_common:
            best, best_common = codec, common
    return best


def decode_text(data: bytes, codec: str) -> tuple[str, int]:
    """Decode a control field or subfield value with a codec chosen by choose_encoding()."""
    if codec == UTF8:
        return data.decode("utf-8"), 0
    if codec == MARC8:
        return decode_marc8(data)
    if codec == UTF8_DOUBLE:
        return undouble(data.decode("utf-8")), 0
    if codec == UTF8_REPLACE:
        text = data.decode("utf-8", "replace")
        return text, text.count("\ufffd")
    return data.decode(codec, "replace"), 0


_DOUBLE_REPAIRED = EncodingChoice(UTF8_DOUBLE, "utf-8 (double-encoded, repaired)", True)


def repair_double_encoding(record: Record) -> EncodingChoice | None:
    """For records that arrive as text (MARCXML, JSON): undo double UTF-8 encoding in place
    when the whole record shows it, as the ISO 2709 reader does; None when not needed."""
    values = [
        (f.data or "") if f.control_field else "".join(v for _, v in f.subfields)
        for f in record.fields
    ]
    if not is_double_encoded("\x1e".join(values)):
        return None
    for f in record.fields:
        if f.control_field:
            f.data = undouble(f.data or "")
        else:
            f.subfields = [Subfield(code, undouble(value)) for code, value in f.subfields]
    return _DOUBLE_REPAIRED
