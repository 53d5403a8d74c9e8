"""WCAG 2.1 AA on every page of the site layout, in en, es and ar, phone and desktop.

axe-core runs inside Debian's Chromium on each page: a phone (360 px wide)
and a desktop, light, and the desktop again in dark mode. Keyboard checks:
the skip link is the first Tab stop and moves focus to <main>.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
CONFIGURATIONS = [("phone", "light"), ("desktop", "light"), ("desktop", "dark")]
LANGUAGES = ["en", "es", "ar"]

# name: (path, username or None for anonymous)
PAGES = {
    "login": ("/login/", None),
    "home-librarian": ("/", "librarian"),
    "home-district-admin": ("/", "district"),
    "home-teacher": ("/", "teacher"),
    "home-ell-specialist": ("/", "ell"),
    "home-aide": ("/", "aide"),
    "home-student": ("/", "student"),
    "home-no-school": ("/", "newcomer"),
}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {label}:\n" + describe(
        violations
    )


def assert_page_language(page, lang: str) -> None:
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(open_page, name, lang):
    path, username = PAGES[name]
    for viewport, scheme in CONFIGURATIONS:
        page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
        label = f"{name} [{lang}, {viewport}, {scheme}]"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        if viewport == "phone":
            # Nothing wider than the phone: no sideways scrolling of the page.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{label} is {width}px wide"
        save_screenshot(page, f"{name}-{lang}-{viewport}-{scheme}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_locked_out_page_is_accessible(open_page, lang):
    page = open_page("/login/", lang=lang)
    # Five wrong passwords lock the account (an earlier run may have already).
    for attempt in range(5):
        if not page.locator("#id_username").count():
            break
        page.fill("#id_username", "lockme")
        page.fill("#id_password", f"wrong {attempt}")
        # Wait for each answer: on a busy machine the next fill would race it.
        with page.expect_navigation():
            page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_selector(".alert--warning[role=alert]")
    assert page.locator("h1").count() == 1
    assert page.locator(".alert--warning[role=alert]").count() == 1
    assert_page_language(page, lang)
    assert_accessible(page, f"locked out [{lang}]")
    save_screenshot(page, f"locked-out-{lang}")


@pytest.mark.parametrize(("path", "username"), [("/login/", None), ("/", "librarian")])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(open_page, path, username, lang):
    page = open_page(path, username=username, lang=lang)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"cls": "skip-link", "href": "#main"}
    # It shows when focused (a hidden skip link helps no sighted keyboard user).
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside main, not back at the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_focus_is_visible_on_every_control(open_page):
    page = open_page("/", username="librarian")
    for _ in range(12):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),"
            " shadow: s.boxShadow, tag: document.activeElement.tagName}; })()"
        )
        visible = (outline["style"] != "none" and outline["width"] >= 2) or outline[
            "shadow"
        ] not in ("none", "")
        assert visible, f"no visible focus on {outline['tag']}: {outline}"


def test_language_switcher_works_in_the_browser(open_page, server):
    page = open_page("/login/")
    page.select_option("#language-switcher", "ar")
    with page.expect_navigation():  # same URL: wait for the new page, not the old one
        page.click("form[action='/i18n/setlang/'] button[type=submit]")
    page.wait_for_url(f"{server}/login/")
    assert_page_language(page, "ar")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["django_language"] == "ar"
    page.select_option("#language-switcher", "es")
    with page.expect_navigation():
        page.click("form[action='/i18n/setlang/'] button[type=submit]")
    page.wait_for_url(f"{server}/login/")
    assert_page_language(page, "es")
    assert page.locator("h1").inner_text() == "Iniciar sesión"


def test_school_switcher_works_in_the_browser(open_page):
    page = open_page("/", username="teacher", fresh=True)
    school = page.locator(".site-header__school")
    assert school.inner_text() == "Lincoln Middle School"
    page.select_option("#school-switcher", label="Oak Elementary")
    with page.expect_navigation():
        page.click("form[action='/school/'] button[type=submit]")
    page.wait_for_load_state()
    assert school.inner_text() == "Oak Elementary"


def test_phone_targets_are_at_least_44px(open_page):
    page = open_page("/", username="student", viewport="phone")
    small = page.evaluate(
        """() => [...document.querySelectorAll('a, button, input, select')]
            .filter(el => el.offsetParent !== null && !el.classList.contains('skip-link'))
            .map(el => ({el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect()}))
            .filter(x => x.r.height < 44)
            .map(x => x.el + ' ' + x.r.height)"""
    )
    assert not small, "targets under 44px on a phone:\n" + "\n".join(small)


def test_logout_from_the_header(open_page, server, browser, sessions):
    context = browser.new_context(base_url=server)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "aide")
    page.fill("#id_password", "correct horse battery staple")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{server}/")
    page.click("form[action='/logout/'] button[type=submit]")
    page.wait_for_url(f"{server}/login/")
    # Signed out, a page that needs a login sends you to it (the home page is
    # the public catalog now).
    page.goto("/circulation/account/")
    assert page.url.startswith(f"{server}/login/")
    context.close()


def test_htmx_requests_carry_the_csrf_token(open_page):
    """site.js adds Django's CSRF header to htmx requests; without it this POST is a 403."""
    page = open_page("/", username="teacher", fresh=True)
    assert page.locator(".site-header__school").inner_text() == "Lincoln Middle School"
    page.wait_for_function("window.htmx !== undefined")
    oak = page.locator("#school-switcher option", has_text="Oak Elementary").get_attribute("value")
    page.evaluate(
        """(oak) => {
            const button = document.createElement('button');
            button.id = 'htmx-probe';
            button.setAttribute('hx-post', '/school/');
            button.setAttribute('hx-vals', JSON.stringify({school: oak}));
            button.setAttribute('hx-swap', 'none');
            document.getElementById('main').append(button);
            htmx.process(button);
        }""",
        oak,
    )
    with page.expect_response(lambda r: r.url.endswith("/school/")) as response:
        page.click("#htmx-probe")
    assert response.value.request.header_value("x-csrftoken")
    assert response.value.status in (200, 302)
    page.reload()
    assert page.locator(".site-header__school").inner_text() == "Oak Elementary"


