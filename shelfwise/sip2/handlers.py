"""What the SIP2 server answers: one function per message, on top of circulation's services.

Synchronous and database-bound: the server runs `dispatch` in a thread pool,
never on its event loop. Every transaction goes through
`shelfwise.circulation.services` (the desk's own functions: same policies,
holds, audit log, privacy); this module only reads what a kiosk may show and
translates outcomes into SIP2 fields.

Decision (privacy): a kiosk stands in a public place. Replies carry a reader's
own name, loans and holds only after their card (and PIN, where the school
asks for one) was presented, never an address, e-mail or phone (BD/BE/BF), and
a check-in never names the previous borrower (no AA) or the reader a hold is for.
"""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.circulation import lookups
from shelfwise.circulation.models import Hold, Loan
from shelfwise.circulation.services import (
    CirculationError,
    hold_cancel,
    hold_place,
    hold_position,
    loan_checkin,
    loan_checkout,
    loan_renew,
    school_today,
)
from shelfwise.sip2 import protocol as p
from shelfwise.sip2.models import Sip2Settings
from shelfwise.sip2.patrons import (
    owes,
    patron_at_kiosk,
    patron_fields,
    pin_needed,
    screen_message,
)
from shelfwise.sip2.services import kiosk_authenticate
from shelfwise.sip2.session import Refused, Reply, Session, due_sip, now_sip

log = logging.getLogger("shelfwise.sip2")

SUPPORTED = frozenset({"23", "11", "09", "99", "97", "93", "63", "35", "17", "15", "29"})
MAX_BAD_PINS = 5
MAX_BAD_LOGINS = 3
LIST_CAP = 50  # items listed in one 64, whatever BP/BQ ask
TIMEOUT_TENTHS = "300"  # what 98 tells the SC: 30 s
RETRIES = "003"

# ItemStatus → SIP2 circulation status (DOMAIN.md §7).
CIRCULATION_STATUS = {
    ItemStatus.AVAILABLE: "03",
    ItemStatus.CHECKED_OUT: "04",
    ItemStatus.ON_HOLD_SHELF: "08",
    ItemStatus.IN_TRANSIT: "10",
    ItemStatus.IN_PROCESSING: "06",
    ItemStatus.ON_ORDER: "02",
    ItemStatus.LOST: "12",
    ItemStatus.MISSING: "13",
    ItemStatus.CLAIMED_RETURNED: "11",
    ItemStatus.DAMAGED: "01",
    ItemStatus.WITHDRAWN: "01",
}
# Item type → media type (CK): books and picture books are books; else "other".
MEDIA_TYPE = {"book": "001", "picture_book": "001", "graphic_novel": "001", "reference": "001"}
SECURITY_MARKER = "00"  # "other": Shelfwise does not record the copy's security strip
FEE_TYPE = "01"  # "other": schools are fine-free


# --- dispatch ---------------------------------------------------------------------------


def dispatch(session: Session, message: p.Message) -> Reply:
    code = message.code
    if session.kiosk is None and code not in ("93", "99"):
        raise Refused(code)
    handler = _HANDLERS.get(code)
    if handler is None:
        # Parsed but not offered (BX says N): ask for a resend the SC will not make.
        return Reply("96", {}, [])
    language = p.LANGUAGES.get(message.fixed.get("language", ""), None)
    if language:
        session.language = language
    with translation.override(session.language):
        return handler(session, message)


# --- 93 / 99 -----------------------------------------------------------------------------


def login(session: Session, message: p.Message) -> Reply:
    if session.kiosk is not None:
        # One account a connection: its connection cap was counted at login.
        return Reply("94", {"ok": "0"}, [])
    kiosk = kiosk_authenticate(login_id=message.get("CN"), password=message.get("CO"))
    if kiosk is None:
        session.bad_logins += 1
        return Reply("94", {"ok": "0"}, [], close=session.bad_logins >= MAX_BAD_LOGINS)
    session.kiosk = kiosk
    session.language = kiosk.language
    session.settings = Sip2Settings.for_school(kiosk.school)
    return Reply("94", {"ok": "1"}, [])


def sc_status(session: Session, message: p.Message) -> Reply:
    school = session.school
    logged_in = school is not None
    fixed = {
        "online_status": "Y",
        "checkin_ok": p.yn(logged_in),
        "checkout_ok": p.yn(logged_in),
        "acs_renewal_policy": "Y",
        "status_update_ok": "N",
        "offline_ok": "N",
        "timeout_period": TIMEOUT_TENTHS,
        "retries_allowed": RETRIES,
        "date_time_sync": now_sip(session),
        "protocol_version": "2.00",
    }
    fields: list[tuple[str, object]] = [("AO", school.code if school else "")]
    if school:
        fields += [("AM", school.name), ("AN", session.kiosk.location_code)]
    fields.append(("BX", p.supported_messages(set(SUPPORTED))))
    return Reply("98", fixed, fields)


