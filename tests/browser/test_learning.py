"""Professional learning in a real browser: the librarian's session, teachers' seats, sign-in
by code, feedback and a certificate; and every page axe-clean in en, es and ar.

The seeded sessions (tests/browser/learning_seed.py) give the pages rows; the
end-to-end test makes its own session through the form, as a librarian would.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest

from tests.browser.test_a11y import (
    CONFIGURATIONS,
    LANGUAGES,
    assert_accessible,
    assert_page_language,
)

pytestmark = pytest.mark.browser

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")  # the seeded school's time zone


def _local(moment: datetime) -> str:
    return moment.astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")


def _session_path(page, title: str) -> str:
    page.goto("/learning/")
    return page.get_by_role("link", name=title, exact=True).get_attribute("href")


def test_librarian_creates_teachers_register_one_signs_in_gives_feedback_gets_certificate(
    open_page,
):
    title = "Inquiry with primary sources (e2e)"
    now = datetime.now(NEW_YORK)
    page = open_page("/learning/new/", username="librarian", fresh=True)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Objectives").fill("Plan an inquiry lesson\nUse the databases")
    page.get_by_label("Audience").fill("Grade 6 ELA teachers")
    page.get_by_label("Format").select_option("workshop")
    # Already started: the sign-in code works now.
    page.get_by_label("Starts at").fill(_local(now - timedelta(minutes=5)))
    page.get_by_label("Ends at").fill(_local(now + timedelta(hours=1)))
    page.get_by_label("Location").fill("Library classroom")
    page.get_by_label("Capacity").fill("2")
    page.get_by_label("Hours credited").fill("1.5")
    page.get_by_role("button", name="Publish the session").click()
    page.wait_for_url(re.compile(r"/learning/\d+/$"))
    assert page.get_by_role("heading", name=title, level=1).is_visible()
    session_path = page.url.split(page.url.split("/learning/")[0])[1]
    code = page.locator(".signin-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    page.get_by_role("link", name="Show the sign-in screen (code and QR)").click()
    page.wait_for_url(re.compile(r"/screen/$"))
    assert code in page.locator(".signin-screen__code").inner_text()
    assert page.locator(".signin-screen__qr svg").count() == 1
    assert_accessible(page, "sign-in screen")

    for username in ("teacher", "ell"):
        teacher = open_page(session_path, username=username, fresh=True)
        teacher.get_by_role("button", name="Register").click()
        teacher.wait_for_load_state()
        assert teacher.get_by_text("You are registered.").is_visible()
        # A second click (another tab, an impatient double-click) changes nothing.
        teacher.goto(session_path)
        assert teacher.get_by_role("button", name="Register").count() == 0

    teacher = open_page("/learning/sign-in/", username="teacher", fresh=True)
    teacher.get_by_label("Session code").fill(code.lower())
    teacher.get_by_role("button", name="Sign in").click()
    teacher.wait_for_url(re.compile(r"/learning/\d+/$"))
    assert teacher.get_by_text("You are signed in").is_visible()

    teacher.get_by_role("link", name="Give feedback").click()
    teacher.wait_for_url(re.compile(r"/feedback/$"))
    assert_accessible(teacher, "feedback form")
    for legend in (
        "The session was clear.",
        "The session was relevant to my teaching.",
        "I will use what I learned with my students.",
    ):
        teacher.get_by_role("group", name=legend).get_by_label("Strongly agree").check()
    teacher.get_by_label("Comments (optional)").fill("Practical and clear.")
    teacher.get_by_role("button", name="Send feedback").click()
    teacher.wait_for_url(re.compile(r"/learning/\d+/$"))
    assert teacher.get_by_text("Thank you for your feedback.").first.is_visible()

    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Download certificate (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    # The librarian's roster: two seats, one present; the summary counts "<5".
    page.goto(session_path)
    roster = page.locator("#roster-caption").locator("xpath=ancestor::table")
    assert roster.locator("tbody tr").count() == 2
    assert "Present (Session code)" in roster.inner_text()
    assert "Feedback forms: <5 from <5 attendees." in page.locator("main").inner_text()
    assert_accessible(page, "session with roster and feedback")

    # The year's annual report, from the dashboard: the session, its hours, its feedback.
    page.goto("/reports/")
    page.get_by_role("link", name=re.compile(r"^The annual report \d{4}-\d{2}$")).click()
    page.wait_for_url(re.compile(r"/reports/annual/$"))
    learning = page.locator("#section-learning")
    row = learning.locator("tr", has_text=title)
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    # Date, attendees (one: "<5"), hours credited each, feedback responses ("<5"), means
    # (none from a single answer).
    assert cells[1:4] == ["<5", "1.5", "<5"]
    assert "Practical and clear." in learning.inner_text()
    assert_accessible(page, "annual report after the session")


# name: (path or a seeded session's title and a suffix, username)
PAGES = {
    "list-teacher": ("/learning/", "teacher"),
    "list-librarian": ("/learning/", "librarian"),
    "new-session": ("/learning/new/", "librarian"),
    "signin": ("/learning/sign-in/?code=ABCDEF", "teacher"),
    "mine": ("/learning/mine/", "teacher"),
    "hours": ("/learning/hours/", "librarian"),
    "series": (("Seeded: databases for research", "series"), "librarian"),
    "dashboard": ("/reports/", "librarian"),
    "detail-librarian": (("Seeded: picture books for ELLs", ""), "librarian"),
    "detail-teacher-attended": (("Seeded: picture books for ELLs", ""), "teacher"),
    "detail-teacher-waitlisted": (("Seeded: databases for research", ""), "teacher"),
    "screen": (("Seeded: databases for research", "screen/"), "librarian"),
    "feedback": (("Seeded: picture books for ELLs", "feedback/"), "ell"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_learning_page_is_accessible(open_page, name, lang):
    path, username = PAGES[name]
    if isinstance(path, tuple):
        title, suffix = path
        page = open_page("/learning/", username=username)
        path = _session_path(page, title)
        if suffix == "series":  # the series page, by the link on the session page
            page.goto(path)
            path = page.get_by_role("link", name="Research PLC").get_attribute("href")
        else:
            path += suffix
    for viewport, scheme in CONFIGURATIONS:
        page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
        label = f"{name} [{lang}, {viewport}, {scheme}]"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{label} is {width}px wide"


def test_signin_error_is_announced_and_tied_to_the_field(open_page):
    page = open_page("/learning/sign-in/", username="ell")
    page.get_by_label("Session code").fill("ZZZZZZ")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    field = page.get_by_label("Session code")
    assert field.get_attribute("aria-invalid") == "true"
    assert "No session has the code ZZZZZZ" in page.locator("main").inner_text()
    assert_accessible(page, "sign-in with an error")
