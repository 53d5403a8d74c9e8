"""Circulation rules through the services every desk, kiosk and command shares."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, connections

from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.circulation.models import (
    CirculationEvent,
    CirculationSettings,
    Hold,
    Loan,
    LoanPolicy,
    Notice,
)
from shelfwise.circulation.services import (
    CirculationError,
    grade_band,
    hold_cancel,
    hold_place,
    hold_position,
    holds_expire,
    item_mark,
    loan_checkin,
    loan_checkout,
    loan_renew,
    loans_anonymize,
)
from shelfwise.lib.calendars import add_open_days, due_date, next_open_day
from shelfwise.schools.models import ClosedDay

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=NY)


def test_due_dates_skip_weekends_and_closed_days():
    closed = {date(2026, 11, 26), date(2026, 11, 27)}  # Thanksgiving break
    # 14 days after Thu 12 Nov is Thu 26 Nov: closed, Fri closed, weekend -> Mon 30.
    assert due_date(date(2026, 11, 12), 14, closed) == date(2026, 11, 30)
    assert next_open_day(date(2026, 11, 28), closed) == date(2026, 11, 30)
    assert add_open_days(date(2026, 11, 25), 2, closed) == date(2026, 12, 1)


@pytest.mark.django_db
def test_checkout_sets_due_date_on_an_open_day_and_counts(personas, shelf):
    _, items = shelf
    ClosedDay.objects.create(school=personas.school, date=date(2026, 11, 26))
    loan = loan_checkout(
        item=items[0], patron=personas.student, by=personas.librarian, now=at(2026, 11, 12)
    )
    assert loan.due_on == date(2026, 11, 27)
    item = Item.objects.get(pk=items[0].pk)
    assert item.status == ItemStatus.CHECKED_OUT
    assert item.circulation_count == 1 and item.last_circulated == date(2026, 11, 12)
    event = CirculationEvent.objects.get()
    assert (event.kind, event.grade_band, event.language_group, event.english_learner) == (
        "checkout",
        "6-8",
        "ara",
        True,
    )


@pytest.mark.django_db
def test_second_checkout_of_same_copy_is_refused(personas, shelf):
    _, items = shelf
    loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    with pytest.raises(CirculationError) as err:
        loan_checkout(item=items[0], patron=personas.teacher, by=personas.librarian)
    assert err.value.code == "already_out"
    assert Loan.objects.filter(returned_at=None).count() == 1


@pytest.mark.django_db
def test_max_loans_from_policy(personas, shelf):
    _, items = shelf
    LoanPolicy.objects.create(school=personas.school, patron_category="student", max_loans=1)
    loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    with pytest.raises(CirculationError) as err:
        loan_checkout(item=items[2], patron=personas.student, by=personas.librarian)
    assert err.value.code == "max_loans"


@pytest.mark.django_db
def test_item_type_policy_beats_the_general_one(personas, shelf):
    _, items = shelf
    LoanPolicy.objects.create(school=personas.school, patron_category="student", loan_days=14)
    LoanPolicy.objects.create(
        school=personas.school, patron_category="student", item_type="reference", loan_days=1
    )
    Item.objects.filter(pk=items[2].pk).update(item_type="reference")
    loan = loan_checkout(
        item=Item.objects.get(pk=items[2].pk),
        patron=personas.student,
        by=personas.librarian,
        now=at(2026, 11, 9),
    )
    assert loan.due_on == date(2026, 11, 10)


@pytest.mark.django_db
def test_checkin_cuts_the_patron_link_at_once_by_default(personas, shelf):
    _, items = shelf
    loan = loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    result = loan_checkin(item=items[0], by=personas.aide)
    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.patron is None and loan.anonymized
    assert result.hold is None
    assert Item.objects.get(pk=items[0].pk).status == ItemStatus.AVAILABLE
    assert not Loan.objects.filter(patron=personas.student).exists()
    # Statistics survive without the person.
    assert CirculationEvent.objects.filter(grade_band="6-8").count() == 1


@pytest.mark.django_db
def test_retention_keeps_the_link_then_anonymize_cuts_it(personas, shelf):
    _, items = shelf
    CirculationSettings.objects.create(school=personas.school, retention_days=7)
    loan = loan_checkout(
        item=items[0], patron=personas.student, by=personas.librarian, now=at(2026, 11, 2)
    )
    loan_checkin(item=items[0], by=personas.librarian, now=at(2026, 11, 3))
    loan.refresh_from_db()
    assert loan.patron == personas.student
    assert loans_anonymize(now=at(2026, 11, 5)) == 0
    assert loans_anonymize(now=at(2026, 11, 11)) == 1
    loan.refresh_from_db()
    assert loan.patron is None


@pytest.mark.django_db
def test_hold_queue_routes_the_returned_copy_to_the_hold_shelf(
    personas, shelf, django_capture_on_commit_callbacks
):
    records, items = shelf
    personas.ell.email = "ell@example.org"
    personas.ell.save()
    loan_checkout(
        item=items[2], patron=personas.student, by=personas.librarian, now=at(2026, 11, 2)
    )
    first = hold_place(
        record=records[1],
        patron=personas.ell,
        school=personas.school,
        by=personas.ell,
        now=at(2026, 11, 3),
    )
    second = hold_place(
        record=records[1],
        patron=personas.teacher,
        school=personas.school,
        by=personas.teacher,
        now=at(2026, 11, 4),
    )
    assert (hold_position(first), hold_position(second)) == (1, 2)
    with pytest.raises(CirculationError):
        loan_renew(loan=Loan.objects.get(item=items[2], returned_at=None), by=personas.librarian)
    with django_capture_on_commit_callbacks(execute=True):
        result = loan_checkin(item=items[2], by=personas.aide, now=at(2026, 11, 5))
    assert result.hold.pk == first.pk
    first.refresh_from_db()
    assert first.status == Hold.Status.READY and first.expires_on == date(2026, 11, 12)
    assert Item.objects.get(pk=items[2].pk).status == ItemStatus.ON_HOLD_SHELF
    assert Notice.objects.get(patron=personas.ell).kind == "hold_ready"
    assert len(mail.outbox) == 1 and "Hatchet" in mail.outbox[0].subject
    # Only the reader it waits for may take it.
    with pytest.raises(CirculationError) as err:
        loan_checkout(item=items[2], patron=personas.teacher, by=personas.librarian)
    assert err.value.code == "held_for_other"
    loan_checkout(item=items[2], patron=personas.ell, by=personas.librarian)
    first.refresh_from_db()
    assert first.status == Hold.Status.FULFILLED


@pytest.mark.django_db
def test_expired_hold_passes_the_copy_to_the_next_reader(personas, shelf):
    records, items = shelf
    loan_checkout(
        item=items[2], patron=personas.student, by=personas.librarian, now=at(2026, 11, 2)
    )
    first = hold_place(
        record=records[1],
        patron=personas.ell,
        school=personas.school,
        by=personas.ell,
        now=at(2026, 11, 3),
    )
    second = hold_place(
        record=records[1],
        patron=personas.teacher,
        school=personas.school,
        by=personas.teacher,
        now=at(2026, 11, 3, 11),
    )
    loan_checkin(item=items[2], by=personas.aide, now=at(2026, 11, 5))
    assert holds_expire(now=at(2026, 11, 12)) == 0
    assert holds_expire(now=at(2026, 11, 13)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Hold.Status.EXPIRED
    assert second.status == Hold.Status.READY and second.item_id == items[2].pk
    hold_cancel(hold=second, by=personas.teacher)
    assert Item.objects.get(pk=items[2].pk).status == ItemStatus.AVAILABLE


@pytest.mark.django_db
def test_hold_on_a_title_on_the_shelf_goes_straight_to_the_hold_shelf(personas, shelf):
    records, items = shelf
    hold = hold_place(
        record=records[2], patron=personas.student, school=personas.school, by=personas.student
    )
    assert hold.status == Hold.Status.READY and hold.item_id == items[3].pk
    with pytest.raises(CirculationError) as err:
        hold_place(
            record=records[2], patron=personas.student, school=personas.school, by=personas.student
        )
    assert err.value.code == "duplicate_hold"


@pytest.mark.django_db
def test_renewal_limits(personas, shelf):
    _, items = shelf
    LoanPolicy.objects.create(school=personas.school, patron_category="student", renewals=1)
    loan = loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    loan = loan_renew(loan=loan, by=personas.student)
    assert loan.renewals == 1
    with pytest.raises(CirculationError) as err:
        loan_renew(loan=loan, by=personas.student)
    assert err.value.code == "no_renewals"


@pytest.mark.django_db
def test_lost_with_replacement_charges_and_found_again(personas, shelf):
    _, items = shelf
    CirculationSettings.objects.create(school=personas.school, replacement_charges=True)
    Item.objects.filter(pk=items[0].pk).update(price="15.99")
    loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    item_mark(item=items[0], status=ItemStatus.LOST, by=personas.librarian)
    charge = personas.student.charges.get()
    assert str(charge.amount) == "15.99" and charge.resolved_at is None
    result = loan_checkin(item=items[0], by=personas.librarian)
    assert result.was_lost
    charge.refresh_from_db()
    assert charge.resolution == "returned"


@pytest.mark.django_db
def test_fine_free_by_default(personas, shelf):
    _, items = shelf
    Item.objects.filter(pk=items[0].pk).update(price="15.99")
    loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    item_mark(item=items[0], status=ItemStatus.LOST, by=personas.librarian)
    assert not personas.student.charges.exists()


@pytest.mark.django_db
def test_withdrawn_copy_cannot_go_out(personas, shelf):
    _, items = shelf
    item_mark(item=items[3], status=ItemStatus.WITHDRAWN, by=personas.librarian)
    with pytest.raises(CirculationError) as err:
        loan_checkout(item=items[3], patron=personas.student, by=personas.librarian)
    assert err.value.code == "not_available"


@pytest.mark.django_db
def test_inactive_patron_is_refused(personas, shelf):
    _, items = shelf
    personas.student.is_active = False
    personas.student.save()
    with pytest.raises(CirculationError):
        loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)


def test_grade_bands():
    assert [grade_band(g) for g in ["KG", "02", "05", "06", "08", "12", "", "Other"]] == [
        "K-2",
        "K-2",
        "3-5",
        "6-8",
        "6-8",
        "9-12",
        "adult",
        "",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_desks_racing_for_one_copy_make_exactly_one_loan(personas, shelf):
    """Real threads, real connections: N desks scan the same copy at once."""
    _, items = shelf
    assert "memory" not in str(connection.settings_dict["NAME"])  # real connections race
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    patrons = [personas.student, personas.teacher, personas.ell, personas.librarian]

    def desk(patron):
        try:
            barrier.wait()
            loan_checkout(item=items[0], patron=patron, by=personas.librarian)
            outcomes.append("loan")
        except CirculationError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=desk, args=(p,)) for p in patrons]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_out"] * 3 + ["loan"]
    assert Loan.objects.filter(item=items[0], returned_at=None).count() == 1


@pytest.mark.django_db
def test_editing_a_copy_cannot_strand_its_loan(personas, shelf):
    from django.core.exceptions import ValidationError

    from shelfwise.catalog.services import item_update

    _, items = shelf
    loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    item = Item.objects.get(pk=items[0].pk)
    with pytest.raises(ValidationError):
        item_update(item=item, by=personas.librarian, status=ItemStatus.LOST)
    with pytest.raises(ValidationError):
        item_update(
            item=Item.objects.get(pk=items[2].pk),
            by=personas.librarian,
            status=ItemStatus.CHECKED_OUT,
        )
    assert Loan.objects.get(item=items[0]).returned_at is None
    item_update(
        item=Item.objects.get(pk=items[2].pk), by=personas.librarian, status=ItemStatus.DAMAGED
    )
    assert Item.objects.get(pk=items[2].pk).status == ItemStatus.DAMAGED
