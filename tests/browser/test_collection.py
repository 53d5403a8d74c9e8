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


def _arabic_titles(page) -> int:
    """The Titles cell of the Arabic row of the home-language coverage table."""
    table = page.locator("#caption-languages").locator("xpath=..")
    cells = table.locator("tbody tr", has_text="Arabic").locator("th, td").all_inner_texts()
    return int(cells[4].replace(",", "").strip())


def _option_value(page, select: str, text: str) -> str:
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def test_librarian_orders_and_receives_a_gap_title(open_page):
    """Issue 6's loop through the pages: a request from the Arabic gap, a budget line, an
    order placed within it, copies received by scanning, and one more Arabic title in
    the coverage report; every page on the way axe-clean."""
    report = open_page("/collection/languages/", username="librarian")
    before = _arabic_titles(report)
    assert_accessible(report, "languages before ordering")

    page = open_page(
        "/collection/requests/?gap=language&gap_value=ara&language=ara", username="librarian"
    )
    assert_accessible(page, "request form from the gap")
    page.fill("#id_title", "Kalila wa Dimna, illustrated")
    page.fill("#id_copies", "2")
    page.locator("#id_title").press("Enter")
    page.wait_for_url("**/collection/requests/")
    assert (
        "Kalila wa Dimna, illustrated"
        in page.locator("#caption-mine").locator("xpath=..").inner_text()
    )

    page = open_page("/collection/orders/", username="librarian")
    assert_accessible(page, "orders")
    page.fill("#id_budget-year", "2026")
    page.fill("#id_budget-name", "Arabic gap")
    page.fill("#id_budget-amount", "40.00")
    page.locator("#id_budget-amount").press("Enter")
    page.wait_for_load_state()
    assert "Budget line added." in page.inner_text(".messages")
    assert_accessible(page, "orders with the new budget line")
    page.fill("#id_order-vendor", "Arabic Book Distributors")
    page.select_option(
        "#id_order-budget_line", value=_option_value(page, "#id_order-budget_line", "Arabic gap")
    )
    page.get_by_role("button", name="Create the order").click()
    page.wait_for_url("**/collection/orders/*/")
    assert_accessible(page, "new order")

    page.select_option(
        "#id_line-request",
        value=_option_value(page, "#id_line-request", "Kalila wa Dimna, illustrated"),
    )
    page.fill("#id_line-quantity", "2")
    page.fill("#id_line-unit_price", "15.50")
    page.get_by_role("button", name="Add the line").click()
    page.wait_for_load_state()
    assert "Line added." in page.inner_text(".messages")
    assert_accessible(page, "order with a line")

    page.get_by_role("button", name="Place the order").click()
    page.wait_for_load_state()
    assert "Order placed." in page.inner_text(".messages")
    assert "this order costs 31.00; 9.00 remains" in page.inner_text("main")
    assert_accessible(page, "placed order")

    page.get_by_label("Barcodes scanned, one a line").fill("ARB00001\nARB00002")
    page.get_by_role("button", name="Receive").click()
    page.wait_for_load_state()
    assert "2 copies received." in page.inner_text(".messages")
    lines = page.locator("#caption-lines").locator("xpath=..").inner_text()
    assert "Kalila wa Dimna, illustrated" in lines
    assert_accessible(page, "received order")

    report = open_page("/collection/languages/", username="librarian")
    assert _arabic_titles(report) == before + 1
    assert_accessible(report, "languages after receiving")
