"""Circulation transactions: check out, check in, renew, holds, status changes.

Every caller (the desk, the SIP2 server, the command line, tests) goes
through these functions, so the rules live in one place. Each runs in one
transaction that locks the item row first: two desks scanning the same item
at the same instant get one loan and one clear refusal.

Decision (privacy): audit entries for loans name the actor and the item,
never the patron; the patron link lives only on the Loan and is cut after
the school's retention period (see `loans_anonymize`).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import Item, ItemStatus, Record
from shelfwise.circulation import lookups
from shelfwise.circulation.models import Charge, CirculationEvent, Hold, Loan
from shelfwise.circulation.notices import notice_hold_ready
from shelfwise.circulation.policies import Rules, closed_days, rules_for, settings_for
from shelfwise.lib.calendars import add_open_days, due_date
from shelfwise.lib.rows import insert_row, update_row
from shelfwise.lib.write_queue import write_transaction


class CirculationError(Exception):
    """A refused transaction; `str(error)` is the translated message for the desk."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class CheckinResult:
    item: Item
    loan: Loan | None
    hold: Hold | None  # the hold this copy now waits for on the hold shelf
    was_lost: bool = False


# Statuses from which scanning a copy at check-in puts it back on the shelf.
_RETURNABLE = {
    ItemStatus.CHECKED_OUT,
    ItemStatus.LOST,
    ItemStatus.MISSING,
    ItemStatus.CLAIMED_RETURNED,
    ItemStatus.IN_TRANSIT,
    ItemStatus.AVAILABLE,
}


def school_today(school, now: datetime | None = None) -> date:
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(school.timezone)).date()


def grade_band(grade: str) -> str:
    """CEDS grade → the band statistics group by (no single grades: less identifying)."""
    grade = (grade or "").upper()
    if grade in {"IT", "PR", "PK", "TK", "KG", "01", "02"}:
        return "K-2"
    if grade in {"03", "04", "05"}:
        return "3-5"
    if grade in {"06", "07", "08"}:
        return "6-8"
    if grade in {"09", "10", "11", "12", "13"}:
        return "9-12"
    return "adult" if not grade else ""


def _event(kind: str, *, item: Item, patron, on: date) -> None:
    langs = patron.home_languages or []
    insert_row(
        CirculationEvent,
        kind=kind,
        on=on,
        school_id=item.school_id,
        item_id=item.pk,
        record_id=item.record_id,
        grade_band=grade_band(patron.grade),
        language_group=(langs[0] if langs else "")[:8],
        english_learner=patron.english_learner,
    )


def _locked_item(item: Item) -> Item:
    # The school's circulation settings come along (one query, not two per
    # check-in); only the copy's row is locked (PostgreSQL refuses to lock the
    # nullable side of the settings' outer join).
    return lookups.item_locked(item.pk)


@dataclass(frozen=True)
class _LoanTerms:
    """What a new loan gets: its rules and due date, for one school and item type."""

    key: tuple[int, str]
    rules: Rules
    today: date
    due_on: date


def _loan_terms(*, school, item_type: str, patron, now: datetime) -> _LoanTerms:
    rules = rules_for(school=school, patron=patron, item_type=item_type)
    today = school_today(school, now)
    due_on = due_date(today, rules.loan_days, closed_days(school, start=today))
    return _LoanTerms((school.pk, item_type), rules, today, due_on)


