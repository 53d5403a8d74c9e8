"""Writes of collection development: targets and weeding rules, weeding decisions and
withdrawals, purchase requests, budget lines, orders and receiving.

Each service runs in one transaction with its audit entry; the caller has
checked the role table. Status changes of copies go through circulation's
`item_mark` and new copies through catalog's `item_create`/`record_create`,
so their rules (open loans, unique barcodes) hold here too.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import isbn as stdnum_isbn

from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import Item, ItemStatus, Record, RecordIsbn
from shelfwise.catalog.services import item_create, record_create
from shelfwise.circulation.services import CirculationError, item_mark
from shelfwise.collection.models import (
    BudgetLine,
    LanguageTarget,
    Order,
    OrderLine,
    PurchaseRequest,
    Vendor,
    WeedingDecision,
    WeedingRule,
)
from shelfwise.marc.build import build_record
from shelfwise.people.language_profiles import to_marc_language

# ---------------------------------------------------------------- targets and rules


def language_target_set(
    *, school, mode: str, titles_per_speaker: Decimal | None, by
) -> LanguageTarget:
    if mode not in LanguageTarget.Mode.values:
        raise ValidationError({"mode": _("Choose a target.")})
    if titles_per_speaker is None or titles_per_speaker <= 0:
        raise ValidationError({"titles_per_speaker": _("Enter a number above zero.")})
    with transaction.atomic():
        target, _created = LanguageTarget.objects.update_or_create(
            school=school, defaults={"mode": mode, "titles_per_speaker": titles_per_speaker}
        )
        audit_log(
            actor=by,
            action="collection.language_target",
            obj=target,
            school=school,
            mode=mode,
            titles_per_speaker=str(titles_per_speaker),
        )
    return target


def weeding_rule_update(
    *, rule: WeedingRule, max_age: int | None, max_idle: int | None, by
) -> WeedingRule:
    for name, value in (("max_age", max_age), ("max_idle", max_idle)):
        if value is not None and not 0 < value <= 100:
            raise ValidationError(
                {name: _("Enter a number of years from 1 to 100, or leave blank.")}
            )
    with transaction.atomic():
        before = [rule.max_age, rule.max_idle]
        rule.max_age, rule.max_idle = max_age, max_idle
        rule.save(update_fields=["max_age", "max_idle"])
        audit_log(
            actor=by,
            action="collection.weeding_rule",
            obj=rule,
            school=rule.school,
            before=before,
            after=[max_age, max_idle],
        )
    return rule


# ---------------------------------------------------------------- weeding


def weeding_decide(
    *,
    item: Item,
    decision: str,
    by,
    note: str = "",
    confirm_last_copy: bool = False,
    today: datetime.date | None = None,
) -> WeedingDecision:
    """Record the decision on a candidate; withdraw (or withdraw and wish-list a
    replacement) through circulation's item_mark. Refuses to withdraw the last
    copy of a title in a language below its coverage target unless confirmed."""
    from shelfwise.collection.weeding import weeding_list

    if decision not in WeedingDecision.Decision.values:
        raise ValidationError({"decision": _("Choose keep, withdraw or replace.")})
    today = today or timezone.localdate()
    section = Item.objects.filter(pk=item.pk).values_list("section", flat=True).first()
    found = weeding_list(school=item.school, section=section, today=today, item_ids=[item.pk])
    if not found:
        raise ValidationError(_("This copy is not on the weeding list."))
    candidate = found[0]
    withdraw = decision != WeedingDecision.Decision.KEEP
    if withdraw and candidate.last_copy_flag and not confirm_last_copy:
        raise ValidationError(
            _(
                "This is the last copy of a title in %(languages)s, a language below its "
                "coverage target. Confirm to withdraw it anyway."
            )
            % {"languages": ", ".join(candidate.flag_languages)},
            code="last_copy",
        )
    record = item.record
    now = timezone.now()
    with transaction.atomic():
        row = WeedingDecision.objects.create(
            item=item,
            school=item.school,
            decision=decision,
            reasons=candidate.reasons,
            last_copy_flag=candidate.last_copy_flag,
            note=note[:300],
            barcode=item.barcode,
            title=record.title,
            call_number=item.call_number,
            dewey=record.dewey,
            pub_year=record.pub_year,
            last_circulated=item.last_circulated,
            decided_by=by,
            decided_at=now,
        )
        if withdraw:
            try:
                item_mark(item=item, status=ItemStatus.WITHDRAWN, by=by, now=now)
            except CirculationError as error:
                raise ValidationError(str(error)) from error
            row.withdrawn_at = now
            row.save(update_fields=["withdrawn_at"])
        if decision == WeedingDecision.Decision.REPLACE:
            PurchaseRequest.objects.create(
                school=item.school,
                requested_by=by,
                title=record.title[:300],
                author=record.main_author[:200],
                isbn=(record.isbns or [""])[0],
                language=(record.languages or [""])[0][:3],
                reason=_("Replacement for withdrawn copy %(barcode)s") % {"barcode": item.barcode},
                status=PurchaseRequest.Status.WISH_LIST,
            )
        audit_log(
            actor=by,
            action="collection.weeding_decision",
            obj=item,
            school=item.school,
            decision=decision,
            reasons=candidate.reasons,
            last_copy_flag=candidate.last_copy_flag,
        )
    return row


# ---------------------------------------------------------------- purchase requests


def clean_isbn(value: str) -> str:
    """Any valid ISBN-10 or ISBN-13 → ISBN-13; '' stays ''; ValidationError otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(value))
    except Exception as error:  # stdnum raises several ValidationError subclasses
        raise ValidationError(
            {"isbn": _("%(value)s is not a valid ISBN.") % {"value": value[:20]}}
        ) from error


