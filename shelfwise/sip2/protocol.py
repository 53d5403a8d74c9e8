"""SIP2 (3M Standard Interchange Protocol 2.00) messages: parse, build, checksum, dates.

Plain Python, no Django: the server and the tests call it, the handlers never
see bytes. A message is a two-digit code, fixed-length fields in the order the
spec gives for that code, then variable fields `XXvalue|`, and optionally the
error-detection trailer `AY<digit>AZ<4 hex>` whose checksum is the 16-bit
two's complement of the sum of every byte from the first through "AZ".

Decision (written by hand): of the SIP2 libraries on PyPI, `sip2` (1.1, 2021)
is a client only (the tests use it as one), `invenio-sip2` is an Invenio/Flask
server whose message layer is tied to its own app and datastore, and `pysip2`
(0.1.0, Aug 2026) is a single alpha release, cp850 by default, on msgspec and
anyio, with no track record yet. The codec is small, the spec fixed since 1998
and golden-tested here against recorded exchanges of five public
implementations (tests/data/sip2/), so owning it costs less than an alpha
dependency in the path of every kiosk.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime

CR = b"\r"
DELIMITER = "|"
MAX_FIELD = 255  # characters of one variable field (a barcode, a title line)

# --- fixed-field layouts ---------------------------------------------------------------
# (name, width) in wire order. Requests an SC sends and responses an ACS sends.
_DATE = 18
FIXED: dict[str, tuple[tuple[str, int], ...]] = {
    # requests
    "93": (("uid_algorithm", 1), ("pwd_algorithm", 1)),
    "99": (("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)),
    "23": (("language", 3), ("transaction_date", _DATE)),
    "63": (("language", 3), ("transaction_date", _DATE), ("summary", 10)),
    "11": (
        ("sc_renewal_policy", 1),
        ("no_block", 1),
        ("transaction_date", _DATE),
        ("nb_due_date", _DATE),
    ),
    "09": (("no_block", 1), ("transaction_date", _DATE), ("return_date", _DATE)),
    "29": (
        ("third_party_allowed", 1),
        ("no_block", 1),
        ("transaction_date", _DATE),
        ("nb_due_date", _DATE),
    ),
    "17": (("transaction_date", _DATE),),
    "35": (("transaction_date", _DATE),),
    "15": (("hold_mode", 1), ("transaction_date", _DATE)),
    "97": (),
    "01": (("card_retained", 1), ("transaction_date", _DATE)),
    "25": (("transaction_date", _DATE),),
    "19": (("transaction_date", _DATE),),
    "37": (
        ("transaction_date", _DATE),
        ("fee_type", 2),
        ("payment_type", 2),
        ("currency_type", 3),
    ),
    "65": (("transaction_date", _DATE),),
    # responses
    "94": (("ok", 1),),
    "98": (
        ("online_status", 1),
        ("checkin_ok", 1),
        ("checkout_ok", 1),
        ("acs_renewal_policy", 1),
        ("status_update_ok", 1),
        ("offline_ok", 1),
        ("timeout_period", 3),
        ("retries_allowed", 3),
        ("date_time_sync", _DATE),
        ("protocol_version", 4),
    ),
    "24": (("patron_status", 14), ("language", 3), ("transaction_date", _DATE)),
    "26": (("patron_status", 14), ("language", 3), ("transaction_date", _DATE)),
    "64": (
        ("patron_status", 14),
        ("language", 3),
        ("transaction_date", _DATE),
        ("hold_items_count", 4),
        ("overdue_items_count", 4),
        ("charged_items_count", 4),
        ("fine_items_count", 4),
        ("recall_items_count", 4),
        ("unavailable_holds_count", 4),
    ),
    "12": (
        ("ok", 1),
        ("renewal_ok", 1),
        ("magnetic_media", 1),
        ("desensitize", 1),
        ("transaction_date", _DATE),
    ),
    "30": (
        ("ok", 1),
        ("renewal_ok", 1),
        ("magnetic_media", 1),
        ("desensitize", 1),
        ("transaction_date", _DATE),
    ),
    "10": (
        ("ok", 1),
        ("resensitize", 1),
        ("magnetic_media", 1),
        ("alert", 1),
        ("transaction_date", _DATE),
    ),
    "18": (
        ("circulation_status", 2),
        ("security_marker", 2),
        ("fee_type", 2),
        ("transaction_date", _DATE),
    ),
    "36": (("end_session", 1), ("transaction_date", _DATE)),
    "16": (("ok", 1), ("available", 1), ("transaction_date", _DATE)),
    "38": (("payment_accepted", 1), ("transaction_date", _DATE)),
    "20": (("item_properties_ok", 1), ("transaction_date", _DATE)),
    "66": (
        ("ok", 1),
        ("renewed_count", 4),
        ("unrenewed_count", 4),
        ("transaction_date", _DATE),
    ),
    "96": (),
}

# What a fixed field may hold, where the spec is strict enough to tell garbage
# from a message. Dates: YYYYMMDD, 4 chars of zone (spaces or e.g. "   Z"), HHMMSS;
# a date the SC leaves out (nb due date, return date) is 18 spaces.
_DATE_RE = re.compile(r"\d{8}.{4}\d{6}|\s{18}", re.ASCII)
_CHECKS: dict[str, re.Pattern[str]] = {
    "transaction_date": _DATE_RE,
    "nb_due_date": _DATE_RE,
    "return_date": _DATE_RE,
    "date_time_sync": _DATE_RE,
    "protocol_version": re.compile(r"\d\.\d\d", re.ASCII),
    "max_print_width": re.compile(r"[ \d]{3}", re.ASCII),
    "language": re.compile(r"\d{3}", re.ASCII),
    "status_code": re.compile(r"[012]"),
    "timeout_period": re.compile(r"\d{3}", re.ASCII),
    "retries_allowed": re.compile(r"\d{3}", re.ASCII),
    "hold_mode": re.compile(r"[-+*]"),
    "patron_status": re.compile(r"[ Y]{14}"),
    "summary": re.compile(r"[ Y]{10}"),
    "circulation_status": re.compile(r"\d\d", re.ASCII),
}
for _name in (
    "hold_items_count",
    "overdue_items_count",
    "charged_items_count",
    "fine_items_count",
    "recall_items_count",
    "unavailable_holds_count",
    "renewed_count",
    "unrenewed_count",
):
    _CHECKS[_name] = re.compile(r"\d{4}|\s{4}", re.ASCII)

_TRAILER = re.compile(rb"(?:AY(\d))?AZ([0-9A-Fa-f]{4})$")


class ProtocolError(ValueError):
    """The bytes are not a message this codec can read (the server answers 96)."""


class ChecksumError(ProtocolError):
    """The AZ checksum does not match the bytes (the server answers 96, does nothing)."""


@dataclass
class Message:
    code: str
    fixed: dict[str, str] = field(default_factory=dict)
    # Variable fields in wire order; a tag may repeat (AU, AF, …).
    fields: list[tuple[str, str]] = field(default_factory=list)
    sequence: int | None = None  # AY, when the sender used error detection
    checksum: str | None = None  # AZ as sent

    def get(self, tag: str, default: str = "") -> str:
        for name, value in self.fields:
            if name == tag:
                return value
        return default

    def getall(self, tag: str) -> list[str]:
        return [value for name, value in self.fields if name == tag]

    def has(self, tag: str) -> bool:
        return any(name == tag for name, _ in self.fields)


def checksum(data: bytes) -> str:
    """The AZ value for `data`: every byte from the message's first through "AZ"."""
    return f"{(-sum(data)) & 0xFFFF:04X}"


