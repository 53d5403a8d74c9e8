"""The SIP2 server over real sockets on 127.0.0.1: every message, its refusals, its limits."""

from __future__ import annotations

import logging
import time

import pytest
from django.utils import timezone, translation

from shelfwise.audit.models import AuditEntry
from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.circulation.models import Hold, Loan, LoanPolicy
from shelfwise.circulation.services import hold_place, loan_checkout
from shelfwise.sip2 import protocol as p
from shelfwise.sip2.handlers import SUPPORTED
from shelfwise.sip2.services import patron_pin_set, sip2_settings_set
from tests.sip2.conftest import BLANK, DATE, KIOSK_PASSWORD, Client

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def status(c: Client, barcode: str = "P0001", pin: str | None = None, language: str = "001"):
    fields = [("AO", "LMS"), ("AA", barcode), ("AC", "")]
    if pin is not None:
        fields.append(("AD", pin))
    return c.send("23", {"language": language, "transaction_date": DATE}, fields)


def checkout(c: Client, item: str, barcode: str = "P0001", pin: str | None = None, renew="N"):
    fields = [("AO", "LMS"), ("AA", barcode), ("AB", item), ("AC", "")]
    if pin is not None:
        fields.append(("AD", pin))
    fixed = {
        "sc_renewal_policy": renew,
        "no_block": "N",
        "transaction_date": DATE,
        "nb_due_date": BLANK,
    }
    return c.send("11", fixed, fields)


def checkin(c: Client, item: str):
    fixed = {"no_block": "N", "transaction_date": DATE, "return_date": BLANK}
    return c.send("09", fixed, [("AP", "LIBRARY-FRONT"), ("AO", "LMS"), ("AB", item), ("AC", "")])


def item_info(c: Client, item: str):
    return c.send("17", {"transaction_date": DATE}, [("AO", "LMS"), ("AB", item)])


# --- login and status -----------------------------------------------------------------------


def test_only_login_and_sc_status_are_answered_before_login(sip2_server, kiosk, personas, shelf):
    c = Client(sip2_server.port)
    reply = c.send("99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"})
    assert reply.code == "98" and reply.get("AO") == "" and reply.fixed["checkout_ok"] == "N"
    c.sock.sendall(
        p.build(
            "11",
            {
                "sc_renewal_policy": "N",
                "no_block": "N",
                "transaction_date": DATE,
                "nb_due_date": BLANK,
            },
            [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0001")],
        )
    )
    assert c.closed()
    assert not Loan.objects.exists()


def test_a_wrong_password_is_refused_and_the_third_hangs_up(sip2_server, kiosk):
    c = Client(sip2_server.port)
    assert c.login(password="wrong").fixed["ok"] == "0"
    assert c.login(login="nobody").fixed["ok"] == "0"
    assert c.login(password="wrong again").fixed["ok"] == "0"
    assert c.closed()


def test_a_connection_logs_in_once(kiosk_conn):
    assert kiosk_conn.login().fixed["ok"] == "0"
    assert (
        kiosk_conn.send(
            "99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"}
        ).get("AO")
        == "LMS"
    )


def test_an_inactive_kiosk_cannot_log_in(sip2_server, kiosk):
    kiosk.active = False
    kiosk.save()
    assert Client(sip2_server.port).login().fixed["ok"] == "0"


def test_sc_status_is_truthful(kiosk_conn, personas):
    reply = kiosk_conn.send(
        "99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"}
    )
    assert reply.fixed["online_status"] == "Y" and reply.fixed["protocol_version"] == "2.00"
    assert reply.get("AO") == "LMS" and reply.get("AM") == "Lincoln Middle School"
    assert reply.get("AN") == "LIBRARY-FRONT"
    bx = reply.get("BX")
    assert {code for code, flag in zip(p.SUPPORTED_ORDER, bx, strict=True) if flag == "Y"} == (
        SUPPORTED & set(p.SUPPORTED_ORDER)
    )
    # Every message BX offers is answered (not a 96); one it refuses is not.
    assert bx[p.SUPPORTED_ORDER.index("37")] == "N"
    fee = kiosk_conn.send(
        "37",
        {"transaction_date": DATE, "fee_type": "01", "payment_type": "00", "currency_type": "USD"},
        [("BV", "1.00"), ("AO", "LMS"), ("AA", "P0001")],
    )
    assert fee.code == "96"