def clean_language(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    code = to_marc_language(value)
    if not code:
        # A language's name, in English or in its own language ("Arabic", "español").
        import langcodes

        try:
            code = to_marc_language(langcodes.find(value).language)
        except LookupError:
            code = None
    if not code:
        raise ValidationError(
            {"language": _("Unknown language: %(value)s") % {"value": value[:20]}}
        )
    return code


def purchase_request_create(
    *,
    school,
    by,
    title: str,
    author: str = "",
    isbn: str = "",
    language: str = "",
    reason: str = "",
    gap: str = "",
    gap_value: str = "",
    copies: int = 1,
    collaboration=None,
) -> PurchaseRequest:
    title = (title or "").strip()
    errors: dict[str, Any] = {}
    if not title:
        errors["title"] = _("A request needs a title.")
    try:
        isbn = clean_isbn(isbn)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        language = clean_language(language)
    except ValidationError as error:
        errors.update(error.message_dict)
    if gap not in PurchaseRequest.Gap.values:
        errors["gap"] = _("Unknown gap.")
    if not 1 <= int(copies or 0) <= 100:
        errors["copies"] = _("Ask for 1 to 100 copies.")
    if collaboration is not None and collaboration.school_id != school.pk:
        errors["collaboration"] = _("That collaboration is in another school.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = PurchaseRequest.objects.create(
            school=school,
            requested_by=by,
            title=title[:300],
            author=(author or "").strip()[:200],
            isbn=isbn,
            language=language,
            reason=(reason or "").strip(),
            gap=gap,
            gap_value=(gap_value or "")[:16],
            copies=int(copies),
            collaboration=collaboration,
        )
        audit_log(actor=by, action="collection.request_create", obj=request, school=school)
    return request


def purchase_request_set_status(
    *, request: PurchaseRequest, status: str, by, note: str = ""
) -> PurchaseRequest:
    """The librarian's answer: to the wish list, or declined (with a note)."""
    allowed = {PurchaseRequest.Status.WISH_LIST, PurchaseRequest.Status.DECLINED}
    if status not in allowed or request.status not in (
        PurchaseRequest.Status.SUBMITTED,
        PurchaseRequest.Status.WISH_LIST,
        PurchaseRequest.Status.DECLINED,
    ):
        raise ValidationError(_("This request cannot move to that status."))
    with transaction.atomic():
        request.status = status
        request.status_note = (note or "").strip()[:300]
        request.save(update_fields=["status", "status_note", "updated_at"])
        audit_log(
            actor=by,
            action="collection.request_status",
            obj=request,
            school=request.school,
            status=status,
        )
    return request


# ---------------------------------------------------------------- budget and orders


def vendor_get_or_create(*, name: str) -> Vendor:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"vendor": _("Name the vendor.")})
    return Vendor.objects.get_or_create(name=name[:200])[0]