def loan_checkout(*, item: Item, patron, by, now: datetime | None = None) -> Loan:
    now = now or timezone.now()
    if not patron.is_active:
        raise CirculationError(_("This patron's account is inactive."), "patron_inactive")
    # Policies and the calendar are configuration: when the caller knows the
    # copy's school and type, they are read before the transaction, which (on
    # SQLite) holds the write lock every desk waits for; it then does only the
    # checks and writes that must be atomic, and reads them again itself if the
    # copy turns out to be of another school or type.
    terms = None
    if Item.school.is_cached(item) and item.school is not None:
        terms = _loan_terms(school=item.school, item_type=item.item_type, patron=patron, now=now)
    try:
        with write_transaction():
            item = _locked_item(item)
            school = item.school
            if item.status == ItemStatus.ON_HOLD_SHELF:
                hold = Hold.objects.filter(item=item, status=Hold.Status.READY).first()
                if hold is None or hold.patron_id != patron.pk:
                    raise CirculationError(
                        _("This copy is on the hold shelf for another reader."), "held_for_other"
                    )
                hold.status = Hold.Status.FULFILLED
                hold.closed_at = now
                hold.save(update_fields=["status", "closed_at"])
            elif item.status == ItemStatus.CHECKED_OUT:
                raise CirculationError(_("This copy is already checked out."), "already_out")
            elif item.status != ItemStatus.AVAILABLE:
                raise CirculationError(
                    _("This copy cannot circulate: it is marked %(status)s.")
                    % {"status": item.get_status_display()},
                    "not_available",
                )
            if terms is None or terms.key != (item.school_id, item.item_type):
                terms = _loan_terms(school=school, item_type=item.item_type, patron=patron, now=now)
            open_loans = lookups.open_loans(patron.pk)
            if open_loans >= terms.rules.max_loans:
                raise CirculationError(
                    _("This reader already has %(n)s items out (the limit).") % {"n": open_loans},
                    "max_loans",
                )
            today = terms.today
            loan = Loan(
                item=item,
                school=school,
                patron=patron,
                checked_out_at=now,
                due_on=terms.due_on,
            )
            loan.pk = insert_row(
                Loan,
                item_id=item.pk,
                school_id=school.pk,
                patron_id=patron.pk,
                checked_out_at=now,
                due_on=loan.due_on,
                renewals=0,
                returned_at=None,
                outcome="",
                anonymized=False,
            )
            loan._state.adding = False
            item.status = ItemStatus.CHECKED_OUT
            item.circulation_count += 1
            item.last_circulated = today
            item.updated_at = now
            update_row(
                Item,
                item.pk,
                status=item.status,
                circulation_count=item.circulation_count,
                last_circulated=today,
                updated_at=now,
            )
            _event(CirculationEvent.Kind.CHECKOUT, item=item, patron=patron, on=today)
            audit_log(actor=by, action="circulation.checkout", obj=item, school=school)
            return loan
    except IntegrityError as exc:  # the one-open-loan constraint caught a race
        raise CirculationError(_("This copy is already checked out."), "already_out") from exc


def loan_checkin(*, item: Item, by, now: datetime | None = None) -> CheckinResult:
    now = now or timezone.now()
    with write_transaction():
        item = _locked_item(item)
        school = item.school
        if item.status not in _RETURNABLE:
            raise CirculationError(
                _("This copy is marked %(status)s; change its status first.")
                % {"status": item.get_status_display()},
                "not_returnable",
            )
        was_lost = item.status in {ItemStatus.LOST, ItemStatus.MISSING}
        # At most one open loan per copy (a constraint); the reader's own choice
        # to keep their history is all that is needed of them here.
        loan = lookups.open_loan_of_item(item.pk)
        today = school_today(school, now)
        if loan is not None:
            _close_loan(loan, school=school, now=now, outcome=Loan.Outcome.RETURNED)
        # A copy found after being lost or claimed returned resolves its charge.
        lookups.resolve_charges_of_item(item.pk, now)
        hold = _route_to_next_reader(item, today=today, now=now)
        audit_log(
            actor=by,
            action="circulation.checkin",
            obj=item,
            school=school,
            to_hold_shelf=hold is not None,
        )
        return CheckinResult(item=item, loan=loan, hold=hold, was_lost=was_lost)


def _route_to_next_reader(item: Item, *, today: date, now: datetime) -> Hold | None:
    """Put a copy that is back in hand on the hold shelf for the next reader
    waiting for its title at its school, or back on the shelf. Saves the item.
    Call inside a transaction holding the item's lock."""
    school = item.school
    hold = lookups.next_waiting_hold(item.record_id, school.pk)
    if hold is not None:
        closed = closed_days(school, start=today)
        hold.status = Hold.Status.READY
        hold.item = item
        hold.ready_at = now
        hold.expires_on = add_open_days(today, settings_for(school).hold_shelf_days, closed)
        hold.save(update_fields=["status", "item", "ready_at", "expires_on"])
        item.status = ItemStatus.ON_HOLD_SHELF
        transaction.on_commit(lambda: notice_hold_ready(hold=hold))
    else:
        item.status = ItemStatus.AVAILABLE
    item.updated_at = now
    update_row(Item, item.pk, status=item.status, updated_at=now)
    return hold


