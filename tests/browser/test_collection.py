"""Collection pages in a real browser: axe-core (WCAG 2.1 AA) in en, es and ar, the
phone width, and a librarian's path from a language gap to a purchase request by keyboard."""

from __future__ import annotations

import pytest

from tests.browser.test_a11y import assert_accessible, assert_page_language

pytestmark = pytest.mark.browser

PAGES = {
    "index": ("/collection/", "librarian"),
    "profile": ("/collection/profile/", "librarian"),
    "use": ("/collection/use/", "librarian"),
    "languages": ("/collection/languages/", "librarian"),
    "reading": ("/collection/reading-levels/", "ell"),
    "district": ("/collection/district/", "district"),
    "suggestions": ("/collection/suggestions/?language=ara", "librarian"),
    "weeding": ("/collection/weeding/", "librarian"),
    "weeding-500": ("/collection/weeding/500/", "librarian"),
    "requests-student": ("/collection/requests/", "student"),
    "requests-manage": ("/collection/requests/manage/", "librarian"),
    "orders": ("/collection/orders/", "librarian"),
}


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
@pytest.mark.parametrize("name", list(PAGES))
def test_collection_page_is_accessible(open_page, name, lang):
    path, username = PAGES[name]
    page = open_page(path, username=username, lang=lang)
    assert_page_language(page, lang)
    assert_accessible(page, f"{name} [{lang}]")
    if lang == "en":
        phone = open_page(path, username=username, lang=lang, viewport="phone", scheme="dark")
        assert_accessible(phone, f"{name} [phone, dark]")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width}px wide on a phone"


def test_order_page_is_accessible(open_page):
    page = open_page("/collection/orders/", username="librarian")
    page.get_by_role("link", name="#", exact=False).first.click()
    page.wait_for_url("**/collection/orders/*/")
    assert_accessible(page, "order")


def test_weeding_list_shows_the_old_500s(open_page):
    page = open_page("/collection/weeding/500/", username="librarian")
    table = page.locator("#caption-candidates").locator("xpath=..").inner_text()
    assert "Rocks and minerals" in table and "Our solar system" in table and "Plants" in table


def test_request_from_a_gap_by_keyboard(open_page):
    page = open_page(
        "/collection/requests/?gap=language&gap_value=ara&language=ara", username="ell"
    )
    assert page.locator("#id_language").input_value() == "ara"
    page.locator("#id_title").focus()
    page.keyboard.type("Mawsim al-Hijra")
    page.locator("#id_title").press("Enter")
    page.wait_for_url("**/collection/requests/")
    assert "Mawsim al-Hijra" in page.locator("#caption-mine").locator("xpath=..").inner_text()
    assert_accessible(page, "requests after sending")