def strip_terminator(raw: bytes) -> bytes:
    """A message without its CR (or CR LF, or LF CR as some SCs send)."""
    return raw.rstrip(b"\r\n")


def decode_text(raw: bytes) -> str:
    # Decision: UTF-8 (titles in Arabic, Chinese…); an SC still on a single-byte
    # code page is read as Latin-1 rather than refused, since every byte decodes.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse(raw: bytes) -> Message:
    """Read one message (terminator optional). Raises ChecksumError or ProtocolError."""
    body = strip_terminator(raw)
    if len(body) < 2:
        raise ProtocolError("too short")
    sequence = sent = None
    trailer = _TRAILER.search(body)
    if trailer is not None:
        sent = trailer.group(2).decode("ascii").upper()
        through_az = body[: trailer.end() - 4]
        if checksum(through_az) != sent:
            raise ChecksumError(f"checksum {sent} != {checksum(through_az)}")
        if trailer.group(1) is not None:
            sequence = int(trailer.group(1))
        body = body[: trailer.start()]
    text = decode_text(body)
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ProtocolError("control character in message")
    code = text[:2]
    layout = FIXED.get(code)
    if layout is None:
        raise ProtocolError(f"unknown message code {code!r}")
    fixed: dict[str, str] = {}
    at = 2
    for name, width in layout:
        value = text[at : at + width]
        if len(value) != width:
            raise ProtocolError(f"{code}: fixed field {name} truncated")
        check = _CHECKS.get(name)
        if check is not None and not check.fullmatch(value):
            raise ProtocolError(f"{code}: fixed field {name} malformed")
        fixed[name] = value
        at += width
    fields = _variable_fields(text[at:], code)
    if any(tag in ("AY", "AZ") for tag, _ in fields):
        # Error detection is only ever the trailer: anything else is a damaged one.
        raise ProtocolError(f"{code}: malformed error-detection trailer")
    return Message(
        code=code,
        fixed=fixed,
        fields=fields,
        sequence=sequence,
        checksum=sent,
    )