# --- patrons ----------------------------------------------------------------------------


def patron_status(session: Session, message: p.Message) -> Reply:
    patron = patron_at_kiosk(session, message)
    fixed = {
        "patron_status": patron.status()
        if patron.valid
        else p.patron_status(
            charge_denied=True, renew_denied=True, recall_denied=True, hold_denied=True
        ),
        "language": message.fixed["language"],
        "transaction_date": now_sip(session),
    }
    fields = patron_fields(session, patron, message)
    fields.append(("AF", screen_message(patron)))
    return Reply("24", fixed, fields, close=session.bad_pins >= MAX_BAD_PINS)


def patron_information(session: Session, message: p.Message) -> Reply:
    patron = patron_at_kiosk(session, message)
    summary = message.fixed["summary"]
    lists: dict[str, list[str]] = {"AS": [], "AT": [], "AU": [], "CD": []}
    ready = waiting = 0
    if patron.valid and patron.person.is_active and (patron.pin_ok or not pin_needed(session)):
        today = school_today(session.school)
        loans = list(
            Loan.objects.filter(patron=patron.person, returned_at=None)
            .select_related("item")
            .order_by("due_on", "pk")
            .values_list("item__barcode", "due_on")
        )
        holds = list(
            Hold.objects.filter(
                patron=patron.person, status__in=(Hold.Status.WAITING, Hold.Status.READY)
            )
            .order_by("placed_at", "pk")
            .values_list("status", "item__barcode", "record__title")
        )
        ready = sum(1 for status, *_ in holds if status == Hold.Status.READY)
        waiting = len(holds) - ready
        lists["AU"] = [barcode for barcode, _ in loans]
        lists["AT"] = [barcode for barcode, due in loans if due < today]
        lists["AS"] = [barcode for status, barcode, _ in holds if status == Hold.Status.READY]
        lists["CD"] = [title[:60] for status, _, title in holds if status == Hold.Status.WAITING]
    fixed = {
        "patron_status": patron.status()
        if patron.valid
        else p.patron_status(
            charge_denied=True, renew_denied=True, recall_denied=True, hold_denied=True
        ),
        "language": message.fixed["language"],
        "transaction_date": now_sip(session),
        "hold_items_count": p.count4(ready),
        "overdue_items_count": p.count4(len(lists["AT"])),
        "charged_items_count": p.count4(len(lists["AU"])),
        "fine_items_count": p.count4(patron.charges),
        "recall_items_count": p.count4(0),
        "unavailable_holds_count": p.count4(waiting),
    }
    fields = patron_fields(session, patron, message)
    if patron.valid:
        fields.append(("CB", p.count4(patron.max_loans)))
    start, end = _range(message)
    # Summary positions: 0 hold items, 1 overdue, 2 charged, 3 fine, 4 recall, 5 unavailable.
    for position, tag in ((0, "AS"), (1, "AT"), (2, "AU"), (5, "CD")):
        if summary[position] == "Y":
            fields += [(tag, value) for value in lists[tag][start:end]]
    fields.append(("AF", screen_message(patron)))
    return Reply("64", fixed, fields, close=session.bad_pins >= MAX_BAD_PINS)


def _range(message: p.Message) -> tuple[int, int]:
    def number(tag: str, default: int) -> int:
        value = message.get(tag).strip()
        return int(value) if value.isdigit() else default

    start = max(1, number("BP", 1))
    end = max(start, number("BQ", start + LIST_CAP - 1))
    return start - 1, min(end, start - 1 + LIST_CAP)


def end_session(session: Session, message: p.Message) -> Reply:
    session.verified.pop(message.get("AA"), None)
    fixed = {"end_session": "Y", "transaction_date": now_sip(session)}
    fields = [
        ("AO", session.school.code),
        ("AA", message.get("AA")),
        ("AF", _("Goodbye. Enjoy your books!")),
    ]
    return Reply("36", fixed, fields)


# --- items ------------------------------------------------------------------------------


