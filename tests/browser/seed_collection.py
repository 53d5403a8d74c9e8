"""Collection-development data for the browser tests: old 500s to weed, a purchase
request, a budget line and a draft order at LMS. English-only records with their own
barcodes (COL…), so that other pages' counts stay as their tests expect."""

from __future__ import annotations

import datetime
from decimal import Decimal


def seed_collection() -> None:
    from shelfwise.catalog.models import Item
    from shelfwise.catalog.services import record_create
    from shelfwise.collection import services
    from shelfwise.marc.build import build_record
    from shelfwise.people.models import Person
    from shelfwise.schools.models import School

    lms = School.objects.get(code="LMS")
    librarian = Person.objects.get(username="librarian")
    student = Person.objects.get(username="student")
    for n, (title, dewey) in enumerate(
        [("Rocks and minerals", "552"), ("Our solar system", "523.2"), ("Plants", "580")]
    ):
        record = record_create(
            marc_record=build_record(title=title, year=1990, dewey=dewey, subjects=["Science"]),
            by=None,
        )
        Item.objects.create(
            record=record,
            school=lms,
            barcode=f"COL{n:04d}",
            call_number=f"{dewey} OLD",
            acquired=datetime.date(1995, 9, 1),
            notes="Worn spine" if n == 0 else "",
        )
    services.purchase_request_create(
        school=lms, by=student, title="Kalila wa Dimna", language="ara", reason="For my class"
    )
    budget = services.budget_line_create(
        school=lms, year=2026, name="Home languages", amount=Decimal("500"), by=librarian
    )
    order = services.order_create(
        school=lms,
        vendor=services.vendor_get_or_create(name="Lectorum"),
        budget_line=budget,
        by=librarian,
    )
    services.order_line_add(
        order=order,
        by=librarian,
        unit_price=Decimal("12.50"),
        quantity=2,
        title="Al-Ayyam",
        language="ara",
    )
