"""Programs and leadership pages in a real browser: axe-core WCAG 2.1 AA in en, es and ar
(RTL), phone and desktop; the kiosk, the recognition form and the aide's duties by
keyboard alone; the poster's print styles."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_a11y import assert_accessible, assert_page_language

pytestmark = pytest.mark.browser
LANGUAGES = ["en", "es", "ar"]

# name: (path, username or None for anonymous)
PAGES = {
    "events-public": ("/programs/events/LMS/", None),
    "events-schools": ("/programs/events/", None),
    "norms-public": ("/programs/norms/LMS/", None),
    "norms-poster": ("/programs/norms/LMS/poster/", None),
    "hub-librarian": ("/programs/", "librarian"),
    "hub-student": ("/programs/", "student"),
    "manage-list": ("/programs/manage/", "librarian"),
    "program-add": ("/programs/manage/new/", "librarian"),
    "norms-edit": ("/programs/expectations/edit/?lang=ar", "librarian"),
    "kiosk": ("/programs/kiosk/", "librarian"),
    "visits": ("/programs/visits/", "librarian"),
    "recognition-list": ("/programs/recognition/", "teacher"),
    "recognition-mine": ("/programs/recognition/mine/", "student"),
    "apply": ("/programs/aides/apply/", "student"),
    "recommendations": ("/programs/aides/recommendations/", "teacher"),
    "aides": ("/programs/aides/", "librarian"),
    "shifts": ("/programs/aides/shifts/", "librarian"),
    "my-shifts": ("/programs/my-shifts/", "aide"),
    "projects": ("/programs/projects/", "librarian"),
    "project-add": ("/programs/projects/new/", "librarian"),
}


def check(page, label: str, lang: str, *, phone: bool = False) -> None:
    assert_page_language(page, lang)
    assert_accessible(page, label)
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{label} is {width}px wide"
    save_screenshot(page, label.replace(" ", "_"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(open_page, name, lang):
    path, username = PAGES[name]
    page = open_page(path, username=username, lang=lang)
    assert page.locator("h1").count() == 1
    check(page, f"{name} [{lang}, desktop]", lang)
    page = open_page(path, username=username, lang=lang, viewport="phone", scheme="dark")
    check(page, f"{name} [{lang}, phone, dark]", lang, phone=True)


def follow_first(page, selector: str) -> None:
    href = page.locator(selector).first.get_attribute("href")
    page.goto(href)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detail_pages_are_accessible(open_page, lang):
    page = open_page("/programs/events/LMS/", lang=lang)
    follow_first(page, ".program-card h3 a")
    check(page, f"program-public-detail [{lang}]", lang)

    page = open_page("/programs/manage/", username="librarian", lang=lang)
    follow_first(page, "#main table a")
    assert page.locator("#id_alt_text").count() == 1
    check(page, f"program-manage-detail [{lang}]", lang)

    page = open_page("/programs/recognition/", username="librarian", lang=lang)
    follow_first(page, "#main ul a[href*='/recognition/students/']")
    check(page, f"recognition-student [{lang}]", lang)

    page = open_page("/programs/aides/recommendations/", username="teacher", lang=lang)
    follow_first(page, "#main ul a[href*='/recommend/']")
    check(page, f"recommend [{lang}]", lang)


def test_programs_are_linked_from_every_page(open_page):
    page = open_page("/login/")
    page.click("footer a[href='/programs/events/']")
    page.wait_for_url("**/programs/events/")
    assert page.locator("a[href='/programs/events/LMS/']").count() == 1
    page = open_page("/", username="student")
    assert page.locator("nav.site-nav a[href='/programs/']").count() == 1


def test_kiosk_sign_in_by_keyboard_alone(open_page):
    page = open_page("/programs/kiosk/", username="librarian", fresh=True)
    assert page.evaluate("document.activeElement.id") == "id_barcode"
    # Shift+Tab back into the purpose group and pick "Study or read" with the arrow keys.
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "purpose"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("P000001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Welcome, Sami!" in page.locator(".messages").inner_text()
    assert_accessible(page, "kiosk after a sign-in")

    page.fill("#id_barcode", "P404404")
    page.check("#id_purpose_0")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    error = page.locator(".errorlist").inner_text()
    assert "We do not know this card" in error
    assert_accessible(page, "kiosk with an unknown card")


def test_recognition_note_by_keyboard(open_page):
    page = open_page("/programs/recognition/", username="teacher", fresh=True)
    follow_first(page, "#main ul a[href*='/recognition/students/']")
    page.locator("#id_tags_0").focus()
    page.keyboard.press("Space")
    for _ in range(6):  # past the other three tags to the text box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_text":
            break
    page.keyboard.type("You welcomed a new student and showed them the graphic novels.")
    page.locator("#main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You welcomed a new student" in page.locator("#main").inner_text()
    assert_accessible(page, "recognition after a note")


def test_aide_ticks_a_duty_and_is_on_shift(open_page):
    page = open_page("/programs/my-shifts/", username="aide", fresh=True)
    assert "on shift now" in page.locator(".alert--success").inner_text()
    button = page.locator(".duty-list button").first
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".duty-list button").first.get_attribute("aria-pressed") == "true"


def test_poster_prints_without_the_site_chrome(open_page):
    page = open_page("/programs/norms/LMS/poster/", lang="ar")
    page.emulate_media(media="print")
    assert page.locator("header.site-header").is_hidden()
    assert page.locator(".no-print").is_hidden()
    assert page.locator(".real-norm").count() == 4
    pdf = page.pdf(format="Letter")
    assert pdf[:4] == b"%PDF"
