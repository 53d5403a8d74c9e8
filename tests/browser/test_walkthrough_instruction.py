"""Issue 5's "Done when", tried as new users would, in one browser walk-through.

A teacher signs in and requests a research project for Earth Science 6; the
librarian moves it to planning and books three periods; the librarian builds
the guide for it, whose access check first shows Spanish missing and, after
adding a suggested Spanish title, covered; the guide is published; the
teacher takes the calendar feed address and the feed answers with the three
bookings; a student opens the published guide by the link its QR code holds.

Seed: tests/browser/seed_guides.py (the class, its multilingual students and
a Spanish title on volcanoes held at LMS) and the instruction seed (spaces,
bell periods).
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import segno

from tests.browser.seed import PASSWORD
from tests.browser.test_a11y import assert_accessible

pytestmark = pytest.mark.browser

TITLE = "Volcano research walk-through"


def next_weekday(weekday: int, weeks_ahead: int) -> date:
    day = date.today() + timedelta(weeks=weeks_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def sign_in(browser, server, username: str):
    """A new browser context signed in through the real login form."""
    context = browser.new_context(base_url=server)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{server}/")
    return context, page


def spanish_row(page):
    return page.locator("tr", has=page.get_by_role("rowheader", name="Spanish", exact=True))


def test_research_project_from_request_to_a_student_reading_its_guide(browser, server):
    contexts = []
    try:
        # 1. The teacher signs in and requests a research project for their class.
        context, teacher = sign_in(browser, server, "teacher")
        contexts.append(context)
        teacher.get_by_role("link", name="Collaborations", exact=True).click()
        teacher.goto("/instruction/new/")
        teacher.get_by_label("Title").fill(TITLE)
        teacher.get_by_label("Kind").select_option("research")
        teacher.get_by_label("Earth Science 6").check()
        teacher.get_by_label("Grade").fill("06")
        teacher.get_by_label("Subject").fill("Science")
        teacher.get_by_label("Learning goals").fill("Explain why volcanoes erupt, with sources")
        teacher.get_by_role("button", name="Send request").press("Enter")
        teacher.wait_for_url(re.compile(r"/instruction/\d+/$"))
        collaboration_url = teacher.url

        # 2. The librarian plans it and books three periods.
        context, librarian = sign_in(browser, server, "librarian")
        contexts.append(context)
        librarian.goto(collaboration_url)
        librarian.get_by_role("button", name="Move to: Planning").focus()
        librarian.keyboard.press("Enter")
        librarian.get_by_text("Status: Planning", exact=True).wait_for()
        librarian.get_by_role("link", name="Book library time").click()
        librarian.get_by_label("Space").select_option(label="Quiet study")
        librarian.get_by_label("Date").fill(next_weekday(4, weeks_ahead=5).isoformat())
        librarian.get_by_label("Period").select_option(index=1)
        librarian.get_by_label("Number of weeks").fill("3")
        librarian.get_by_role("button", name="Book", exact=True).click()
        librarian.wait_for_url(collaboration_url)
        assert librarian.locator("#bookings-heading + ul li").count() == 3

        # 3. The librarian builds the guide for it, from the collaboration's page: the
        # new guide starts with the collaboration and its class.
        librarian.get_by_role("link", name="Build a resource guide").click()
        assert (
            librarian.get_by_label("Collaboration").locator("option:checked").inner_text() == TITLE
        )
        selected = librarian.get_by_label("Classes it serves").locator("option:checked")
        assert selected.all_inner_texts() == ["Earth Science 6"]
        librarian.get_by_label("Title").fill("Why volcanoes erupt")
        librarian.get_by_label("Catalog subject").fill("Volcanoes")
        librarian.get_by_role("button", name="Create guide").click()
        librarian.wait_for_url(re.compile(r"/guides/\d+/edit/"))
        guide_edit = librarian.url.split("#")[0]
        librarian.get_by_label("New section title").fill("Books")
        librarian.get_by_role("button", name="Add section").click()
        librarian.wait_for_url(re.compile(r"#section-\d+$"))

        # The access check: Spanish is missing, with a suggestion…
        librarian.get_by_role("link", name="Access check").first.click()
        row = spanish_row(librarian)
        assert "Missing" in row.inner_text()
        assert_accessible(librarian, "walk-through: access check with gaps")
        add = row.get_by_role("button", name="Add Volcanes de América to the guide")
        add.focus()
        librarian.keyboard.press("Enter")
        librarian.get_by_role("status").filter(has_text="Volcanes de América").wait_for()
        # …and covered once the suggested Spanish title is in the guide.
        assert "Covered" in spanish_row(librarian).inner_text()
        assert librarian.get_by_role("status").filter(has_text="Volcanes de América").count() == 1

        librarian.goto(guide_edit)
        assert librarian.get_by_role("link", name=TITLE).count() == 1  # back to the collaboration
        assert_accessible(librarian, "walk-through: the guide's editor")
        librarian.get_by_role("button", name="Publish").click()
        librarian.get_by_role("button", name="Back to draft").wait_for()
        librarian.get_by_role("link", name="Share link and QR code").first.click()
        share_url = librarian.get_by_label("Link").input_value()
        qr_src = librarian.get_by_role("img", name="QR code that opens this guide").get_attribute(
            "src"
        )
        served = librarian.request.get(qr_src).body()

        # The QR code holds exactly the share link (the same symbol segno makes for it).
        again = io.BytesIO()
        segno.make(share_url, error="m").save(again, kind="svg", scale=6, border=4, xmldecl=False)
        modules = re.compile(rb' d="([^"]+)"')
        assert modules.search(served).group(1) == modules.search(again.getvalue()).group(1)

        # 4. The teacher subscribes to their calendar feed: the three periods are in it.
        teacher.get_by_role("link", name="Library calendar").first.click()
        teacher.get_by_role("link", name="Calendar feeds").click()
        feed_url = teacher.get_by_label("Your calendar address").input_value()
        feed = teacher.request.get(feed_url)
        assert feed.status == 200 and "text/calendar" in feed.headers["content-type"]
        body = feed.text()
        assert body.count(TITLE) >= 3

        # 5. A student opens the published guide by its QR link.
        context, student = sign_in(browser, server, "student")
        contexts.append(context)
        student.goto(share_url)
        assert student.get_by_role("heading", level=1).inner_text() == "Why volcanoes erupt"
        assert student.get_by_role("heading", name="Volcanes de América").count() == 1
        assert_accessible(student, "walk-through: the student's guide")
    finally:
        for context in contexts:
            context.close()
