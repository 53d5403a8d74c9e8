"""Self-check pages in a real browser: the librarian adds a kiosk by keyboard, and every
page (kiosk list, kiosk form with errors, kiosk edit, a reader's own PIN page) passes
axe-core in English, Spanish and Arabic (right to left), on a phone and a desktop."""

from __future__ import annotations

import pytest

from tests.browser.test_a11y import (
    CONFIGURATIONS,
    LANGUAGES,
    assert_accessible,
    assert_page_language,
)

pytestmark = pytest.mark.browser


def _check(page, label: str, lang: str) -> None:
    assert_page_language(page, lang)
    assert_accessible(page, f"{label} [{lang}]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kiosk_pages_by_keyboard_and_accessible(open_page, lang):
    page = open_page("/sip2/", username="librarian", lang=lang)
    _check(page, "kiosk list", lang)

    page.goto("/sip2/kiosks/new/")
    # A password too short: the form comes back with an inline error, still accessible.
    page.locator("#id_login_id").focus()
    page.keyboard.type(f"front-{lang}")
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Tab")
    page.keyboard.type("LIBRARY-FRONT")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    _check(page, "kiosk form with an error", lang)

    page.locator("#id_password").fill("a long kiosk password")
    page.locator("#id_location_code").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/sip2/")
    assert f"front-{lang}" in page.locator("#kiosks-caption").locator("..").inner_text()
    for viewport, scheme in CONFIGURATIONS:
        listing = open_page(
            "/sip2/", username="librarian", lang=lang, viewport=viewport, scheme=scheme
        )
        _check(listing, f"kiosk list with kiosks, {viewport} {scheme}", lang)
        if viewport == "phone":
            width = listing.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"kiosk list is {width}px wide on a phone"

    with page.expect_navigation():
        page.locator("table a").first.click()
    assert "/sip2/kiosks/" in page.url
    _check(page, "kiosk edit", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_student_sets_a_pin_from_my_library(open_page, lang):
    page = open_page("/circulation/account/", username="student", lang=lang)
    with page.expect_navigation():
        page.locator("a[href='/sip2/pin/']").click()
    _check(page, "my PIN", lang)
    page.locator("#id_pin").fill("12a")
    page.locator("#id_pin_again").fill("12a")
    with page.expect_navigation():
        page.locator("#id_pin_again").press("Enter")
    assert page.locator("#id_pin").get_attribute("aria-invalid") == "true"
    _check(page, "my PIN with an error", lang)
    page.locator("#id_pin").fill("2468")
    page.locator("#id_pin_again").fill("2468")
    with page.expect_navigation():
        page.locator("#id_pin_again").press("Enter")
    _check(page, "my PIN saved", lang)


def test_the_kiosk_pages_are_the_librarians_only(open_page):
    page = open_page("/", username="teacher")
    assert "Self-check" not in page.locator("nav.site-nav").inner_text()
    assert page.goto("/sip2/").status == 403
    librarian = open_page("/", username="librarian")
    assert "Self-check" in librarian.locator("nav.site-nav").inner_text()