def _release_held_copy(item_pk: int, *, now: datetime) -> None:
    """A ready hold ended (cancelled, expired): its copy goes to the next reader."""
    item = _locked_item(Item(pk=item_pk))
    if item.status == ItemStatus.ON_HOLD_SHELF:
        _route_to_next_reader(item, today=school_today(item.school, now), now=now)


def _close_loan(loan: Loan, *, school, now: datetime, outcome: str) -> None:
    """Close `loan` and, when the school keeps nothing (retention 0), cut its
    patron link in the same UPDATE."""
    loan.returned_at = now
    loan.outcome = outcome
    fields = ["returned_at", "outcome"]
    if loan.patron_id is not None:
        keeps = getattr(loan, "keeps_history", None)
        if keeps is None:
            keeps = loan.patron.keeps_reading_history
        # A student who asked to keep their own history keeps the link.
        if not keeps and settings_for(school).retention_days == 0:
            loan.patron = None
            loan.anonymized = True
            fields += ["patron_id", "anonymized"]
    update_row(Loan, loan.pk, **{name: getattr(loan, name) for name in fields})


def loan_renew(*, loan: Loan, by, now: datetime | None = None) -> Loan:
    now = now or timezone.now()
    with write_transaction():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("item", "school", "patron")
            .get(pk=loan.pk)
        )
        if loan.returned_at is not None:
            raise CirculationError(_("This loan is already closed."), "closed")
        rules = rules_for(school=loan.school, patron=loan.patron, item_type=loan.item.item_type)
        if loan.renewals >= rules.renewals:
            raise CirculationError(_("No renewals left for this loan."), "no_renewals")
        if Hold.objects.filter(
            record_id=loan.item.record_id, school=loan.school, status=Hold.Status.WAITING
        ).exists():
            raise CirculationError(_("Another reader is waiting for this title."), "on_hold")
        today = school_today(loan.school, now)
        new_due = due_date(today, rules.loan_days, closed_days(loan.school, start=today))
        loan.due_on = max(new_due, loan.due_on)
        loan.renewals += 1
        loan.save(update_fields=["due_on", "renewals"])
        _event(CirculationEvent.Kind.RENEWAL, item=loan.item, patron=loan.patron, on=today)
        audit_log(actor=by, action="circulation.renew", obj=loan.item, school=loan.school)
        return loan


def hold_place(*, record: Record, patron, school, by, now: datetime | None = None) -> Hold:
    now = now or timezone.now()
    if not patron.is_active:
        raise CirculationError(_("This patron's account is inactive."), "patron_inactive")
    item_types = set(
        Item.objects.filter(record=record, school=school).values_list("item_type", flat=True)
    )
    if not item_types:
        raise CirculationError(_("This school has no copy of this title."), "no_copy")
    if not any(
        rules_for(school=school, patron=patron, item_type=t).holds_allowed for t in item_types
    ):
        raise CirculationError(_("Holds are not allowed on this title."), "holds_not_allowed")
    if Loan.objects.filter(patron=patron, returned_at=None, item__record=record).exists():
        raise CirculationError(_("You already have this title checked out."), "has_copy")
    try:
        with write_transaction():
            hold = Hold.objects.create(record=record, patron=patron, school=school, placed_at=now)
            audit_log(actor=by, action="circulation.hold_place", obj=record, school=school)
    except IntegrityError as exc:
        raise CirculationError(
            _("There is already a hold on this title for this reader."), "duplicate_hold"
        ) from exc
    # A copy sitting on the shelf fills the hold at once: it goes to the hold shelf.
    available = Item.objects.filter(
        record=record, school=school, status=ItemStatus.AVAILABLE
    ).values_list("pk", flat=True)
    for item_pk in available[:1]:
        with write_transaction():
            item = _locked_item(Item(pk=item_pk))
            if item.status == ItemStatus.AVAILABLE:
                _route_to_next_reader(item, today=school_today(school, now), now=now)
        hold.refresh_from_db()
    return hold


