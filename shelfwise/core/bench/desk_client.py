"""A circulation desk as the browser drives it, over HTTP with the standard library only.

One `Desk` is one browser: its own cookies (session, CSRF), logged in through
the real login form, posting scans to /circulation/desk/scan/ with the
HX-Request header as htmx does, and timing each request from send to the
last byte of the answer.
"""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

SCAN = "/circulation/desk/scan/"
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class DeskError(Exception):
    pass


class Desk:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, hx: bool = False
    ) -> tuple[int, bytes, float]:
        """(status, body, seconds). Keeps the connection when the server allows it."""
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if hx:
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self._conn.request(method, path, body=body, headers=headers)
                response = self._conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had closed: open a new one, once.
                self.close()
                if attempt == 2:
                    raise
                started = time.perf_counter()
        seconds = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return response.status, data, seconds

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/login/")
        match = _CSRF_INPUT.search(page)
        if status != 200 or not match:
            raise DeskError(f"login page: HTTP {status}")
        form = {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": username,
            "password": password,
        }
        status, _, _ = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise DeskError(f"login as {username} failed: HTTP {status}")
        status, page, _ = self.request("GET", "/circulation/desk/")
        if status != 200 or b'id="scan-code"' not in page:
            raise DeskError(f"desk page: HTTP {status}")

    def scan(self, code: str, expect: bytes) -> float:
        """Scan `code` as htmx posts it; the answer must contain `expect`. Returns seconds."""
        status, page, seconds = self.request("POST", SCAN, {"code": code}, hx=True)
        if status != 200 or expect not in page:
            found = re.search(rb'id="desk-status"[^>]*>([^<]*)<', page)
            said = found.group(1).decode(errors="replace").strip() if found else page[:200]
            raise DeskError(f"scan {code}: HTTP {status}, expected {expect!r}, got {said!r}")
        return seconds

    def done(self) -> None:
        status, _, _ = self.request("POST", "/circulation/desk/done/", {}, hx=True)
        if status != 200:
            raise DeskError(f"done: HTTP {status}")