def _item(session: Session, message: p.Message) -> tuple[Item | None, str]:
    barcode = message.get("AB")
    item = lookups.item_by_barcode(barcode) if barcode else None
    if item is None:
        return None, _("This item is not known here. Please ask at the desk.")
    if item.school_id != session.school.pk:
        return None, _("This item belongs to another school. Please ask at the desk.")
    return item, ""


def _title(item: Item | None) -> str:
    return item.record.title[:120] if item is not None else ""


def checkout(session: Session, message: p.Message) -> Reply:
    # The loan limit is the service's to check (in its transaction, with the
    # same message as at the desk): here only who it is and whether they owe.
    patron = patron_at_kiosk(session, message, counts=False)
    if patron.valid and not patron.refusal and owes(patron.person):
        patron.refusal = _("Your account has a charge to settle. Please ask at the desk.")
    item, problem = _item(session, message)
    renewal = False
    loan = None
    if patron.refusal:
        problem = patron.refusal
    elif not problem:
        current = None
        if item.status == ItemStatus.CHECKED_OUT:
            current = (
                Loan.objects.filter(item=item, returned_at=None)
                .values_list("pk", "patron_id")
                .first()
            )
        try:
            if current is not None and current[1] == patron.person.pk:
                if message.fixed["sc_renewal_policy"] != "Y":
                    raise CirculationError(_("You already have this item."), "has_item")
                loan = loan_renew(loan=Loan(pk=current[0]), by=session.actor)
                renewal = True
            else:
                loan = loan_checkout(item=item, patron=patron.person, by=session.actor)
        except CirculationError as exc:
            problem = str(exc)
    ok = loan is not None
    fixed = {
        "ok": "1" if ok else "0",
        "renewal_ok": p.yn(renewal),
        "magnetic_media": "U" if not ok else "N",
        "desensitize": "Y" if ok else "N",
        "transaction_date": now_sip(session),
    }
    fields = [
        ("AO", session.school.code),
        ("AA", patron.barcode),
        ("AB", message.get("AB")),
        ("AJ", _title(item) if ok else ""),
        ("AH", due_sip(session, loan.due_on) if ok else ""),
    ]
    if item is not None:
        fields.append(("CK", MEDIA_TYPE.get(item.item_type, "000")))
    if ok:
        message_text = _("Due %(date)s.") % {"date": loan.due_on.isoformat()}
        fields.append(("AF", message_text))
    else:
        fields.append(("AF", problem))
    return Reply("12", fixed, fields, close=session.bad_pins >= MAX_BAD_PINS)


def checkin(session: Session, message: p.Message) -> Reply:
    item, problem = _item(session, message)
    result = None
    if institution_mismatch(session, message):
        problem = _("This kiosk belongs to another school.")
    elif item is not None:
        try:
            result = loan_checkin(item=item, by=session.actor)
        except CirculationError as exc:
            problem = str(exc)
    hold = result.hold if result else None
    was_out = result is not None and result.loan is not None
    fixed = {
        "ok": "1" if was_out else "0",
        "resensitize": "Y" if result is not None and hold is None else "N",
        "magnetic_media": "U",
        "alert": p.yn(hold is not None),
        "transaction_date": now_sip(session),
    }
    fields: list[tuple[str, object]] = [("AO", session.school.code), ("AB", message.get("AB"))]
    if item is not None:
        fields += [
            ("AQ", item.location),
            ("AJ", _title(item)),
            ("CK", MEDIA_TYPE.get(item.item_type, "000")),
        ]
    if hold is not None:
        # Alert type 01: wanted by a hold here. Route it to the hold shelf.
        fields += [
            ("CL", "HOLD"),
            ("CV", "01"),
            ("CT", _("Hold shelf")),
            (
                "AF",
                _("Thank you! Please give this item to the librarian: someone is waiting for it."),
            ),
        ]
    elif result is not None and not was_out:
        fields.append(("AF", _("This item was not checked out; it goes back on the shelf.")))
    elif result is not None:
        fields.append(("AF", _("Thank you! It is checked in.")))
    else:
        fields.append(("AF", problem))
    return Reply("10", fixed, fields)


def institution_mismatch(session: Session, message: p.Message) -> bool:
    institution = message.get("AO")
    return bool(institution) and institution != session.school.code