def budget_line_create(*, school, year: int, name: str, amount: Decimal, by) -> BudgetLine:
    name = (name or "").strip()
    if not name or amount is None or amount < 0 or not 2000 <= int(year) <= 2100:
        raise ValidationError(
            _("A budget line needs a year, a name and an amount of zero or more.")
        )
    if BudgetLine.objects.filter(school=school, year=year, name=name).exists():
        raise ValidationError({"name": _("This year already has a budget line with that name.")})
    with transaction.atomic():
        line = BudgetLine.objects.create(school=school, year=year, name=name[:100], amount=amount)
        audit_log(
            actor=by, action="collection.budget_line", obj=line, school=school, amount=str(amount)
        )
    return line


def budget_figures(line: BudgetLine) -> dict[str, Decimal]:
    """Spent (received), committed (placed, not yet received) and remaining."""
    lines = OrderLine.objects.filter(order__budget_line=line)
    spent = lines.filter(order__status__in=[Order.Status.PLACED, Order.Status.RECEIVED]).aggregate(
        v=Sum(F("received") * F("unit_price"))
    )["v"] or Decimal("0")
    committed = lines.filter(order__status=Order.Status.PLACED).aggregate(
        v=Sum((F("quantity") - F("received")) * F("unit_price"))
    )["v"] or Decimal("0")
    spent, committed = Decimal(spent), Decimal(committed)
    return {
        "amount": line.amount,
        "spent": spent,
        "committed": committed,
        "remaining": line.amount - spent - committed,
    }


def order_create(*, school, vendor: Vendor, budget_line: BudgetLine, by) -> Order:
    if budget_line.school_id != school.pk:
        raise ValidationError({"budget_line": _("That budget line is another school's.")})
    with transaction.atomic():
        order = Order.objects.create(
            school=school, vendor=vendor, budget_line=budget_line, created_by=by
        )
        audit_log(actor=by, action="collection.order_create", obj=order, school=school)
    return order


def order_line_add(
    *,
    order: Order,
    by,
    unit_price: Decimal,
    quantity: int = 1,
    request: PurchaseRequest | None = None,
    isbn: str = "",
    title: str = "",
    author: str = "",
    language: str = "",
) -> OrderLine:
    """A line from a purchase request, or from an ISBN (the title from the catalog when
    a record has it)."""
    if order.status != Order.Status.DRAFT:
        raise ValidationError(_("Lines can be added to a draft order only."))
    if unit_price is None or unit_price < 0:
        raise ValidationError({"unit_price": _("Enter a price of zero or more.")})
    if not 1 <= int(quantity or 0) <= 500:
        raise ValidationError({"quantity": _("Order 1 to 500 copies.")})
    record = None
    if request is not None:
        if request.school_id != order.school_id:
            raise ValidationError(_("That request is another school's."))
        if request.status not in (
            PurchaseRequest.Status.SUBMITTED,
            PurchaseRequest.Status.WISH_LIST,
        ):
            raise ValidationError(_("That request is already ordered, received or declined."))
        isbn, title, author, language = (
            request.isbn,
            request.title,
            request.author,
            request.language,
        )
    else:
        isbn = clean_isbn(isbn)
        language = clean_language(language)
    if isbn:
        record = Record.objects.filter(
            pk__in=RecordIsbn.objects.filter(isbn=isbn).values("record_id")
        ).first()
    if record is not None and not title:
        title, author = record.title, record.main_author
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("This ISBN is not in the catalog: give the title.")})
    with transaction.atomic():
        line = OrderLine.objects.create(
            order=order,
            request=request,
            record=record,
            title=title[:300],
            author=(author or "")[:200],
            isbn=isbn,
            language=language,
            quantity=int(quantity),
            unit_price=unit_price,
        )
        if request is not None and request.status == PurchaseRequest.Status.SUBMITTED:
            request.status = PurchaseRequest.Status.WISH_LIST
            request.save(update_fields=["status", "updated_at"])
        audit_log(actor=by, action="collection.order_line", obj=line, school=order.school)
    return line