def test_dates_are_in_the_school_time_zone(kiosk_conn, personas):
    personas.school.timezone = "Asia/Riyadh"
    personas.school.save()
    c = Client(kiosk_conn.sock.getpeername()[1])
    c.login()
    reply = c.send("99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"})
    sent = p.parse_sip_date(reply.fixed["date_time_sync"], "Asia/Riyadh")
    assert abs((sent - timezone.now()).total_seconds()) < 5
    assert reply.fixed["date_time_sync"] == p.sip_date(sent, "Asia/Riyadh")


def test_patron_status_known_unknown_inactive(kiosk_conn, personas):
    ok = status(kiosk_conn)
    assert ok.code == "24" and ok.fixed["patron_status"] == " " * 14
    assert ok.get("BL") == "Y" and ok.get("AE") == "Sami Haddad" and ok.get("AA") == "P0001"
    assert "Sami" in ok.get("AF")
    unknown = status(kiosk_conn, "P9999")
    assert unknown.get("BL") == "N" and unknown.get("AE") == ""
    assert unknown.fixed["patron_status"][0] == "Y"
    personas.student.is_active = False
    personas.student.save()
    inactive = status(kiosk_conn)
    assert inactive.fixed["patron_status"][0] == "Y" and "inactive" in inactive.get("AF")


def test_a_card_from_another_school_is_not_known_here(kiosk_conn, personas):
    personas.outsider.patron_barcode = "P0777"
    personas.outsider.save()
    assert status(kiosk_conn, "P0777").get("BL") == "N"


def test_screen_messages_follow_the_kiosk_language_field(kiosk_conn, personas):
    spanish = status(kiosk_conn, "P9999", language="008").get("AF")
    arabic = status(kiosk_conn, "P9999", language="016").get("AF")
    with translation.override("es"):
        expected_es = translation.gettext("This card is not known here. Please ask at the desk.")
    with translation.override("ar"):
        expected_ar = translation.gettext("This card is not known here. Please ask at the desk.")
    assert (spanish, arabic) == (expected_es, expected_ar)
    assert spanish != status(kiosk_conn, "P9999", language="001").get("AF")


# --- PINs -----------------------------------------------------------------------------------


def test_barcode_and_pin_policy(kiosk_conn, personas, shelf):
    sip2_settings_set(school=personas.school, patron_auth="barcode_pin", by=personas.librarian)
    patron_pin_set(person=personas.student, pin="2468", by=personas.student)
    c = Client(kiosk_conn.sock.getpeername()[1])
    c.login()
    no_pin = status(c)
    assert no_pin.fixed["patron_status"][0] == "Y" and not no_pin.has("CQ")
    wrong = status(c, pin="1111")
    assert wrong.get("CQ") == "N" and wrong.fixed["patron_status"][0] == "Y"
    assert checkout(c, "T0001", pin="1111").fixed["ok"] == "0"
    right = status(c, pin="2468")
    assert right.get("CQ") == "Y" and right.fixed["patron_status"] == " " * 14
    assert checkout(c, "T0001", pin="2468").fixed["ok"] == "1"
    assert Loan.objects.filter(item__barcode="T0001", returned_at=None).count() == 1


def test_too_many_wrong_pins_hang_up(kiosk_conn, personas):
    sip2_settings_set(school=personas.school, patron_auth="barcode_pin", by=personas.librarian)
    patron_pin_set(person=personas.student, pin="2468", by=personas.student)
    c = Client(kiosk_conn.sock.getpeername()[1])
    c.login()
    for n in range(5):
        assert status(c, pin=f"000{n}").get("CQ") == "N"
    assert c.closed()


# --- transactions ---------------------------------------------------------------------------


def test_checkout_goes_through_circulation(kiosk_conn, personas, shelf, kiosk):
    reply = checkout(kiosk_conn, "T0001")
    assert reply.code == "12" and reply.fixed["ok"] == "1" and reply.fixed["desensitize"] == "Y"
    assert reply.get("AJ") == "Los volcanes" and reply.get("AB") == "T0001"
    loan = Loan.objects.get(item__barcode="T0001", returned_at=None)
    assert loan.patron == personas.student
    assert reply.get("AH") == loan.due_on.strftime("%Y%m%d") + "    235959"  # school time
    entry = AuditEntry.objects.get(action="circulation.checkout")
    assert entry.actor == kiosk.actor and entry.actor.kiosk_account == kiosk
    again = checkout(kiosk_conn, "T0001", barcode="P0001")
    assert again.fixed["ok"] == "0" and again.get("AH") == ""