# Staff pages beyond the layout: the catalog, MARC import/export and the desk.
# Seeded records are numbered from 1 in the fresh browser database.
STAFF_PAGES = {
    "catalog-search": ("/catalog/?q=e", "librarian"),
    "record-detail": ("/catalog/records/1/", "librarian"),
    "record-detail-aide": ("/catalog/records/2/", "aide"),
    "record-add": ("/catalog/records/add/", "librarian"),
    "record-by-isbn": ("/catalog/records/isbn/", "librarian"),
    "item-add": ("/catalog/records/1/items/add/", "librarian"),
    "marc-import": ("/catalog/import/", "librarian"),
    "marc-import-detail": ("/catalog/import/1/", "librarian"),
    "marc-export": ("/catalog/export/", "librarian"),
    "desk-librarian": ("/circulation/desk/", "librarian"),
    "desk-aide": ("/circulation/desk/", "aide"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_page_is_accessible(open_page, name, lang):
    path, username = STAFF_PAGES[name]
    for viewport, scheme in CONFIGURATIONS:
        page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
        label = f"{name} [{lang}, {viewport}, {scheme}]"
        assert page.locator("h1").count() >= 1, f"{label}: no page heading"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        save_screenshot(page, f"{name}-{lang}-{viewport}-{scheme}")


# Rostering pages (issue 3): OneRoster import and language profiles. Roster jobs are
# found by file name on the import page (seed.py: seed_rostering).
ROSTER_PAGES = {
    "roster-start": ("/people/roster/", "librarian", None),
    "roster-done": ("/people/roster/", "librarian", "district-roster-2025.zip"),
    "roster-failed": ("/people/roster/", "librarian", "grades.zip"),
    "roster-running": ("/people/roster/", "librarian", "district-roster-2026.zip"),
    "language-profiles": ("/people/roster/languages/", "ell", None),
    "language-profiles-librarian": ("/people/roster/languages/?el=yes", "librarian", None),
    "language-import": ("/people/roster/languages/import/", "ell", None),
}


def _roster_job_path(open_page, filename: str) -> str:
    page = open_page("/people/roster/", username="librarian")
    return page.get_by_role("link", name=filename, exact=True).get_attribute("href")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(ROSTER_PAGES))
def test_rostering_page_is_accessible(open_page, name, lang):
    path, username, job = ROSTER_PAGES[name]
    if job:
        path = _roster_job_path(open_page, job)
    for viewport, scheme in CONFIGURATIONS:
        page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
        label = f"{name} [{lang}, {viewport}, {scheme}]"
        assert page.locator("h1").count() == 1, f"{label}: one page heading"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{label} is {width}px wide"
        save_screenshot(page, f"{name}-{lang}-{viewport}-{scheme}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_profile_result_page_is_accessible(open_page, lang):
    page = open_page("/people/roster/languages/import/", username="ell", lang=lang)
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "profiles.csv",
                "mimeType": "text/csv",
                "buffer": (
                    b"sourcedId,home_languages,english_learner,el_entry_date\n"
                    b"s-maria,es en,false,\n"
                    b"s-nobody,es,true,\n"
                ),
            }
        ],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    assert page.locator("table.data-table tbody tr").count() == 1  # the unknown sourcedId
    assert_page_language(page, lang)
    assert_accessible(page, f"language-import-result [{lang}]")
    save_screenshot(page, f"language-import-result-{lang}")


