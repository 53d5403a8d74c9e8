"""The student catalog in a real browser: axe on every OPAC page (en, es, ar; phone and
desktop), no sideways scrolling at 360 px, and a keyboard-only search → facet → record."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_a11y import assert_accessible, assert_page_language

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "es", "ar"]
CONFIGURATIONS = [("phone", "light"), ("desktop", "light"), ("desktop", "dark")]


def _record_path(open_page, title: str) -> str:
    page = open_page("/search/?q=volcanoes")
    link = page.get_by_role("link", name=title, exact=True)
    href = link.get_attribute("href")
    return href.split("?", 1)[0]


def _pages(open_page) -> dict[str, tuple[str, str | None]]:
    record = _record_path(open_page, "Los volcanes")
    return {
        "opac-start": ("/search/", None),
        "opac-results": ("/search/?q=volcanoes", None),
        "opac-filtered": ("/search/?q=volcanoes&language=spa&band=6-8", None),
        "opac-empty": ("/search/?q=zzzqqq", None),
        "opac-record": (record, None),
        "opac-results-student": ("/search/?q=volcanoes", "student"),
        "opac-record-student": (record, "student"),
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_opac_pages_are_accessible(open_page, lang):
    for name, (path, username) in _pages(open_page).items():
        for viewport, scheme in CONFIGURATIONS:
            page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
            label = f"{name} [{lang}, {viewport}, {scheme}]"
            assert_page_language(page, lang)
            assert_accessible(page, label)
            if viewport == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 360, f"{label} is {width}px wide"
            save_screenshot(page, f"{name}-{lang}-{viewport}-{scheme}")


def test_anonymous_home_is_the_catalog_search(open_page, server):
    page = open_page("/")
    assert page.url == f"{server}/search/"
    assert page.locator("#opac-q").is_visible()


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until `predicate` (JS, given `el` = document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_keyboard_only_search_filter_and_open_a_record(open_page, viewport):
    page = open_page("/search/", viewport=viewport)
    _tab_to(page, "el.id === 'opac-q'")
    page.keyboard.type("volcanoes")
    page.keyboard.press("Enter")
    page.locator("#results-heading").filter(has_text="volcanoes").wait_for()
    everything = page.locator(".opac-hit").count()
    assert "Volcanoes" in page.inner_text(".opac-list")

    _tab_to(page, "el.tagName === 'A' && el.textContent.includes('Spanish')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"language=spa"))  # the filtered list has its own address
    page.locator(".opac-chip").wait_for()
    hits = page.inner_text(".opac-list")
    assert 0 < page.locator(".opac-hit").count() < everything
    assert "Los volcanes" in hits and "Volcanoes\n" not in hits
    assert all("Spanish" in fact for fact in page.locator(".opac-hit__facts").all_inner_texts())

    _tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Los volcanes'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/records/\d+/"))
    assert page.inner_text("h1") == "Los volcanes"
    assert "Spanish" in page.inner_text(".opac-facts")


def test_search_works_without_javascript(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/search/")
        page.fill("#opac-q", "volcanoes")
        page.click(".opac-form button[type=submit]")
        page.wait_for_url(re.compile(r"q=volcanoes"))
        page.get_by_role("link", name=re.compile("Arabic")).click()
        page.wait_for_url(re.compile(r"language=ara"))
        assert "البراكين" in page.inner_text(".opac-list")
        assert "Volcanoes" not in page.inner_text(".opac-list")
    finally:
        context.close()


def test_student_places_a_hold_from_the_record_page(open_page):
    record = _record_path(open_page, "Volcanoes")
    page = open_page(record, username="student", fresh=True)
    page.get_by_role("button", name="Place a hold").click()
    page.wait_for_load_state()
    assert "waiting for you" in page.inner_text(".messages")
    assert page.get_by_role("link", name="See your holds in My library").is_visible()