def hold_cancel(*, hold: Hold, by, now: datetime | None = None) -> Hold:
    now = now or timezone.now()
    with write_transaction():
        hold = Hold.objects.select_for_update().get(pk=hold.pk)
        if hold.status not in (Hold.Status.WAITING, Hold.Status.READY):
            return hold
        item_pk = hold.item_id if hold.status == Hold.Status.READY else None
        hold.status = Hold.Status.CANCELLED
        hold.closed_at = now
        hold.save(update_fields=["status", "closed_at"])
        audit_log(actor=by, action="circulation.hold_cancel", obj=hold.record, school=hold.school)
        if item_pk is not None:
            _release_held_copy(item_pk, now=now)
    return hold


def holds_expire(*, now: datetime | None = None) -> int:
    """Expire ready holds whose shelf time ran out; their copies move on."""
    now = now or timezone.now()
    expired = 0
    for hold in Hold.objects.filter(status=Hold.Status.READY).select_related("school"):
        if hold.expires_on and hold.expires_on < school_today(hold.school, now):
            with write_transaction():
                hold.status = Hold.Status.EXPIRED
                hold.closed_at = now
                hold.save(update_fields=["status", "closed_at"])
                if hold.item_id is not None:
                    _release_held_copy(hold.item_id, now=now)
            expired += 1
    return expired


def hold_position(hold: Hold) -> int:
    """1 = next in line for this title at this school."""
    return (
        Hold.objects.filter(
            record_id=hold.record_id,
            school_id=hold.school_id,
            status=Hold.Status.WAITING,
            placed_at__lte=hold.placed_at,
        )
        .exclude(placed_at=hold.placed_at, pk__gt=hold.pk)
        .count()
    )


_MARKABLE = {
    ItemStatus.LOST,
    ItemStatus.DAMAGED,
    ItemStatus.CLAIMED_RETURNED,
    ItemStatus.WITHDRAWN,
    ItemStatus.MISSING,
    ItemStatus.AVAILABLE,
    ItemStatus.IN_PROCESSING,
}


def item_mark(*, item: Item, status: str, by, now: datetime | None = None) -> Item:
    """Mark a copy lost, damaged, claimed returned, withdrawn, missing (or back available)."""
    now = now or timezone.now()
    if status not in _MARKABLE:
        raise CirculationError(_("That status is set by circulation itself."), "bad_status")
    with write_transaction():
        item = _locked_item(item)
        loan = Loan.objects.filter(item=item, returned_at=None).select_related("patron").first()
        if loan is not None and status in (ItemStatus.LOST, ItemStatus.CLAIMED_RETURNED):
            if (
                status == ItemStatus.LOST
                and settings_for(item.school).replacement_charges
                and loan.patron is not None
                and item.price
            ):
                Charge.objects.create(
                    patron=loan.patron,
                    item=item,
                    school=item.school,
                    amount=Decimal(item.price),
                    reason="replacement",
                )
            _close_loan(
                loan,
                school=item.school,
                now=now,
                outcome=Loan.Outcome.LOST
                if status == ItemStatus.LOST
                else Loan.Outcome.CLAIMED_RETURNED,
            )
        elif loan is not None and status != ItemStatus.DAMAGED:
            raise CirculationError(_("Check this copy in first."), "checked_out")
        item.status = status if not (loan and status == ItemStatus.DAMAGED) else item.status
        if status == ItemStatus.DAMAGED and loan is not None:
            item.notes = (item.notes + "\n" if item.notes else "") + _("Reported damaged")
        item.save(update_fields=["status", "notes", "updated_at"])
        audit_log(actor=by, action="circulation.mark", obj=item, school=item.school, status=status)
        return item


def loans_anonymize(*, now: datetime | None = None) -> int:
    """Cut the patron link of returned loans past their school's retention period."""
    now = now or timezone.now()
    done = 0
    from shelfwise.circulation.models import CirculationSettings

    retention = dict(CirculationSettings.objects.values_list("school_id", "retention_days"))
    for school_id in set(
        Loan.objects.filter(anonymized=False)
        .exclude(returned_at=None)
        .values_list("school_id", flat=True)
    ):
        days = retention.get(school_id, 0)
        done += Loan.objects.filter(
            school_id=school_id,
            anonymized=False,
            patron__keeps_reading_history=False,
            returned_at__lte=now - timedelta(days=days),
        ).update(patron=None, anonymized=True)
    return done
