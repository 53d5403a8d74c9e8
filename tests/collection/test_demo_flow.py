"""Issue 6, "done when", on the demo school: a librarian sees that Arabic speakers have
about a third of the titles per speaker that Spanish speakers have, raises a purchase
request from that gap, orders it within budget, receives it, and the gap shrinks.

The demo is loaded once through `shelfwise demo` (2,400 records through the real
importer), then every step goes through the collection services and pages.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from shelfwise.catalog.models import Item
from shelfwise.circulation.models import Notice
from shelfwise.collection import services
from shelfwise.collection.models import Order, PurchaseRequest
from shelfwise.collection.selectors import language_coverage
from shelfwise.people.models import Person
from shelfwise.schools.models import School


def _coverage(school):
    coverage = language_coverage(school_ids=[school.pk], today=timezone.localdate())
    return coverage.row("ara"), coverage.row("spa")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_school_arabic_gap_to_the_shelf(client, django_capture_on_commit_callbacks):
    call_command("demo", stdout=StringIO())
    lms = School.objects.get(code="LMS")
    librarian = Person.objects.get(username="librarian")
    client.force_login(librarian)

    # The gap: two Arabic and two Spanish speakers among the demo students, and
    # 55 Arabic titles against 191 Spanish ones (27.5 and 95.5 per speaker).
    ara, spa = _coverage(lms)
    assert (ara.students, spa.students) == (2, 2)
    ratio = ara.titles_per_speaker / spa.titles_per_speaker
    assert 0.25 <= ratio <= 0.36, ratio  # about a third (0.29)
    page = client.get("/collection/languages/").content.decode()
    assert "Arabic" in page and "Spanish" in page

    # The librarian aims for parity with Spanish: 95 titles per speaker. The
    # report then lists Arabic among the gaps, with its request link.
    response = client.post(
        "/collection/languages/", {"mode": "per_speaker", "titles_per_speaker": "95"}
    )
    assert response.status_code == 302
    ara_before, _spa = _coverage(lms)
    assert ara_before.below_target and not _spa.below_target
    assert ara_before.gap_titles == 190 - ara.titles
    page = client.get("/collection/languages/").content.decode()
    assert "Gaps to close" in page
    assert "gap=language&amp;gap_value=ara&amp;language=ara" in page

    # A purchase request from the gap (the page's link pre-fills gap and language).
    form = client.get("/collection/requests/?gap=language&gap_value=ara&language=ara")
    assert form.status_code == 200
    response = client.post(
        "/collection/requests/?gap=language&gap_value=ara&language=ara",
        {
            "title": "Kalila wa Dimna",
            "author": "Ibn al-Muqaffa",
            "isbn": "",
            "language": "ara",
            "reason": "Arabic speakers have a third of the titles Spanish speakers have.",
            "gap": "language",
            "gap_value": "ara",
            "copies": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = PurchaseRequest.objects.get(school=lms, title="Kalila wa Dimna")
    assert (request.gap, request.gap_value, request.language, request.copies) == (
        "language",
        "ara",
        "ara",
        2,
    )

    # Ordered within budget: a line from the request and a second Arabic title.
    budget = services.budget_line_create(
        school=lms, year=timezone.localdate().year, name="Home languages", amount=Decimal("60"),
        by=librarian,
    )  # fmt: skip
    order = services.order_create(
        school=lms,
        vendor=services.vendor_get_or_create(name="Arabic Book Distributors"),
        budget_line=budget,
        by=librarian,
    )
    services.order_line_add(
        order=order, by=librarian, request=request, quantity=2, unit_price=Decimal("14.50")
    )
    services.order_line_add(
        order=order,
        by=librarian,
        title="Al-Ayyam",
        language="ara",
        quantity=1,
        unit_price=Decimal("12.00"),
    )
    # 41.00 fits in 60.00; a second order of 25.00 would not fit in what is left.
    services.order_place(order=order, by=librarian)
    assert services.budget_figures(budget)["remaining"] == Decimal("19.00")
    greedy = services.order_create(
        school=lms, vendor=order.vendor, budget_line=budget, by=librarian
    )
    services.order_line_add(
        order=greedy, by=librarian, title="Too much", quantity=1, unit_price=Decimal("25")
    )
    with pytest.raises(ValidationError):
        services.order_place(order=greedy, by=librarian)
    request.refresh_from_db()
    assert request.status == PurchaseRequest.Status.ORDERED

    # Received with scanned barcodes: copies on the shelf, the requester told.
    scans = {"Kalila wa Dimna": ["T09000001", "T09000002"], "Al-Ayyam": ["T09000003"]}
    for line in order.lines.order_by("pk"):
        with django_capture_on_commit_callbacks(execute=True):
            items = services.order_line_receive(line=line, barcodes=scans[line.title], by=librarian)
        assert [i.barcode for i in items] == scans[line.title]
    received = Item.objects.filter(barcode__in=[b for bs in scans.values() for b in bs])
    assert received.count() == 3
    assert {(i.school_id, i.status, i.record.languages[0]) for i in received} == {
        (lms.pk, "available", "ara")
    }
    order.refresh_from_db()
    request.refresh_from_db()
    assert order.status == Order.Status.RECEIVED
    assert request.status == PurchaseRequest.Status.RECEIVED
    notice = Notice.objects.get(patron=librarian, kind="purchase")
    assert notice.get_kind_display() == "Purchase request"

    # The gap shrinks in the report: two more Arabic titles, three more copies.
    ara_after, spa_after = _coverage(lms)
    assert (ara_after.titles, ara_after.copies) == (ara.titles + 2, ara.copies + 3)
    assert ara_after.gap_titles == ara_before.gap_titles - 2
    assert spa_after.titles == spa.titles
    assert ara_after.titles_per_speaker / spa_after.titles_per_speaker > ratio
    page = client.get("/collection/languages/?format=csv")
    csv_text = b"".join(page.streaming_content).decode()
    assert f"ara,2,{ara_after.english_learners},{ara_after.titles},{ara_after.copies}" in csv_text