def _variable_fields(text: str, code: str) -> list[tuple[str, str]]:
    fields = []
    for chunk in text.split(DELIMITER):
        if not chunk:
            continue  # "||" or a trailing "|"
        if len(chunk) < 2:
            raise ProtocolError(f"{code}: field without an identifier")
        if len(chunk) - 2 > MAX_FIELD:
            raise ProtocolError(f"{code}: field {chunk[:2]} longer than {MAX_FIELD}")
        fields.append((chunk[:2], chunk[2:]))
    return fields


def clean(value: object, limit: int = MAX_FIELD) -> str:
    """A value safe inside a variable field: no delimiter, no control characters."""
    text = "" if value is None else str(value)
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return text.replace(DELIMITER, "/")[:limit]


def build(
    code: str,
    fixed: dict[str, str] | None = None,
    fields: list[tuple[str, object]] | None = None,
    *,
    sequence: int | None = None,
    error_detection: bool = False,
) -> bytes:
    """The wire bytes of a message, CR included.

    Fixed fields must be given at their exact widths (a wrong width is a bug
    here, never the peer's fault: it raises). With `error_detection`, the
    trailer is AY<sequence>AZ<checksum> (96 and 97 carry AZ alone).
    """
    layout = FIXED[code]
    fixed = fixed or {}
    parts = [code]
    for name, width in layout:
        value = fixed[name]
        if len(value) != width:
            raise ValueError(f"{code}: {name} must be {width} chars, got {value!r}")
        parts.append(value)
    for tag, value in fields or []:
        parts.append(f"{tag}{clean(value)}{DELIMITER}")
    data = "".join(parts).encode("utf-8")
    if error_detection:
        if code in ("96", "97"):
            data += b"AZ"
        else:
            data += b"AY%dAZ" % ((sequence or 0) % 10)
        data += checksum(data).encode("ascii")
    return data + CR


# --- values -----------------------------------------------------------------------------


def sip_date(moment: datetime, tz: str) -> str:
    """YYYYMMDD    HHMMSS in the school's local time (the zone field left blank)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    return local.strftime("%Y%m%d    %H%M%S")


def parse_sip_date(value: str, tz: str) -> datetime | None:
    """A SIP date as an aware datetime (local to `tz` unless the zone says "Z")."""
    if not value.strip():
        return None
    if not _DATE_RE.fullmatch(value):
        raise ProtocolError("malformed date")
    zone = zoneinfo.ZoneInfo("UTC") if value[8:12].strip() == "Z" else zoneinfo.ZoneInfo(tz)
    naive = datetime.strptime(value[:8] + value[12:], "%Y%m%d%H%M%S")
    return naive.replace(tzinfo=zone)


def yn(flag: bool) -> str:
    return "Y" if flag else "N"


def count4(n: int) -> str:
    return f"{min(max(n, 0), 9999):04d}"


# Patron status: 14 positions, "Y" where the privilege is denied (DOMAIN.md §7).
PATRON_STATUS_FLAGS = (
    "charge_denied",
    "renew_denied",
    "recall_denied",
    "hold_denied",
    "card_lost",
    "too_many_charged",
    "too_many_overdue",
    "too_many_renewals",
    "too_many_claims_returned",
    "too_many_lost",
    "excessive_fines",
    "excessive_fees",
    "recall_overdue",
    "too_many_billed",
)


def patron_status(**denied: bool) -> str:
    unknown = set(denied) - set(PATRON_STATUS_FLAGS)
    if unknown:
        raise ValueError(f"unknown patron status flags {unknown}")
    return "".join("Y" if denied.get(name) else " " for name in PATRON_STATUS_FLAGS)


# The 16 positions of BX (supported messages), in the spec's order.
SUPPORTED_ORDER = (
    "23", "11", "09", "01", "99", "97", "93", "63", "35", "37", "17", "19", "25", "15", "29", "65",
)  # fmt: skip


def supported_messages(codes: set[str]) -> str:
    return "".join(yn(code in codes) for code in SUPPORTED_ORDER)


# SIP language codes (3 digits) for the interface languages Shelfwise ships.
LANGUAGES = {"000": None, "001": "en", "008": "es", "016": "ar"}
LANGUAGE_CODES = {"en": "001", "es": "008", "ar": "016"}
