"""Guide pages in a real browser: axe in en/es/ar, building a guide by keyboard, bad input,
the student's view in their language by the share link, and the print styles.

The seeded guide (tests/browser/seed_guides.py) is "Volcanoes and us", the
teacher's, published for Earth Science 6 with Spanish and Arabic titles.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_a11y import LANGUAGES, assert_accessible, assert_page_language

pytestmark = pytest.mark.browser

GUIDE = "Volcanoes and us"


@pytest.fixture(scope="module")
def ids(browser, server, sessions) -> dict[str, str]:
    """pk of the seeded guide, of its first section and its share token, read from the pages."""
    context = browser.new_context(base_url=server, storage_state=sessions("teacher"))
    page = context.new_page()
    page.goto("/guides/")
    edit = page.get_by_role("link", name=GUIDE).get_attribute("href")
    guide = re.search(r"/guides/(\d+)/edit/", edit).group(1)
    page.goto(edit)
    add_link = page.locator("a[href$='/add/link/']").first.get_attribute("href")
    section = re.search(r"/sections/(\d+)/", add_link).group(1)
    page.goto(f"/guides/{guide}/share/")
    token = page.get_by_label("Link").input_value().rstrip("/").rsplit("/", 1)[-1]
    context.close()
    return {"guide": guide, "section": section, "token": token}


# name: (path template, username, also on a phone)
PAGES = {
    "index-teacher": ("/guides/", "teacher", False),
    "index-student": ("/guides/", "student", True),
    "detail-student": ("/guides/{guide}/", "student", True),
    "shared-student": ("/guides/s/{token}/", "student", True),
    "print": ("/guides/{guide}/print/", "student", False),
    "edit": ("/guides/{guide}/edit/", "teacher", True),
    "access-librarian": ("/guides/{guide}/access/", "librarian", False),
    "access-teacher": ("/guides/{guide}/access/", "teacher", False),
    "create": ("/guides/new/", "teacher", False),
    "share": ("/guides/{guide}/share/", "teacher", False),
    "add-link": ("/guides/sections/{section}/add/link/", "teacher", False),
    "add-vocabulary": ("/guides/sections/{section}/add/vocabulary/", "teacher", False),
    "add-file": ("/guides/sections/{section}/add/file/", "teacher", False),
    "add-organizer": ("/guides/sections/{section}/add/organizer/", "teacher", False),
    "record-picker": ("/guides/sections/{section}/add/record/?q=volcan", "teacher", False),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(open_page, ids, name, lang):
    template, username, phone = PAGES[name]
    path = template.format(**ids)
    for viewport in ("phone", "desktop") if phone else ("desktop",):
        page = open_page(path, username=username, lang=lang, viewport=viewport)
        label = f"guides {name} [{lang}, {viewport}]"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{label} is {width}px wide"
        save_screenshot(page, f"guides-{name}-{lang}-{viewport}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reader_in_dark_mode(open_page, ids, lang):
    page = open_page(f"/guides/{ids['guide']}/", username="student", lang=lang, scheme="dark")
    assert_accessible(page, f"guide reader [{lang}, dark]")


def test_student_reads_the_guide_in_their_language_by_the_share_link(open_page, ids):
    page = open_page(f"/guides/s/{ids['token']}/", username="student", lang="es")
    assert page.get_by_role("heading", level=1).inner_text() == "Los volcanes y nosotros"
    assert page.locator("article.guide").get_attribute("lang") == "es"
    page = open_page(f"/guides/s/{ids['token']}/", username="student", lang="ar")
    assert page.get_by_role("heading", level=1).inner_text() == "البراكين ونحن"
    # The vocabulary table has a column per translation language.
    headers = page.locator("table th[scope=col]").all_inner_texts()
    assert any("الإسبانية" in h for h in headers)


def test_guides_page_for_students_lists_the_guide_in_their_language(open_page):
    page = open_page("/guides/", username="student", lang="es")
    assert page.get_by_role("link", name="Los volcanes y nosotros").count() == 1
    assert page.get_by_role("link", name="Nueva guía").count() == 0


def test_anonymous_share_link_asks_to_sign_in(open_page, ids):
    page = open_page(f"/guides/s/{ids['token']}/")
    assert "/login/" in page.url


def test_print_view_hides_the_site_and_shows_the_qr_code(open_page, ids):
    page = open_page(f"/guides/{ids['guide']}/print/", username="teacher")
    qr = page.get_by_role("img", name="QR code that opens this guide online")
    page.wait_for_load_state("load")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator(".no-print").first.is_visible()
    assert page.get_by_role("heading", name="Start here").is_visible()


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches `selector` (keyboard-only navigation)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_build_by_keyboard_with_a_broken_link_refused(open_page):
    page = open_page("/guides/new/", username="teacher", fresh=True)
    tab_to(page, "#id_title")
    page.keyboard.type("Plate tectonics")
    tab_to(page, "#id_subject")
    page.keyboard.type("Plate tectonics")
    tab_to(page, "#id_classes")
    page.keyboard.press("ArrowDown")  # the first class
    tab_to(page, "button[type=submit]:not(.secondary)")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/guides/\d+/edit/"))

    tab_to(page, "#new-section-title")
    page.keyboard.type("Start here")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#section-\d+$"))
    assert page.get_by_role("heading", name="Start here").count() == 1

    tab_to(page, "a[href$='/add/link/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/add/link/$"))
    tab_to(page, "#id_title")
    page.keyboard.type("USGS")
    tab_to(page, "#id_url")
    page.keyboard.type("www.usgs.gov")  # no https://
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "must start with https://" in alert.inner_text()
    assert_accessible(page, "link refused")
    page.get_by_label("Web address").fill("https://www.usgs.gov/")
    page.get_by_label("Web address").press("Enter")
    page.wait_for_url(re.compile(r"/edit/#section-\d+$"))
    assert page.get_by_role("row", name=re.compile("USGS")).count() == 1
    assert_accessible(page, "guide editor with a resource")


def test_bad_file_is_refused_with_a_message(open_page, ids, tmp_path):
    fake = tmp_path / "worksheet.pdf"
    fake.write_text("not really a PDF")
    page = open_page(f"/guides/sections/{ids['section']}/add/file/", username="teacher")
    page.locator("#id_upload").set_input_files(str(fake))
    page.get_by_role("button", name="Add to the guide").click()
    assert "is not the kind of file its name says" in page.get_by_role("alert").inner_text()
    assert_accessible(page, "file refused")


def test_access_check_for_the_librarian_counts_languages_not_names(open_page, ids):
    page = open_page(f"/guides/{ids['guide']}/access/", username="librarian")
    table = page.get_by_role("table", name=re.compile("Home languages"))
    text = table.inner_text()
    assert "Somali" in text and "Missing" in text
    for name in ("Sami", "María", "Hodan"):
        assert name not in page.locator("main").inner_text()
    page = open_page(f"/guides/{ids['guide']}/access/", username="teacher")
    assert page.get_by_role("table", name=re.compile("Home languages")).count() == 0
    assert page.get_by_role("table", name=re.compile("Grade bands")).count() == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_opac_record_page_lists_the_guide(open_page, lang):
    page = open_page("/search/?q=Volcanoes+up+close", username="student", lang=lang)
    page.get_by_role("link", name="Volcanoes up close").first.click()
    section = page.locator("section[aria-labelledby=record-guides-heading]")
    expected = {"en": GUIDE, "es": "Los volcanes y nosotros", "ar": "البراكين ونحن"}[lang]
    assert section.get_by_role("link", name=expected).count() == 1
    assert_accessible(page, f"OPAC record with its guide [{lang}]")
