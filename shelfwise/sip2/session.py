"""A SIP2 connection's state and the shape of a reply, shared by the handlers."""

from __future__ import annotations

import hashlib
import hmac
import os
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import timezone

from shelfwise.sip2 import protocol as p
from shelfwise.sip2.models import KioskAccount, Sip2Settings


@dataclass
class Session:
    """One connection's state; only the server's task for that connection touches it."""

    kiosk: KioskAccount | None = None
    language: str = "en"
    settings: Sip2Settings | None = None
    last_reply: bytes | None = None
    bad_logins: int = 0
    bad_pins: int = 0
    # barcode → keyed digest of the PIN already checked on this connection, so a
    # kiosk that sends the PIN with every message pays Argon2 once a reader.
    verified: dict[str, bytes] = field(default_factory=dict)
    key: bytes = field(default_factory=lambda: os.urandom(32))

    @property
    def school(self):
        return self.kiosk.school if self.kiosk else None

    @property
    def actor(self):
        return self.kiosk.actor if self.kiosk else None

    def pin_digest(self, barcode: str, pin: str) -> bytes:
        return hmac.new(self.key, f"{barcode}\0{pin}".encode(), hashlib.sha256).digest()


@dataclass
class Reply:
    code: str
    fixed: dict[str, str]
    fields: list[tuple[str, object]]
    close: bool = False


class Refused(Exception):
    """Close the connection without an answer (a message before login)."""


def now_sip(session: Session) -> str:
    tz = session.school.timezone if session.school else "UTC"
    return p.sip_date(timezone.now(), tz)


def due_sip(session: Session, due_on) -> str:
    tz = zoneinfo.ZoneInfo(session.school.timezone)
    return p.sip_date(
        datetime.combine(due_on, time(23, 59, 59), tzinfo=tz), session.school.timezone
    )
