"""Writes for the staff catalog: a record made by hand, items added and edited.

Each service runs in one transaction with its audit entry. Authorization is
the caller's job (views check the role table before calling); the rules
that hold whoever calls — a barcode is unique in the installation, an item
belongs to one school — live here and in the database.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pymarc
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.catalog.marc_fields import record_values
from shelfwise.catalog.models import Item, ItemStatus, Record, RecordIsbn
from shelfwise.people.barcodes import looks_like_patron
from shelfwise.people.barcodes import prefix as patron_prefix

__all__ = ["ITEM_FIELDS", "item_create", "item_update", "record_create"]

# What a person may set on an item by hand (circulation owns the counters).
ITEM_FIELDS = frozenset(
    {
        "barcode", "location", "call_number", "item_type", "copy_number", "status",
        "price", "acquired", "notes",
    }
)  # fmt: skip


def record_create(*, marc_record: pymarc.Record, by: Any, school: Any = None) -> Record:
    """Save `marc_record` as a new catalog Record (with its ISBN index rows)."""
    values = record_values(marc_record)
    if not values["title"]:
        raise ValidationError(_("A record needs a title (245 $a)."))
    with transaction.atomic():
        record = Record.objects.create(**values)
        RecordIsbn.objects.bulk_create(
            [RecordIsbn(record=record, isbn=isbn) for isbn in dict.fromkeys(record.isbns)]
        )
        audit_log(
            actor=by, action="catalog.record_create", obj=record, school=school,
            title=record.title[:200], isbns=record.isbns,
        )  # fmt: skip
    return record


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"not an item field: {', '.join(sorted(unknown))}")


def _barcode_taken(barcode: str, *, exclude_pk: int | None = None) -> ValidationError | None:
    """The error to show when `barcode` is on another item: it names that item's record."""
    other = (
        Item.objects.filter(barcode=barcode)
        .exclude(pk=exclude_pk)
        .select_related("record", "school")
        .first()
    )
    if other is None:
        return None
    return ValidationError(
        {
            "barcode": ValidationError(
                _("Barcode %(barcode)s is already on a copy of “%(title)s” at %(school)s."),
                code="barcode_taken",
                params={
                    "barcode": barcode,
                    "title": other.record.title,
                    "school": other.school.name,
                },
            )
        }
    )


def _clean_barcode(fields: dict[str, Any]) -> None:
    if "barcode" in fields:
        fields["barcode"] = (fields["barcode"] or "").strip()
        if not fields["barcode"]:
            raise ValidationError({"barcode": _("A copy needs a barcode.")})
        if looks_like_patron(fields["barcode"]):
            # The desk's one scan box tells cards from copies by this pattern.
            raise ValidationError(
                {
                    "barcode": _(
                        "Barcodes that start with %(prefix)s and digits are patron cards; "
                        "give the copy another barcode."
                    )
                    % {"prefix": patron_prefix()}
                }
            )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    return value


def item_create(*, record: Record, school: Any, by: Any, **fields: Any) -> Item:
    """A new copy of `record` at `school`. ValidationError when the barcode is taken."""
    _check_fields(fields)
    _clean_barcode(fields)
    if "barcode" not in fields:
        raise ValidationError({"barcode": _("A copy needs a barcode.")})
    if error := _barcode_taken(fields["barcode"]):
        raise error
    if fields.get("status", ItemStatus.AVAILABLE) in _CIRCULATION_STATUSES:
        _check_status_change(ItemStatus.AVAILABLE, fields["status"])
    try:
        with transaction.atomic():
            item = Item.objects.create(record=record, school=school, **fields)
            audit_log(
                actor=by, action="catalog.item_create", obj=item, school=school,
                record=record.pk, barcode=item.barcode,
            )  # fmt: skip
    except IntegrityError:
        # Another desk saved the same barcode between our check and our insert.
        raise _barcode_taken(fields["barcode"]) or ValidationError(
            {"barcode": _("This barcode is already in use.")}
        ) from None
    return item


# Statuses that circulation sets and clears itself (loans, the hold shelf):
# editing a copy may neither set them nor leave them, or a loan or a hold
# would be stranded. Lost/damaged/claimed returned with a loan out go
# through circulation's item_mark, which closes the loan properly.
_CIRCULATION_STATUSES = {ItemStatus.CHECKED_OUT, ItemStatus.ON_HOLD_SHELF, ItemStatus.IN_TRANSIT}


def _check_status_change(old: str, new: str) -> None:
    if old in _CIRCULATION_STATUSES:
        raise ValidationError(
            {
                "status": _(
                    "This copy is %(status)s: check it in at the desk before changing its status."
                )
                % {"status": ItemStatus(old).label}
            }
        )
    if new in _CIRCULATION_STATUSES:
        raise ValidationError(
            {
                "status": _(
                    "%(status)s is set by circulation (check-out, holds), not by editing the copy."
                )
                % {"status": ItemStatus(new).label}
            }
        )


def item_update(*, item: Item, by: Any, **fields: Any) -> Item:
    """Change `fields` of `item`; the audit entry lists each change as [old, new]."""
    _check_fields(fields)
    _clean_barcode(fields)
    before = {name: getattr(item, name) for name in fields}
    changes = {
        name: [_jsonable(before[name]), _jsonable(value)]
        for name, value in fields.items()
        if before[name] != value
    }
    if not changes:
        return item
    if "barcode" in changes and (error := _barcode_taken(fields["barcode"], exclude_pk=item.pk)):
        raise error
    if "status" in changes:
        _check_status_change(before["status"], fields["status"])
    try:
        with transaction.atomic():
            for name in changes:
                setattr(item, name, fields[name])
            item.save(update_fields=[*changes, "updated_at"])
            audit_log(
                actor=by, action="catalog.item_update", obj=item, school=item.school,
                changes=changes,
            )  # fmt: skip
    except IntegrityError:
        for name in changes:
            setattr(item, name, before[name])
        raise _barcode_taken(fields["barcode"], exclude_pk=item.pk) or ValidationError(
            {"barcode": _("This barcode is already in use.")}
        ) from None
    return item