def test_checkout_refusals(kiosk_conn, personas, shelf):
    assert checkout(kiosk_conn, "NOPE").fixed["ok"] == "0"
    elsewhere = checkout(kiosk_conn, "X0001")
    assert elsewhere.fixed["ok"] == "0" and "another school" in elsewhere.get("AF")
    assert checkout(kiosk_conn, "T0001", barcode="P9999").fixed["ok"] == "0"
    LoanPolicy.objects.create(
        school=personas.school, patron_category="student", item_type="*", max_loans=1
    )
    assert checkout(kiosk_conn, "T0001").fixed["ok"] == "1"
    over = checkout(kiosk_conn, "T0003")
    assert over.fixed["ok"] == "0" and "(the limit)" in over.get("AF")  # the desk's words
    limited = status(kiosk_conn)
    assert limited.fixed["patron_status"][0] == "Y" and limited.fixed["patron_status"][5] == "Y"
    assert Loan.objects.filter(returned_at=None).count() == 1


def test_the_same_item_again_renews_only_when_the_kiosk_asks(kiosk_conn, personas, shelf):
    assert checkout(kiosk_conn, "T0001").fixed["ok"] == "1"
    assert checkout(kiosk_conn, "T0001").fixed["ok"] == "0"
    again = checkout(kiosk_conn, "T0001", renew="Y")
    assert again.fixed["ok"] == "1" and again.fixed["renewal_ok"] == "Y"
    assert Loan.objects.get(item__barcode="T0001", returned_at=None).renewals == 1


def test_checkin_and_item_information(kiosk_conn, personas, shelf):
    assert item_info(kiosk_conn, "T0001").fixed["circulation_status"] == "03"
    checkout(kiosk_conn, "T0001")
    out = item_info(kiosk_conn, "T0001")
    assert out.fixed["circulation_status"] == "04" and out.get("AH")
    assert out.get("AJ") == "Los volcanes" and out.get("BG") == "LMS"
    assert not out.has("AA")  # who has it is not the kiosk's business
    back = checkin(kiosk_conn, "T0001")
    assert back.code == "10" and back.fixed["ok"] == "1" and back.fixed["alert"] == "N"
    assert not back.has("AA")
    assert Item.objects.get(barcode="T0001").status == ItemStatus.AVAILABLE
    assert checkin(kiosk_conn, "T0001").fixed["ok"] == "0"  # not out any more
    unknown = item_info(kiosk_conn, "NOPE")
    assert unknown.fixed["circulation_status"] == "01" and unknown.get("AF")


def test_checkin_routes_a_wanted_item_to_the_hold_shelf(kiosk_conn, personas, shelf):
    records, items = shelf
    loan_checkout(item=items[2], patron=personas.aide, by=personas.librarian)
    hold_place(
        record=records[1], patron=personas.student, school=personas.school, by=personas.student
    )
    back = checkin(kiosk_conn, "T0003")
    assert back.fixed["alert"] == "Y" and back.fixed["resensitize"] == "N"
    assert back.get("CV") == "01" and back.get("CL") == "HOLD"
    assert all("Sami" not in value for _, value in back.fields)
    shelf_status = item_info(kiosk_conn, "T0003")
    assert shelf_status.fixed["circulation_status"] == "08" and shelf_status.get("CM")
    # The reader the hold is for checks it out at the kiosk: the hold is fulfilled.
    assert checkout(kiosk_conn, "T0003").fixed["ok"] == "1"
    assert Hold.objects.get(record=records[1]).status == Hold.Status.FULFILLED