def order_place(*, order: Order, by) -> Order:
    """Place a draft order if its total fits what remains of its budget line."""
    with transaction.atomic():
        # Lock the budget line: two orders placed at once cannot both fit.
        budget = BudgetLine.objects.select_for_update().get(pk=order.budget_line_id)
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.DRAFT:
            raise ValidationError(_("This order is already placed."))
        lines = list(order.lines.all())
        if not lines:
            raise ValidationError(_("An order needs at least one line."))
        total = sum((line.total for line in lines), Decimal("0"))
        remaining = budget_figures(budget)["remaining"]
        if total > remaining:
            raise ValidationError(
                _("This order costs %(total)s but only %(remaining)s remains on %(budget)s.")
                % {"total": total, "remaining": remaining, "budget": budget}
            )
        order.status = Order.Status.PLACED
        order.placed_at = timezone.now()
        order.save(update_fields=["status", "placed_at"])
        PurchaseRequest.objects.filter(
            pk__in=[ln.request_id for ln in lines if ln.request_id]
        ).update(status=PurchaseRequest.Status.ORDERED, updated_at=timezone.now())
        audit_log(
            actor=by,
            action="collection.order_place",
            obj=order,
            school=order.school,
            total=str(total),
        )
    return order


def _record_for_line(line: OrderLine, *, by, school) -> Record:
    if line.record_id:
        return line.record
    if line.isbn:
        found = Record.objects.filter(
            pk__in=RecordIsbn.objects.filter(isbn=line.isbn).values("record_id")
        ).first()
        if found:
            return found
    marc = build_record(
        title=line.title,
        authors=[line.author] if line.author else [],
        isbn=line.isbn,
        languages=(line.language or "und",),
    )
    return record_create(marc_record=marc, by=by, school=school)


def order_line_receive(
    *, line: OrderLine, barcodes: Sequence[str], by, today: datetime.date | None = None
) -> list[Item]:
    """Copies scanned at receiving become items (on the line's record, found by ISBN, or a
    new brief record); the request's author hears that it is on the shelf."""
    barcodes = [b.strip() for b in barcodes if b and b.strip()]
    if not barcodes:
        raise ValidationError({"barcodes": _("Scan the barcode of each copy received.")})
    if len(set(barcodes)) != len(barcodes):
        raise ValidationError({"barcodes": _("The same barcode was scanned twice.")})
    today = today or timezone.localdate()
    with transaction.atomic():
        line = (
            OrderLine.objects.select_for_update(of=("self",))
            .select_related("order", "request")
            .get(pk=line.pk)
        )
        order = line.order
        if order.status != Order.Status.PLACED:
            raise ValidationError(_("Only a placed order can be received."))
        if line.received + len(barcodes) > line.quantity:
            raise ValidationError(
                {
                    "barcodes": _(
                        "%(n)s scanned, but only %(left)s of this line remain to receive."
                    )
                    % {"n": len(barcodes), "left": line.quantity - line.received}
                }
            )
        record = _record_for_line(line, by=by, school=order.school)
        items = [
            item_create(
                record=record,
                school=order.school,
                by=by,
                barcode=barcode,
                price=line.unit_price,
                acquired=today,
                status=ItemStatus.AVAILABLE,
            )
            for barcode in barcodes
        ]
        line.record = record
        line.received += len(barcodes)
        line.save(update_fields=["record", "received"])
        if not order.lines.filter(received__lt=F("quantity")).exists():
            order.status = Order.Status.RECEIVED
            order.save(update_fields=["status"])
        request = line.request
        if request is not None and line.received >= line.quantity:
            request.status = PurchaseRequest.Status.RECEIVED
            request.save(update_fields=["status", "updated_at"])
            if request.requested_by_id:
                transaction.on_commit(lambda: _tell_requester(request, record))
        audit_log(
            actor=by,
            action="collection.receive",
            obj=line,
            school=order.school,
            record=record.pk,
            barcodes=barcodes,
        )
    return items


def _tell_requester(request: PurchaseRequest, record: Record) -> None:
    from shelfwise.circulation.notices import _language, notice_send

    person = request.requested_by
    with translation.override(_language(person)):
        subject = _("Now in the library: %(title)s") % {"title": request.title[:80]}
        body = _(
            'Hello %(name)s,\n\n"%(title)s", which you asked the library to buy, is now on '
            "the shelf at %(school)s. You can find it in the catalog."
        ) % {
            "name": person.full_name or person.username,
            "title": request.title,
            "school": request.school.name,
        }
    # Decision: the circulation notices (stored + e-mailed once per key) carry
    # this too, so the requester finds it on their own page like a hold notice.
    notice_send(
        patron=person, kind="purchase", key=f"purchase:{request.pk}", subject=subject, body=body
    )