def test_roster_progress_updates_in_place(open_page, tmp_path_factory):
    """A running import's page polls; when the job ends, the summary replaces the
    progress bar and the status line (which stays in the page) says so."""
    import sqlite3

    # The server fixture's database (pytest links browser-varcurrent to it too).
    (database,) = {
        p.resolve() for p in tmp_path_factory.getbasetemp().glob("browser-var*/browser.sqlite3")
    }
    probe = "progress-probe.zip"
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO people_rosterimport (started_by_id, filename, path, status, error,"
            " counts, warnings, queued_at) SELECT id, ?, '', 'running', '', '{}', '[]',"
            " CURRENT_TIMESTAMP FROM people_person WHERE username = 'librarian'",
            (probe,),
        )
    page = open_page(_roster_job_path(open_page, probe), username="librarian")
    assert page.locator("#roster-live").inner_text().startswith("Importing the roster")
    assert page.locator("#roster-result progress").count() == 1
    live = page.locator("#roster-live").element_handle()
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE people_rosterimport SET status = 'done', counts = ? WHERE filename = ?",
            ('{"people_created": 7}', probe),
        )
    page.wait_for_function(
        "document.getElementById('roster-live').textContent.trim() === 'Finished.'",
        timeout=10_000,
    )
    assert page.locator("#roster-result progress").count() == 0
    assert page.locator("#roster-result dl.summary dd").first.inner_text() == "7"
    # The same live region node, updated in place: screen readers hear the change.
    assert page.evaluate("(el) => el === document.getElementById('roster-live')", live)
    assert page.locator("#roster-live").get_attribute("role") == "status"
    assert_accessible(page, "roster-finished-in-place")


# My library, the overdue list and patron cards (seed.py: seed_account_pages).
ACCOUNT_PAGES = {
    "my-library-student": ("/circulation/account/", "student"),
    "my-library-teacher": ("/circulation/account/", "teacher"),
    "overdue-teacher": ("/circulation/overdue/", "teacher"),
    "overdue-librarian": ("/circulation/overdue/", "librarian"),
    "patron-cards": ("/people/cards/", "librarian"),
    "holds-librarian": ("/circulation/holds/", "librarian"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(ACCOUNT_PAGES))
def test_account_page_is_accessible(open_page, name, lang):
    path, username = ACCOUNT_PAGES[name]
    for viewport, scheme in CONFIGURATIONS:
        page = open_page(path, username=username, lang=lang, viewport=viewport, scheme=scheme)
        label = f"{name} [{lang}, {viewport}, {scheme}]"
        assert page.locator("h1").count() == 1, f"{label}: one page heading"
        assert_page_language(page, lang)
        assert_accessible(page, label)
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{label} is {width}px wide"
        save_screenshot(page, f"{name}-{lang}-{viewport}-{scheme}")


def test_my_library_shows_the_seeded_account_and_big_targets_on_a_phone(open_page):
    page = open_page("/circulation/account/", username="student", viewport="phone")
    main = page.locator("main")
    for text in ("Hatchet", "Overdue", "Holes", "Ghost", "next in line", "Front Desk", "Smile"):
        assert main.get_by_text(text).count() >= 1, text
    assert page.locator(".site-nav a[aria-current=page]").inner_text() == "My library"
    small = page.evaluate(
        """() => [...document.querySelectorAll('main a, main button')]
            .filter(el => el.offsetParent !== null)
            .map(el => ({el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect()}))
            .filter(x => x.r.height < 44)
            .map(x => x.el + ' ' + x.r.height)"""
    )
    assert not small, "targets under 44px on a phone:\n" + "\n".join(small)


def test_overdue_list_shows_names_and_counts_only(open_page):
    page = open_page("/circulation/overdue/", username="teacher")
    table = page.locator("main table").first
    assert "Sami Haddad" in table.inner_text()
    assert "Hatchet" not in page.locator("main").inner_text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_status_and_hold_for_a_reader_pages_are_accessible(open_page, lang):
    """Reached as a librarian would: from the record page of a title that is out."""
    page = open_page("/catalog/?q=Hatchet", username="librarian", lang=lang)
    page.locator("main a", has_text="Hatchet").first.click()
    record_url = page.url
    page.locator("tr", has_text="ACC00001").locator("a[href*='/status/']").click()
    page.wait_for_selector("form select[name=status]")
    assert "Sami" in page.locator("main").inner_text()  # who has it, before marking it
    assert_page_language(page, lang)
    assert_accessible(page, f"copy status [{lang}]")
    save_screenshot(page, f"copy-status-{lang}")
    page.goto(record_url)
    page.locator("a[href$='/hold/']").click()
    page.wait_for_selector("input[name=card]")
    page.fill("input[name=card]", "NOSUCHCARD")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".errorlist")
    assert_accessible(page, f"hold for a reader, with an error [{lang}]")
    save_screenshot(page, f"record-hold-error-{lang}")
