"""Browser test harness: the real app in a server process, driven by Debian's Chromium.

`server` (session) migrates a fresh SQLite database in a temporary folder,
seeds it (tests/browser/seed.py) and runs Django's server on a free port of
127.0.0.1 in a subprocess: the browser talks to it over real HTTP, and the
test process never shares a database connection or an event loop with it.

`browser` launches /usr/bin/chromium through Playwright (never a downloaded
browser). Without Chromium the tests skip, except under CI=true where they
fail: CI installs it (`apt-get install chromium`).

Set BROWSER_SCREENSHOTS=/some/dir to save a screenshot of every page checked.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.seed import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_DIR = Path(__file__).resolve().parents[2]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(
        f"the test server did not answer in {timeout}s:\n{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium_path) -> Iterator[str]:
    """Base URL of a seeded Shelfwise running in its own process."""
    var_dir = tmp_path_factory.mktemp("browser-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shelfwise.settings",
        "DEBUG": "true",  # static files from the finders, no collectstatic step
        "SHELFWISE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'browser.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_IMMEDIATE": "true",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    env.pop("SHELFWISE_TESTING", None)
    python = sys.executable
    subprocess.run(
        [python, "-m", "shelfwise.cli", "migrate", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )
    subprocess.run([python, "-m", "tests.browser.seed"], cwd=PROJECT_DIR, env=env, check=True)

    port = _free_port()
    log = var_dir / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [python, "-m", "shelfwise.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(f"{base_url}/login/", process, log)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sessions(browser, server) -> dict[str, dict]:
    """Signed-in storage state per username, each made once through the real login form."""
    cache: dict[str, dict] = {}

    def login(username: str) -> dict:
        context = browser.new_context(base_url=server)
        page = context.new_page()
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("form[action='/login/'] button[type=submit]")
        page.wait_for_url(f"{server}/")
        state = context.storage_state()
        context.close()
        return state

    def get(username: str, *, fresh: bool = False) -> dict:
        # A fresh session for tests that change session state (the school).
        if fresh:
            return login(username)
        if username not in cache:
            cache[username] = login(username)
        return cache[username]

    return get  # type: ignore[return-value]


@pytest.fixture
def open_page(browser, server, sessions):
    """open_page(path, username=None, lang="en", viewport="desktop", scheme="light", fresh=False).

    Signed in as `username` (a shared session unless fresh=True), with the
    language cookie set; returns the Playwright Page.
    """
    contexts = []

    def open_(
        path: str,
        *,
        username: str | None = None,
        lang: str = "en",
        viewport: str = "desktop",
        scheme: str = "light",
        fresh: bool = False,
    ):
        state = sessions(username, fresh=fresh) if username else None
        context = browser.new_context(
            base_url=server,
            viewport=VIEWPORTS[viewport],
            color_scheme=scheme,
            storage_state=state,
            reduced_motion="reduce",
        )
        context.add_cookies([{"name": "django_language", "value": lang, "url": server}])
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()


def save_screenshot(page, name: str) -> None:
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
