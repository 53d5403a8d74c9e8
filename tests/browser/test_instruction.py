"""Instruction pages in a real browser: axe in en/es/ar, and the request → plan → book flow
driven by labels and the keyboard, as a teacher and the librarian would."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_a11y import LANGUAGES, assert_accessible, assert_page_language

pytestmark = pytest.mark.browser

PAGES = {
    "list-teacher": ("/instruction/", "teacher"),
    "list-librarian": ("/instruction/", "librarian"),
    "new": ("/instruction/new/", "teacher"),
    "overview": ("/instruction/library/", "librarian"),
    "calendar-week": ("/instruction/calendar/", "teacher"),
    "calendar-day": ("/instruction/calendar/?view=day", "librarian"),
    "booking-new": ("/instruction/calendar/book/", "teacher"),
    "spaces": ("/instruction/calendar/spaces/", "librarian"),
    "feeds": ("/instruction/calendar/feeds/", "librarian"),
    "standards": ("/instruction/standards/", "librarian"),
    "standards-taught": ("/instruction/standards/taught/", "librarian"),
    "notifications": ("/instruction/notifications/", "librarian"),
}


def collaboration_path(open_page, title: str) -> str:
    page = open_page("/instruction/", username="librarian")
    return page.get_by_role("link", name=title).get_attribute("href")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(open_page, name, lang):
    path, username = PAGES[name]
    for viewport in ("phone", "desktop"):
        page = open_page(path, username=username, lang=lang, viewport=viewport)
        label = f"{name} [{lang}, {viewport}]"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        save_screenshot(page, f"instruction-{name}-{lang}-{viewport}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "title,suffix",
    [
        ("Ecosystems research project", ""),
        ("Ecosystems research project", "edit/"),
        ("Ecosystems research project", "plan/history/"),
        ("Digital citizenship: citing images", ""),  # the reflection form
        ("Poetry across our languages", ""),  # accept / decline
    ],
)
def test_collaboration_pages_are_accessible(open_page, title, suffix, lang):
    path = collaboration_path(open_page, title) + suffix
    for viewport in ("phone", "desktop"):
        page = open_page(path, username="librarian", lang=lang, viewport=viewport)
        assert_page_language(page, lang)
        assert_accessible(page, f"{title} {suffix} [{lang}, {viewport}]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_booking_detail_is_accessible(open_page, lang):
    # The seeded bookings are in the coming weeks (the demo books from next week on).
    when = (date.today() + timedelta(days=7)).isoformat()
    page = open_page(f"/instruction/calendar/?date={when}", username="librarian", lang=lang)
    link = page.locator(".calendar-table td a").first
    page.goto(link.get_attribute("href"))
    assert_page_language(page, lang)
    assert_accessible(page, f"booking [{lang}]")


def next_weekday(weekday: int, weeks_ahead: int = 3) -> date:
    day = date.today() + timedelta(weeks=weeks_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def test_request_accept_and_book_by_labels_and_keyboard(open_page):
    # The teacher requests a research project, by the form's labels.
    page = open_page("/instruction/new/", username="teacher", fresh=True)
    page.get_by_label("Title").fill("Volcano research")
    page.get_by_label("Kind").select_option("research")
    page.get_by_label("Grade").fill("07")
    page.get_by_label("Subject").fill("Science")
    page.get_by_label("Learning goals").fill("Compare sources about volcanoes")
    page.get_by_label("Supports for multilingual learners").fill("Spanish glossary")
    page.get_by_role("button", name="Send request").press("Enter")
    page.wait_for_url(re.compile(r"/instruction/\d+/$"))
    detail = page.url
    assert "Waiting for the librarian" in page.content()

    # The librarian sees it waiting, accepts it with the keyboard.
    page = open_page("/instruction/library/", username="librarian", fresh=True)
    assert page.get_by_role("link", name="Volcano research").count() == 1
    page.goto(detail)
    button = page.get_by_role("button", name="Move to: Planning")
    button.focus()
    with page.expect_navigation():  # wait for the answer, not the page we are on
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Status: Planning" in page.locator("main").inner_text()
    assert_accessible(page, "collaboration in planning")

    # Book the same period on three Wednesdays; then a clash is refused, showing the booking.
    page.get_by_role("link", name="Book library time").click()
    page.get_by_label("Space").select_option(label="Makerspace")
    page.get_by_label("Date").fill(next_weekday(2).isoformat())
    page.get_by_label("Period").select_option(label="Period 2 09:00–09:50")
    page.get_by_label("Number of weeks").fill("3")
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(detail)
    assert page.locator("#bookings-heading + ul li").count() == 3

    page.goto("/instruction/calendar/book/")
    page.get_by_label("Space").select_option(label="Makerspace")
    page.get_by_label("Title").fill("Clash")
    page.get_by_label("Date").fill(next_weekday(2, weeks_ahead=4).isoformat())
    page.get_by_label("Period").select_option(label="Period 2 09:00–09:50")
    page.get_by_role("button", name="Book", exact=True).click()
    alert = page.get_by_role("alert")
    assert "already booked" in alert.inner_text() and "Volcano research" in alert.inner_text()
    assert_accessible(page, "booking refused")

    # In the past: a clear message.
    page.get_by_label("Date").fill((date.today() - timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Book", exact=True).click()
    assert "in the past" in page.get_by_role("alert").inner_text()


def test_student_and_aide_are_refused(open_page):
    for username in ("student", "aide"):
        page = open_page("/", username=username)
        assert "Collaborations" not in page.locator("nav.site-nav").inner_text()
        assert page.goto("/instruction/").status == 403
        assert page.goto("/instruction/calendar/").status == 403
