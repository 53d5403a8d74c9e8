"""SIP2 fixtures: a kiosk account at the personas' school, copies, a running server, a client."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
from django.db import connections

from shelfwise.sip2 import protocol as p

KIOSK_LOGIN = "kiosk-front"
KIOSK_PASSWORD = "kiosk password 1234"


@pytest.fixture
def kiosk(personas):
    from shelfwise.sip2.services import kiosk_create

    return kiosk_create(
        school=personas.school,
        login_id=KIOSK_LOGIN,
        password=KIOSK_PASSWORD,
        location_code="LIBRARY-FRONT",
        by=personas.librarian,
    )


@pytest.fixture
def shelf(personas):
    """Three titles at LMS: the first with two copies (T0001, T0002), then T0003, T0004;
    one copy at the other school (X0001)."""
    from shelfwise.catalog.services import item_create, record_create
    from shelfwise.marc.build import build_record

    records = [
        record_create(
            marc_record=build_record(title=title, authors=[author]), by=personas.librarian
        )
        for title, author in [
            ("Los volcanes", "Rivera, Ana"),
            ("Hatchet", "Paulsen, Gary"),
            ("كتاب الرمال", "Borges, Jorge Luis"),
        ]
    ]
    items = [
        item_create(record=records[0], school=personas.school, by=personas.librarian, barcode=code)
        for code in ("T0001", "T0002")
    ] + [
        item_create(
            record=records[1], school=personas.school, by=personas.librarian, barcode="T0003"
        ),
        item_create(
            record=records[2], school=personas.school, by=personas.librarian, barcode="T0004"
        ),
        item_create(
            record=records[1], school=personas.other_school, by=personas.outsider, barcode="X0001"
        ),
    ]
    return records, items


@pytest.fixture
def sip2_server(transactional_db) -> Iterator:
    """A real server on a free port of 127.0.0.1, its loop in a thread of this process."""
    from shelfwise.sip2.server import Sip2Server

    server = Sip2Server("127.0.0.1", 0, workers=4, idle_timeout=3.0)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield server
    asyncio.run_coroutine_threadsafe(server.close(), loop).result(20)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    connections.close_all()


class Client:
    """A bare socket speaking SIP2 through the codec under test."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""
        self.sequence = 0

    def raw(self, data: bytes) -> bytes:
        self.sock.sendall(data)
        return self.read()

    def read(self) -> bytes:
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r")
        return line + b"\r"

    def send(
        self,
        code: str,
        fixed: dict | None = None,
        fields: list | None = None,
        *,
        checksum: bool = True,
    ) -> p.Message:
        self.sequence = (self.sequence + 1) % 10
        data = p.build(
            code, fixed or {}, fields or [], sequence=self.sequence, error_detection=checksum
        )
        return p.parse(self.raw(data))

    def login(self, login: str = KIOSK_LOGIN, password: str = KIOSK_PASSWORD) -> p.Message:
        return self.send(
            "93",
            {"uid_algorithm": "0", "pwd_algorithm": "0"},
            [("CN", login), ("CO", password), ("CP", "LIBRARY-FRONT")],
        )

    def closed(self) -> bool:
        """True when the server has hung up (EOF), waiting up to the socket timeout."""
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, BrokenPipeError):
            return True

    def close(self) -> None:
        self.sock.close()


DATE = "20260115    103000"
BLANK = " " * 18


@pytest.fixture
def kiosk_conn(sip2_server, kiosk) -> Iterator[Client]:
    c = Client(sip2_server.port)
    assert c.login().fixed["ok"] == "1"
    yield c
    c.close()
