"""Purchase requests, budget lines, orders and receiving; the loop from a gap to the shelf."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shelfwise.catalog.models import Item
from shelfwise.collection import services
from shelfwise.collection.models import Order, PurchaseRequest
from shelfwise.collection.selectors import language_coverage

pytestmark = pytest.mark.django_db

ISBN_10 = "0-306-40615-2"  # a valid ISBN-10: 978-0-306-40615-7 as ISBN-13


def _order(fx, amount="100.00"):
    budget = services.budget_line_create(
        school=fx.school,
        year=2026,
        name="Home languages",
        amount=Decimal(amount),
        by=fx.personas.librarian,
    )
    vendor = services.vendor_get_or_create(name="Lectorum")
    return services.order_create(
        school=fx.school, vendor=vendor, budget_line=budget, by=fx.personas.librarian
    )


def test_request_validation(fx):
    with pytest.raises(ValidationError) as error:
        services.purchase_request_create(
            school=fx.school,
            by=fx.personas.teacher,
            title=" ",
            isbn="978-0-306-40615-8",
            language="Qwertzuiop",
        )
    assert set(error.value.message_dict) == {"title", "isbn", "language"}
    assert not PurchaseRequest.objects.exists()
    request = services.purchase_request_create(
        school=fx.school,
        by=fx.personas.student,
        title="Kalila wa Dimna",
        isbn=ISBN_10,
        language="ar",
        gap="language",
        gap_value="ara",
    )
    assert (request.isbn, request.language, request.status) == ("9780306406157", "ara", "submitted")


def test_budget_figures_and_over_budget_refusal(fx):
    order = _order(fx, amount="50.00")
    services.order_line_add(
        order=order, by=None, unit_price=Decimal("20"), quantity=3, title="Too much", isbn=""
    )
    with pytest.raises(ValidationError, match="only 50"):
        services.order_place(order=order, by=None)
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT
    line = order.lines.get()
    line.quantity = 2
    line.save()
    services.order_place(order=order, by=None)
    figures = services.budget_figures(order.budget_line)
    assert figures == {
        "amount": Decimal("50.00"),
        "spent": Decimal("0"),
        "committed": Decimal("40"),
        "remaining": Decimal("10"),
    }
    services.order_line_receive(line=line, barcodes=["N1"], by=None, today=fx.today)
    figures = services.budget_figures(order.budget_line)
    assert (figures["spent"], figures["committed"], figures["remaining"]) == (20, 20, 10)


def test_receiving_is_all_or_nothing(fx):
    order = _order(fx)
    line = services.order_line_add(
        order=order,
        by=None,
        unit_price=Decimal("10"),
        quantity=2,
        isbn=ISBN_10,
        title="Kalila wa Dimna",
        language="ara",
    )
    with pytest.raises(ValidationError):
        services.order_line_receive(line=line, barcodes=["X"], by=None)  # not placed yet
    services.order_place(order=order, by=None)
    with pytest.raises(ValidationError):  # A1 is taken: neither copy is created
        services.order_line_receive(line=line, barcodes=["N1", "A1"], by=None)
    with pytest.raises(ValidationError):
        services.order_line_receive(line=line, barcodes=["N1", "N2", "N3"], by=None)
    line.refresh_from_db()
    assert line.received == 0 and not Item.objects.filter(barcode="N1").exists()
    items = services.order_line_receive(line=line, barcodes=["N1", "N2"], by=None, today=fx.today)
    assert [i.record.isbns for i in items] == [["9780306406157"]] * 2
    order.refresh_from_db()
    assert order.status == Order.Status.RECEIVED


def test_receiving_on_an_existing_record(fx):
    record = fx.records["R5"]
    record.isbns = ["9780306406157"]
    record.save()
    from shelfwise.catalog.models import RecordIsbn

    RecordIsbn.objects.create(record=record, isbn="9780306406157")
    order = _order(fx)
    line = services.order_line_add(order=order, by=None, unit_price=Decimal("8"), isbn=ISBN_10)
    assert (line.record, line.title) == (record, "Arabic novel")
    services.order_place(order=order, by=None)
    (item,) = services.order_line_receive(line=line, barcodes=["N9"], by=None)
    assert item.record == record and item.price == Decimal("8")


def test_gap_to_shelf_loop(fx, mailoutbox, django_capture_on_commit_callbacks):
    """Arabic is below target → a request from the gap → ordered within budget →
    received → the gap shrinks in the report, and the requester hears."""
    from shelfwise.collection.services import language_target_set

    ell, lib = fx.personas.ell, fx.personas.librarian
    ell.email = "ell@example.org"
    ell.save()
    language_target_set(school=fx.school, mode="per_speaker", titles_per_speaker=Decimal(2), by=lib)
    before = language_coverage(school_ids=[fx.school.pk], today=fx.today).row("ara")
    assert (before.titles, before.gap_titles, before.grade) == (1, 3, "D")  # 1 of 4: 25 %
    requests = [
        services.purchase_request_create(
            school=fx.school, by=ell, title=title, language="ara", gap="language", gap_value="ara"
        )
        for title in ("Kalila wa Dimna", "Al-Ayyam")
    ]
    order = _order(fx, amount="40")
    for request in requests:
        services.order_line_add(order=order, by=lib, request=request, unit_price=Decimal("15"))
    services.order_place(order=order, by=lib)
    assert set(PurchaseRequest.objects.values_list("status", flat=True)) == {"ordered"}
    for n, line in enumerate(order.lines.all()):
        with django_capture_on_commit_callbacks(execute=True):
            services.order_line_receive(line=line, barcodes=[f"AR{n}"], by=lib, today=fx.today)
    after = language_coverage(school_ids=[fx.school.pk], today=fx.today).row("ara")
    assert (after.titles, after.copies, after.gap_titles, after.grade) == (3, 3, 1, "B")
    assert set(PurchaseRequest.objects.values_list("status", flat=True)) == {"received"}
    assert len(mailoutbox) == 2 and "Kalila wa Dimna" in mailoutbox[0].body
    from shelfwise.circulation.models import Notice

    assert Notice.objects.filter(patron=ell, kind="purchase").count() == 2
