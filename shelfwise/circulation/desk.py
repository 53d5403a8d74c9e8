"""The desk's one scan box: tell a patron card from a copy and do the obvious thing.

A patron card selects the reader. A copy that is out is checked in (so
check-in is scanning alone); a copy on the shelf is checked out to the
selected reader. Every outcome carries a short message for the screen
reader's live region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import ItemStatus
from shelfwise.circulation.lookups import item_by_barcode, person_by_card
from shelfwise.circulation.models import Loan
from shelfwise.circulation.services import CirculationError, loan_checkin, loan_checkout
from shelfwise.people.barcodes import looks_like_patron
from shelfwise.people.models import Person

MAX_CODE = 64


@dataclass
class DeskOutcome:
    kind: str  # patron | checkout | checkin | error
    message: str
    patron: Person | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.kind == "error"


def desk_scan(*, code: str, school, patron: Person | None, by) -> DeskOutcome:
    code = "".join(ch for ch in (code or "") if ch.isprintable()).strip()[:MAX_CODE]
    if not code:
        return DeskOutcome("error", _("Nothing was scanned."), patron)
    # Card numbers carry the patron prefix and copies never do (the prefix
    # exists for that), so each scan asks the likelier table first; a code
    # found in neither is unknown, whatever it looks like.
    if looks_like_patron(code):
        person, in_school = person_by_card(code, school.pk)
        item = None if person is not None else item_by_barcode(code)
    else:
        item = item_by_barcode(code)
        person, in_school = (None, False) if item is not None else person_by_card(code, school.pk)
    if person is not None:
        return _reader_outcome(person, in_school, school=school, patron=patron, by=by)
    if item is None:
        return DeskOutcome("error", _("Unknown barcode %(code)s.") % {"code": code}, patron)
    if item.school_id != school.pk:
        message = _("This copy belongs to %(school)s.") % {"school": item.school.name}
        return DeskOutcome("error", message, patron)
    title = item.record.title[:80]
    try:
        if item.status == ItemStatus.CHECKED_OUT or patron is None:
            result = loan_checkin(item=item, by=by)
            if result.hold is not None:
                message = _("Checked in “%(title)s”. Put it on the hold shelf for %(name)s.") % {
                    "title": title,
                    "name": result.hold.patron.full_name,
                }
            elif result.loan is None:
                message = _("“%(title)s” was not checked out; it is on the shelf.") % {
                    "title": title
                }
            else:
                message = _("Checked in “%(title)s”.") % {"title": title}
            return DeskOutcome("checkin", message, patron, {"hold": result.hold})
        # The copy comes with its school: the loan's rules are read before its lock.
        loan = loan_checkout(item=item, patron=patron, by=by)
    except CirculationError as exc:
        return DeskOutcome("error", str(exc), patron)
    return DeskOutcome(
        "checkout",
        _("Checked out “%(title)s”, due %(due)s.")
        % {"title": title, "due": date_format(loan.due_on, "DATE_FORMAT")},
        patron,
        {"loan": loan},
    )


def current_loans(patron: Person):
    """What the desk shows of a reader: their open loans, soonest due first."""
    return (
        Loan.objects.filter(patron=patron, returned_at=None)
        .select_related("item__record")
        .only("due_on", "item__barcode", "item__record__title")
        .order_by("due_on")
    )


def _reader_outcome(
    person: Person, in_school: bool, *, school, patron: Person | None, by
) -> DeskOutcome:
    if not person.is_active:
        return DeskOutcome("error", _("This card belongs to an inactive account."), patron)
    if not in_school:
        return DeskOutcome("error", _("This card is not from this school."), patron)
    audit_log(actor=by, action="people.view_patron_at_desk", obj=person, school=school)
    # The panel lists these same loans: one query for the count and the list.
    loans = list(current_loans(person))
    return DeskOutcome(
        "patron",
        _("%(name)s: %(count)s items out.")
        % {"name": person.full_name or person.username, "count": len(loans)},
        person,
        {"loans": loans},
    )