def test_renew(kiosk_conn, personas, shelf):
    checkout(kiosk_conn, "T0001")
    fixed = {
        "third_party_allowed": "N",
        "no_block": "N",
        "transaction_date": DATE,
        "nb_due_date": BLANK,
    }
    reply = kiosk_conn.send("29", fixed, [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0001")])
    assert reply.code == "30" and reply.fixed["ok"] == "1" and reply.get("AH")
    not_mine = kiosk_conn.send("29", fixed, [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0002")])
    assert not_mine.fixed["ok"] == "0"
    LoanPolicy.objects.create(
        school=personas.school, patron_category="student", item_type="*", renewals=1
    )
    no_more = kiosk_conn.send("29", fixed, [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0001")])
    assert no_more.fixed["ok"] == "0" and no_more.get("AF")


def test_patron_information_summary(kiosk_conn, personas, shelf):
    records, _ = shelf
    checkout(kiosk_conn, "T0001")
    checkout(kiosk_conn, "T0003")
    hold_place(record=records[2], patron=personas.aide, school=personas.school, by=personas.aide)
    loan_checkout(
        item=Item.objects.get(barcode="T0004"), patron=personas.aide, by=personas.librarian
    )
    hold_place(
        record=records[2], patron=personas.student, school=personas.school, by=personas.student
    )
    Loan.objects.filter(item__barcode="T0003").update(
        due_on=timezone.localdate() - timezone.timedelta(days=3)
    )
    fixed = {"language": "001", "transaction_date": DATE, "summary": "  Y       "}
    info = kiosk_conn.send("63", fixed, [("AO", "LMS"), ("AA", "P0001"), ("AC", "")])
    assert info.code == "64"
    assert info.fixed["charged_items_count"] == "0002"
    assert info.fixed["overdue_items_count"] == "0001"
    assert info.fixed["unavailable_holds_count"] == "0001"
    assert info.fixed["hold_items_count"] == "0000"
    assert sorted(info.getall("AU")) == ["T0001", "T0003"]
    assert not info.getall("AT")  # only the list the summary asked for
    overdue = kiosk_conn.send(
        "63", {**fixed, "summary": " Y        "}, [("AO", "LMS"), ("AA", "P0001")]
    )
    assert overdue.getall("AT") == ["T0003"]
    paged = kiosk_conn.send("63", fixed, [("AO", "LMS"), ("AA", "P0001"), ("BP", "2"), ("BQ", "2")])
    assert len(paged.getall("AU")) == 1
    assert not any(tag in ("BD", "BE", "BF") for tag, _ in info.fields)


def test_holds_place_and_cancel(kiosk_conn, personas, shelf):
    _, items = shelf
    loan_checkout(item=items[2], patron=personas.aide, by=personas.librarian)
    fields = [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0003")]
    placed = kiosk_conn.send("15", {"hold_mode": "+", "transaction_date": DATE}, fields)
    assert placed.code == "16" and placed.fixed["ok"] == "1" and placed.get("BR") == "1"
    assert placed.fixed["available"] == "N"
    hold = Hold.objects.get(patron=personas.student)
    twice = kiosk_conn.send("15", {"hold_mode": "+", "transaction_date": DATE}, fields)
    assert twice.fixed["ok"] == "0"
    cancel = kiosk_conn.send("15", {"hold_mode": "-", "transaction_date": DATE}, fields)
    assert cancel.fixed["ok"] == "1"
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED


def test_end_session(kiosk_conn):
    reply = kiosk_conn.send("35", {"transaction_date": DATE}, [("AO", "LMS"), ("AA", "P0001")])
    assert reply.code == "36" and reply.fixed["end_session"] == "Y" and reply.get("AA") == "P0001"


def test_another_institution_is_refused(kiosk_conn, personas, shelf):
    fields = [("AO", "OAK"), ("AA", "P0001"), ("AB", "T0001")]
    fixed = {
        "sc_renewal_policy": "N",
        "no_block": "N",
        "transaction_date": DATE,
        "nb_due_date": BLANK,
    }
    assert kiosk_conn.send("11", fixed, fields).fixed["ok"] == "0"
    assert not Loan.objects.exists()


# --- error detection, framing, limits ---------------------------------------------------------


def test_a_bad_checksum_gets_96_and_nothing_happens(kiosk_conn, personas, shelf):
    good = p.build(
        "11",
        {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": DATE, "nb_due_date": BLANK},
        [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0001")],
        sequence=4,
        error_detection=True,
    )
    bad = good[:-5] + (b"0000" if good[-5:-1] != b"0000" else b"0001") + b"\r"
    assert kiosk_conn.raw(bad) == b"96AZFEF6\r"
    assert not Loan.objects.exists()
    # The SC resends, correctly this time: the reply carries its sequence number.
    reply = p.parse(kiosk_conn.raw(good))
    assert reply.fixed["ok"] == "1" and reply.sequence == 4
    assert Loan.objects.count() == 1


def test_97_resends_the_last_reply_without_doing_it_again(kiosk_conn, personas, shelf):
    first = kiosk_conn.raw(
        p.build(
            "11",
            {
                "sc_renewal_policy": "N",
                "no_block": "N",
                "transaction_date": DATE,
                "nb_due_date": BLANK,
            },
            [("AO", "LMS"), ("AA", "P0001"), ("AB", "T0001")],
        )
    )
    assert kiosk_conn.raw(b"97\r") == first
    assert kiosk_conn.raw(b"97AZFEF5\r") == first
    assert Loan.objects.count() == 1


def test_cr_crlf_and_lf_terminators(kiosk_conn):
    plain = p.build(
        "99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"}
    )
    assert kiosk_conn.raw(plain).startswith(b"98")
    assert kiosk_conn.raw(plain[:-1] + b"\r\n").startswith(b"98")
    assert kiosk_conn.raw(plain[:-1] + b"\n").startswith(b"98")
    # Two messages in one packet: two replies, in order.
    kiosk_conn.sock.sendall(plain + plain)
    assert kiosk_conn.read().startswith(b"98") and kiosk_conn.read().startswith(b"98")


def test_garbage_gets_96_and_repeated_garbage_hangs_up(kiosk_conn):
    assert kiosk_conn.raw(b"hello\r") == b"96\r"
    assert kiosk_conn.raw(b"\x00\xff\xfe\r") == b"96\r"
    assert kiosk_conn.raw(b"23001\r") == b"96\r"
    assert kiosk_conn.raw(b"ZZ\r") == b"96\r"
    kiosk_conn.sock.sendall(b"xx\r")
    assert kiosk_conn.read() == b"96\r"
    assert kiosk_conn.closed()


def test_an_oversized_line_is_cut_off_and_others_are_served(sip2_server, kiosk_conn):
    other = Client(sip2_server.port)
    assert other.login().fixed["ok"] == "1"
    kiosk_conn.sock.sendall(b"23" + b"9" * (1024 * 1024))
    assert kiosk_conn.read() == b"96\r"
    assert kiosk_conn.closed()
    assert (
        other.send(
            "99", {"status_code": "0", "max_print_width": "040", "protocol_version": "2.00"}
        ).code
        == "98"
    )


def test_a_silent_client_is_hung_up_on(sip2_server, kiosk):
    c = Client(sip2_server.port)
    started = time.monotonic()
    assert c.closed()
    assert 2.5 < time.monotonic() - started < 15  # the fixture's idle timeout: 3 s


def test_connections_per_kiosk_are_capped(sip2_server, kiosk):
    first, second, third = (Client(sip2_server.port) for _ in range(3))
    assert first.login().fixed["ok"] == "1"
    assert second.login().fixed["ok"] == "1"
    assert third.login().fixed["ok"] == "0"  # max_connections = 2
    assert third.closed()
    first.close()
    time.sleep(0.3)
    fourth = Client(sip2_server.port)
    assert fourth.login().fixed["ok"] == "1"


def test_logs_have_codes_and_kiosk_ids_never_secrets(sip2_server, kiosk, personas, caplog):
    sip2_settings_set(school=personas.school, patron_auth="barcode_pin", by=personas.librarian)
    patron_pin_set(person=personas.student, pin="97531", by=personas.student)
    caplog.set_level(logging.DEBUG, logger="shelfwise.sip2")
    c = Client(sip2_server.port)
    c.login()
    status(c, pin="97531")
    c.raw(b"23001BADDATE AOLMS|AAP0001|ACterminal-secret|AD97531|\r")
    c.raw(b"9300CNkiosk-front|CO" + KIOSK_PASSWORD.encode() + b"|AY1AZ0000\r")
    text = caplog.text
    assert f"kiosk={kiosk.pk} 23->24" in text and "ms" in text
    assert "unreadable message" in text
    for secret in ("97531", KIOSK_PASSWORD, "terminal-secret"):
        assert secret not in text