def renew(session: Session, message: p.Message) -> Reply:
    patron = patron_at_kiosk(session, message, counts=False)
    item, problem = _item(session, message)
    loan = None
    if patron.refusal:
        problem = patron.refusal
    elif not problem:
        found = Loan.objects.filter(item=item, patron=patron.person, returned_at=None).first()
        if found is None:
            problem = _("You do not have this item checked out.")
        else:
            try:
                loan = loan_renew(loan=found, by=session.actor)
            except CirculationError as exc:
                problem = str(exc)
    ok = loan is not None
    fixed = {
        "ok": "1" if ok else "0",
        "renewal_ok": p.yn(ok),
        "magnetic_media": "U",
        "desensitize": "U" if not ok else "N",
        "transaction_date": now_sip(session),
    }
    fields = [
        ("AO", session.school.code),
        ("AA", patron.barcode),
        ("AB", message.get("AB")),
        ("AJ", _title(item)),
        ("AH", due_sip(session, loan.due_on) if ok else ""),
        ("AF", _("Renewed: due %(date)s.") % {"date": loan.due_on.isoformat()} if ok else problem),
    ]
    return Reply("30", fixed, fields, close=session.bad_pins >= MAX_BAD_PINS)


def item_information(session: Session, message: p.Message) -> Reply:
    item, problem = _item(session, message)
    if institution_mismatch(session, message):
        item, problem = None, _("This kiosk belongs to another school.")
    fixed = {
        "circulation_status": CIRCULATION_STATUS.get(item.status, "01") if item else "01",
        "security_marker": SECURITY_MARKER,
        "fee_type": FEE_TYPE,
        "transaction_date": now_sip(session),
    }
    fields: list[tuple[str, object]] = []
    if item is None:
        fields += [("AB", message.get("AB")), ("AJ", ""), ("AF", problem)]
        return Reply("18", fixed, fields)
    queue = lookups.waiting_holds(item.record_id, item.school_id)
    fields.append(("CF", f"{queue:05d}"[-5:]))
    if item.status == ItemStatus.CHECKED_OUT:
        due = lookups.open_loan_due(item.pk)
        if due:
            fields.append(("AH", due_sip(session, due)))
    if item.status == ItemStatus.ON_HOLD_SHELF:
        expires = lookups.ready_hold_expiry(item.pk)
        if expires:
            fields.append(("CM", due_sip(session, expires)))
    fields += [
        ("AB", item.barcode),
        ("AJ", _title(item)),
        ("BG", item.school.code),
        ("CK", MEDIA_TYPE.get(item.item_type, "000")),
        ("AQ", item.location),
        ("AP", item.location),
        ("AF", item.get_status_display()),
    ]
    return Reply("18", fixed, fields)


def hold(session: Session, message: p.Message) -> Reply:
    patron = patron_at_kiosk(session, message, counts=False)
    item, problem = _item(session, message)
    mode = message.fixed["hold_mode"]
    found = None
    if patron.refusal:
        problem = patron.refusal
    elif not problem:
        try:
            if mode == "+":
                found = hold_place(
                    record=item.record,
                    patron=patron.person,
                    school=session.school,
                    by=session.actor,
                )
            elif mode == "-":
                active = Hold.objects.filter(
                    patron=patron.person,
                    record=item.record,
                    status__in=(Hold.Status.WAITING, Hold.Status.READY),
                ).first()
                if active is None:
                    problem = _("You have no hold on this title.")
                else:
                    found = hold_cancel(hold=active, by=session.actor)
            else:
                problem = _("Holds cannot be changed here; cancel it and place a new one.")
        except CirculationError as exc:
            problem = str(exc)
    ok = found is not None
    ready = ok and found.status == Hold.Status.READY
    fixed = {
        "ok": "1" if ok else "0",
        "available": p.yn(ready),
        "transaction_date": now_sip(session),
    }
    fields: list[tuple[str, object]] = []
    if ok and found.status == Hold.Status.WAITING:
        fields.append(("BR", str(hold_position(found))))
    if ok and ready and found.expires_on:
        fields.append(("BW", due_sip(session, found.expires_on)))
    fields += [
        ("BS", session.school.code),
        ("AO", session.school.code),
        ("AA", patron.barcode),
        ("AB", message.get("AB")),
        ("AJ", _title(item)),
    ]
    if not ok:
        fields.append(("AF", problem))
    elif mode == "-":
        fields.append(("AF", _("Your hold is cancelled.")))
    elif ready:
        fields.append(("AF", _("A copy is waiting for you at the desk.")))
    else:
        fields.append(("AF", _("Your hold is placed.")))
    return Reply("16", fixed, fields)


_HANDLERS = {
    "93": login,
    "99": sc_status,
    "23": patron_status,
    "63": patron_information,
    "11": checkout,
    "09": checkin,
    "29": renew,
    "17": item_information,
    "35": end_session,
    "15": hold,
}
