"""The annual report in a real browser: axe-clean in en, es and ar, on a phone and a desktop,
light and dark, for the school's librarian and the district roll-up for the district admin.

The seeded data (tests/browser/seed.py and the seeds it calls) gives the
current year sessions, programs, shifts and copies, so every section has rows.
"""

from __future__ import annotations

import pytest

from tests.browser.test_a11y import (
    CONFIGURATIONS,
    LANGUAGES,
    assert_accessible,
    assert_page_language,
)

pytestmark = pytest.mark.browser

PAGES = {
    "annual": ("/reports/annual/", "librarian"),
    "annual-district-admin": ("/reports/annual/", "district"),
    "district": ("/reports/annual/district/", "district"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_annual_report_page_is_accessible(open_page, name, lang):
    path, username = PAGES[name]
    for viewport, scheme in CONFIGURATIONS:
        page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
        label = f"{name} [{lang}, {viewport}, {scheme}]"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{label} is {width}px wide"


def test_teacher_is_refused_the_annual_report(open_page):
    page = open_page("/reports/annual/", username="teacher")
    assert "Annual report" not in page.title()
    assert page.locator("h1").count() == 0 or "Annual report" not in page.locator("h1").inner_text()


def test_librarian_writes_a_narrative_and_picks_a_year(open_page):
    page = open_page("/reports/annual/", username="librarian", fresh=True)
    page.get_by_label("What you want readers to know about “Professional learning”").fill(
        "Three new teachers joined the research PLC."
    )
    page.locator("#section-learning").get_by_role("button", name="Save narrative").click()
    page.wait_for_load_state()
    assert page.get_by_text("Narrative saved.").is_visible()
    assert page.locator("#section-learning .narrative").inner_text().strip() == (
        "Three new teachers joined the research PLC."
    )
    assert_accessible(page, "annual report after saving a narrative")
    options = page.locator("#year-choice option").all_inner_texts()
    page.get_by_label("School year", exact=True).select_option(options[1])
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert options[1] in page.locator("h1").inner_text()
