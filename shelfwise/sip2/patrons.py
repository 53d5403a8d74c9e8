"""Who is at the kiosk: a patron's card (and PIN), whether they may borrow, their counts.

Refusals are screen messages in the kiosk's language (the caller activates it).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shelfwise.circulation import lookups
from shelfwise.circulation.models import ANY_ITEM_TYPE
from shelfwise.circulation.policies import rules_for
from shelfwise.circulation.services import school_today
from shelfwise.people.models import Person
from shelfwise.sip2 import protocol as p
from shelfwise.sip2.models import PatronAuth
from shelfwise.sip2.services import patron_pin_check
from shelfwise.sip2.session import Session


@dataclass
class Patron:
    barcode: str
    person: Person | None = None
    pin_given: bool = False
    pin_ok: bool = False
    open_loans: int = 0
    overdue: int = 0
    max_loans: int = 0
    charges: int = 0
    refusal: str = ""  # why this reader may not borrow now, in the kiosk's language
    limit_only: bool = False  # refused only for having the most loans: may still renew

    @property
    def valid(self) -> bool:
        return self.person is not None

    def status(self) -> str:
        denied = bool(self.refusal)
        return p.patron_status(
            charge_denied=denied,
            renew_denied=denied and not self.limit_only,
            recall_denied=denied,
            hold_denied=denied and not self.limit_only,
            too_many_charged=self.valid and self.open_loans >= self.max_loans,
            excessive_fees=self.charges > 0,
        )


def patron_at_kiosk(session: Session, message: p.Message, *, counts: bool = True) -> Patron:
    """Who this is, whether they may borrow, and (with `counts`) their loan counts."""
    barcode = message.get("AA")
    patron = Patron(barcode=barcode)
    institution = message.get("AO")
    if institution and institution != session.school.code:
        patron.refusal = _("This kiosk belongs to another school.")
        return patron
    person, in_school = (
        lookups.person_by_card(barcode, session.school.pk) if barcode else (None, False)
    )
    if person is None or not in_school:
        patron.refusal = _("This card is not known here. Please ask at the desk.")
        return patron
    patron.person = person
    if not person.is_active:
        patron.refusal = _("This card's account is inactive. Please ask at the desk.")
        return patron
    pin = message.get("AD")
    patron.pin_given = bool(pin)
    if pin:
        patron.pin_ok = _pin_ok(session, barcode, person, pin)
    needs_pin = session.settings.patron_auth == PatronAuth.BARCODE_PIN
    if needs_pin and not patron.pin_ok:
        patron.refusal = (
            _("That PIN is not right. Try again or ask at the desk.")
            if pin
            else _("Please enter your PIN.")
        )
        return patron
    if counts:
        today = school_today(session.school)
        patron.open_loans, patron.overdue = lookups.open_loan_counts(person.pk, today)
        patron.max_loans = rules_for(
            school=session.school, patron=person, item_type=ANY_ITEM_TYPE
        ).max_loans
        patron.charges = owes(person)
        if patron.charges:
            patron.refusal = _("Your account has a charge to settle. Please ask at the desk.")
        elif patron.open_loans >= patron.max_loans:
            patron.refusal = ngettext(
                "You have %(n)s item out, the most you may have. Return it to borrow another.",
                "You have %(n)s items out, the most you may have. Return one to borrow another.",
                patron.open_loans,
            ) % {"n": patron.open_loans}
            patron.limit_only = True
    return patron


def owes(person: Person) -> int:
    """Unresolved charges: the one block Shelfwise has (fine-free schools have none)."""
    return lookups.unresolved_charges(person.pk)


def _pin_ok(session: Session, barcode: str, person: Person, pin: str) -> bool:
    digest = session.pin_digest(barcode, pin)
    known = session.verified.get(barcode)
    if known is not None and hmac.compare_digest(known, digest):
        return True
    ok = patron_pin_check(person=person, pin=pin)
    if ok:
        session.verified[barcode] = digest
    else:
        session.bad_pins += 1
    return ok


def patron_fields(session: Session, patron: Patron, message: p.Message) -> list:
    fields: list[tuple[str, object]] = [
        ("AO", session.school.code),
        ("AA", patron.barcode),
        ("AE", patron.person.full_name if patron.valid else ""),
        ("BL", p.yn(patron.valid)),
    ]
    if message.has("AD"):
        fields.append(("CQ", p.yn(patron.pin_ok)))
    return fields


def screen_message(patron: Patron) -> str:
    if patron.refusal:
        return patron.refusal
    return ngettext(
        "Hello, %(name)s. You have %(n)s item out.",
        "Hello, %(name)s. You have %(n)s items out.",
        patron.open_loans,
    ) % {
        "name": patron.person.display_name or patron.person.first_name or patron.barcode,
        "n": patron.open_loans,
    }


def pin_needed(session: Session) -> bool:
    return session.settings.patron_auth == PatronAuth.BARCODE_PIN
