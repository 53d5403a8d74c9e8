"""The circulation desk in a real browser, by keyboard and "scanner" alone.

A barcode scanner types the code and presses Enter; so does this test.
After every scan the result is announced in a live region and the focus is
back in the scan box, ready for the next scan.
"""

from __future__ import annotations

import pytest

from tests.browser.test_a11y import assert_accessible

pytestmark = pytest.mark.browser


def scan(page, code: str) -> None:
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_check_out_and_in_by_scanning_alone(open_page):
    page = open_page("/circulation/desk/", username="aide", fresh=True)
    box = page.locator("#scan-code")
    assert page.evaluate("document.activeElement.id") == "scan-code"
    status = page.locator("#desk-status")
    assert status.get_attribute("aria-live") in ("polite", "assertive")

    scan(page, "P000001")
    page.wait_for_function("document.querySelector('#desk-status').textContent.includes('Sami')")
    assert page.evaluate("document.activeElement.id") == "scan-code"

    scan(page, "LMS00002")
    page.wait_for_function(
        "document.querySelector('#desk-status').textContent.includes('Checked out')"
    )
    assert "Wonder" in page.locator("#desk-panel table").inner_text()
    assert page.evaluate("document.activeElement.id") == "scan-code"
    assert_accessible(page, "desk with a reader and a loan")

    # Done with this reader: Tab to the button and press it, still by keyboard.
    page.locator("#desk-panel form[action$='/desk/done/'] button").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#desk-status').textContent.includes('next reader')"
    )
    box.focus()
    scan(page, "LMS00002")  # a copy that is out, scanned alone: check-in
    page.wait_for_function(
        "document.querySelector('#desk-status').textContent.includes('Checked in')"
    )
    assert page.evaluate("document.activeElement.id") == "scan-code"


def test_unknown_barcode_is_announced_as_an_alert(open_page):
    page = open_page("/circulation/desk/", username="librarian", fresh=True)
    scan(page, "NO-SUCH-THING")
    page.wait_for_function(
        "document.querySelector('#desk-status').textContent.includes('Unknown barcode')"
    )
    assert page.locator("#desk-status").get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "scan-code"
