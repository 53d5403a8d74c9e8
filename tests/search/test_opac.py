"""The student catalog pages: search with facets, record page, holds, anonymous browsing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from shelfwise.audit.models import AuditEntry
from shelfwise.catalog.models import ItemStatus
from shelfwise.circulation.models import Hold, Loan, LoanPolicy
from shelfwise.circulation.services import loan_checkout

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

AVAILABLE = ItemStatus.AVAILABLE
OPAC = "/search/"


@pytest.fixture
def volcanoes(make_record, personas):
    school, other = personas.school, personas.other_school
    books = {
        "es": make_record(
            "Los volcanes",
            languages=("spa",),
            authors=["García, Ana"],
            subjects=["Volcanoes -- Juvenile literature"],
            summary="Cómo se forman los volcanes.",
            extra={"lexile": 950},
            copies=[(school, AVAILABLE), (other, ItemStatus.CHECKED_OUT)],
        ),
        "en": make_record(
            "Volcanoes",
            languages=("eng",),
            subjects=["Volcanoes"],
            extra={"lexile": 500},
            copies=[(school, ItemStatus.CHECKED_OUT)],
        ),
        "ar": make_record(
            "البراكين",
            languages=("ara",),
            subjects=["Volcanoes"],
            extra={"lexile": 980},
            copies=[(other, AVAILABLE)],
        ),
        "other": make_record("Hatchet", languages=("eng",), subjects=["Survival"]),
    }
    return books


def html_of(response) -> str:
    return response.content.decode()


def test_anonymous_browsing_and_facets_with_counts(client, volcanoes):
    response = client.get(OPAC, {"q": "volcanoes"})
    assert response.status_code == 200
    html = html_of(response)
    # "volcanoes" is in the subject of all three volcano books, none other.
    assert "3 books for “volcanoes”" in html
    for title in ("Los volcanes", "Volcanoes", "البراكين"):
        assert title in html
    assert "Hatchet" not in html
    # Language facet: names in English, one record each.
    assert re.search(r"Spanish</span> <span class=\"opac-facet__count\">\(1\)", html)
    assert re.search(r"Arabic</span> <span class=\"opac-facet__count\">\(1\)", html)
    # Anonymous: available anywhere; two of three have a copy on a shelf.
    assert re.search(r"Available now</span> <span class=\"opac-facet__count\">\(2\)", html)
    # No patron data, no hold form, a way to log in.
    assert "Place a hold" not in html
    assert "Log in to see your books and place holds" in html


def test_facet_filter_narrows_results_and_counts(client, volcanoes):
    response = client.get(OPAC, {"q": "volcanoes", "language": "spa"})
    html = html_of(response)
    assert "1 book for “volcanoes”" in html
    assert "Los volcanes" in html and "البراكين" not in html
    # The chosen filter is shown with a link that removes it.
    assert 'aria-current="true"' in html
    assert "Remove filter:" in html
    band = client.get(OPAC, {"q": "volcanoes", "band": "6-8"})
    assert "2 books for “volcanoes”" in html_of(band)  # 950L and 980L, not 500L


def test_availability_facet_is_my_school_for_a_signed_in_reader(client, personas, volcanoes):
    client.force_login(personas.student)
    html = html_of(client.get(OPAC, {"q": "volcanoes"}))
    assert re.search(
        r"Available at Lincoln Middle School</span> <span class=\"opac-facet__count\">\(1\)",
        html,
    )
    only = html_of(client.get(OPAC, {"q": "volcanoes", "available": "yes"}))
    assert "1 book for “volcanoes”" in only and "Los volcanes" in only


def test_htmx_gets_the_results_only(client, volcanoes):
    response = client.get(OPAC, {"q": "volcanoes"}, HTTP_HX_REQUEST="true")
    html = html_of(response)
    assert html.startswith('<div id="opac-results"')
    assert "<html" not in html


def test_pagination_keeps_query_and_filters(client, make_record):
    for n in range(23):
        make_record(f"Ocean book {n:02d}", languages=("eng",))
    first = html_of(client.get(OPAC, {"q": "ocean", "language": "eng"}))
    assert "23 books for “ocean”" in first
    assert "Page 1 of 2" in first
    assert 'href="/search/?q=ocean&amp;language=eng&amp;page=2"' in first
    second = html_of(client.get(OPAC, {"q": "ocean", "language": "eng", "page": 2}))
    assert second.count('class="card opac-hit"') == 3
    assert 'start="21"' in second


def test_exact_isbn_and_barcode_open_the_record(client, make_record, personas):
    book = make_record("Isbn book", isbn="9780306406157", copies=[(personas.school, AVAILABLE)])
    for query in ("978-0-306-40615-7", "0306406152"):
        response = client.get(OPAC, {"q": query})
        assert response.status_code == 302
        assert response["Location"] == reverse("search:record", args=[book.pk])
    barcode = book.items.get().barcode
    assert client.get(OPAC, {"q": barcode})["Location"] == reverse("search:record", args=[book.pk])


def test_hostile_queries_render_a_page(client, volcanoes):
    for query in ['"', "vol*", "a AND (b", "'; DROP TABLE x; --", "🌋" * 3, "x" * 5000]:
        response = client.get(OPAC, {"q": query, "page": "-3", "language": "\x00"})
        assert response.status_code == 200, query
    assert client.get(OPAC, {"page": "abc", "field": "nope"}).status_code == 200


def test_record_page_for_a_visitor(client, volcanoes, personas):
    book = volcanoes["es"]
    Loan.objects.none()  # nothing checked out through circulation here
    html = html_of(client.get(reverse("search:record", args=[book.pk])))
    assert "Los volcanes" in html and "García, Ana" in html
    assert "Cómo se forman los volcanes." in html
    assert "Spanish" in html and "Grades 6–8" in html and "Lexile 950L" in html
    assert "Lincoln Middle School" in html and "Oak Elementary" in html
    # "More in …": the other languages with books on Volcanoes.
    assert "More in English" in html and "More in Arabic" in html
    assert "More in Spanish" not in html
    # Same subject, other reading levels: the 500L book (grades 2-3).
    assert "Grades 2–3" in html
    assert "Log in to place a hold" in html
    assert "Place a hold" not in html


def test_record_page_shows_due_date_never_the_borrower(client, personas, make_record):
    book = make_record("Hatchet", copies=[(personas.school, AVAILABLE)])
    loan = loan_checkout(item=book.items.get(), patron=personas.student, by=personas.librarian)
    html = html_of(client.get(reverse("search:record", args=[book.pk])))
    assert "Checked out" in html and "due back" in html
    assert str(loan.due_on.year) in html
    for private in ("Sami", "Haddad", "P0001", "student"):
        assert private not in html.split("<main", 1)[1], private


def test_record_page_in_spanish_and_arabic(client, volcanoes):
    book = volcanoes["es"]
    url = reverse("search:record", args=[book.pk])
    client.cookies["django_language"] = "es"
    html = html_of(client.get(url))
    assert 'lang="es"' in html and "español" in html and "Más en inglés" in html
    client.cookies["django_language"] = "ar"
    html = html_of(client.get(url))
    assert 'dir="rtl"' in html and "الإسبانية" in html
    translation.activate("en")


def test_unknown_record_is_404(client, db):
    assert client.get(reverse("search:record", args=[999999])).status_code == 404


def test_student_places_a_hold(client, personas, volcanoes):
    book = volcanoes["en"]  # its only LMS copy is out
    client.force_login(personas.student)
    url = reverse("search:record", args=[book.pk])
    assert "Place a hold" in html_of(client.get(url))
    response = client.post(reverse("search:record_hold", args=[book.pk]), follow=True)
    html = html_of(response)
    assert "you are number 1 in line" in html
    hold = Hold.objects.get(record=book, patron=personas.student)
    assert hold.school == personas.school and hold.status == Hold.Status.WAITING
    assert AuditEntry.objects.filter(action="circulation.hold_place").exists()
    assert "You have a hold on this book." in html
    # A second hold on the same title is refused with a clear message, nothing added.
    again = html_of(client.post(reverse("search:record_hold", args=[book.pk]), follow=True))
    assert "There is already a hold on this title for this reader." in again
    assert Hold.objects.filter(record=book, patron=personas.student).count() == 1


def test_hold_on_a_copy_on_the_shelf_is_ready_at_once(client, personas, volcanoes):
    client.force_login(personas.student)
    book = volcanoes["es"]
    html = html_of(client.post(reverse("search:record_hold", args=[book.pk]), follow=True))
    assert "is waiting for you at the library desk" in html
    assert Hold.objects.get(record=book).status == Hold.Status.READY


def test_hold_respects_policies(client, personas, volcanoes):
    LoanPolicy.objects.create(
        school=personas.school, patron_category="student", holds_allowed=False
    )
    client.force_login(personas.student)
    book = volcanoes["en"]
    html = html_of(client.post(reverse("search:record_hold", args=[book.pk]), follow=True))
    assert "Holds are not allowed on this title." in html
    assert not Hold.objects.exists()


def test_hold_needs_a_copy_at_my_school(client, personas, volcanoes):
    client.force_login(personas.student)
    book = volcanoes["ar"]  # only at OAK
    page = html_of(client.get(reverse("search:record", args=[book.pk])))
    assert "Place a hold" not in page and "Your school has no copy" in page
    html = html_of(client.post(reverse("search:record_hold", args=[book.pk]), follow=True))
    assert "This school has no copy of this title." in html
    assert not Hold.objects.exists()


def test_hold_denied_to_visitors_and_to_people_without_a_school(client, personas, volcanoes):
    from shelfwise.people.models import Person

    url = reverse("search:record_hold", args=[volcanoes["en"].pk])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(Person.objects.create_user(username="nobody", password="x"))
    assert client.post(url).status_code == 403
    assert client.get(url).status_code in (403, 405)
    assert not Hold.objects.exists()


@pytest.mark.parametrize("name", ["librarian", "teacher", "ell", "aide", "student"])
def test_every_reader_of_the_school_may_place_holds(name, personas):
    from shelfwise.people.permissions import has_perm

    assert has_perm(getattr(personas, name), "search.place_hold", personas.school)
    assert not has_perm(getattr(personas, name), "search.place_hold", personas.other_school)
