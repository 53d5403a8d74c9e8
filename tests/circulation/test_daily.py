"""The daily circulation run: notices once, in the reader's language, on the school's calendar;
hold shelves expire; returned loans lose their patron after the school's retention."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from shelfwise.catalog.models import ItemStatus
from shelfwise.circulation.daily import circulation_daily, notices_due_soon, notices_overdue
from shelfwise.circulation.models import CirculationSettings, Hold, Loan, Notice
from shelfwise.circulation.services import hold_place, loan_checkin, loan_checkout, loan_renew
from shelfwise.schools.models import ClosedDay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

NY = ZoneInfo("America/New_York")


def at(y: int, m: int, d: int, h: int = 8, tz: ZoneInfo = NY) -> datetime:
    return datetime(y, m, d, h, tzinfo=tz)


@pytest.fixture
def reader(personas):
    student = personas.student
    student.email = "sami@example.org"
    student.save(update_fields=["email"])
    return student


def checkout(item, patron, by, *, on: datetime) -> Loan:
    return loan_checkout(item=item, patron=patron, by=by, now=on)


def test_run_twice_sends_each_notice_once(personas, shelf, reader):
    _, items = shelf
    # Mon 2 Mar 2026 + 14 days: due Mon 16 Mar. Mon 16 Feb: due Mon 2 Mar.
    due_soon = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    overdue = checkout(items[2], reader, personas.librarian, on=at(2026, 2, 16, 10))
    assert (due_soon.due_on, overdue.due_on) == (date(2026, 3, 16), date(2026, 3, 2))

    thursday = at(2026, 3, 12)
    first = circulation_daily(now=thursday)
    assert first["due_soon_notices"] == 1 and first["overdue_notices"] == 1
    assert sorted(Notice.objects.values_list("key", flat=True)) == [
        f"due_soon:{due_soon.pk}:2026-03-16",
        f"overdue:{overdue.pk}:2026-03-02",
    ]
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"sami@example.org"}
    assert all(n.emailed_at for n in Notice.objects.all())

    again = circulation_daily(now=thursday + timedelta(hours=3))
    assert again == {
        "holds_expired": 0,
        "loans_anonymized": 0,
        "hold_ready_notices": 0,
        "due_soon_notices": 0,
        "overdue_notices": 0,
    }
    # The next day too: the overdue notice is once per loan and due date.
    circulation_daily(now=at(2026, 3, 13))
    assert Notice.objects.count() == 2 and len(mail.outbox) == 2


def test_due_soon_window_counts_open_days(personas, shelf, reader):
    _, items = shelf
    loan = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))  # due Mon 16
    # Two open days before Monday is Thursday, not Saturday.
    assert notices_due_soon(now=at(2026, 3, 11)) == 0
    assert notices_due_soon(now=at(2026, 3, 12)) == 1
    notice = Notice.objects.get()
    assert notice.kind == "due_soon" and notice.patron == reader
    assert "Los volcanes" in notice.subject and "March 16, 2026" in notice.body
    assert notices_due_soon(now=at(2026, 3, 14)) == 0  # Saturday: already told
    # A school that wants one day's notice.
    CirculationSettings.objects.create(school=personas.school, due_soon_days=1)
    Notice.objects.all().delete()
    assert notices_due_soon(now=at(2026, 3, 12)) == 0
    assert notices_due_soon(now=at(2026, 3, 13)) == 1
    assert Loan.objects.get(pk=loan.pk).due_on == date(2026, 3, 16)


def test_a_renewal_earns_a_new_due_soon_notice(personas, shelf, reader):
    _, items = shelf
    loan = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    circulation_daily(now=at(2026, 3, 12))
    loan = loan_renew(loan=loan, by=reader, now=at(2026, 3, 13, 10))
    assert loan.due_on == date(2026, 3, 27)
    assert circulation_daily(now=at(2026, 3, 13, 12))["due_soon_notices"] == 0
    assert circulation_daily(now=at(2026, 3, 25))["due_soon_notices"] == 1
    keys = sorted(Notice.objects.filter(kind="due_soon").values_list("key", flat=True))
    assert keys == [f"due_soon:{loan.pk}:2026-03-16", f"due_soon:{loan.pk}:2026-03-27"]
    assert len(mail.outbox) == 2


def test_today_is_the_schools_date_in_its_time_zone(personas, shelf, reader):
    _, items = shelf
    loan = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    Loan.objects.filter(pk=loan.pk).update(due_on=date(2026, 3, 13))  # a Friday
    # 03:30 UTC on Saturday is still Friday evening in New York: not overdue.
    instant = datetime(2026, 3, 14, 3, 30, tzinfo=ZoneInfo("UTC"))
    assert notices_overdue(now=instant) == 0
    # The same instant is Saturday noon in Tokyo: a school there is past the due day.
    personas.school.timezone = "Asia/Tokyo"
    personas.school.save(update_fields=["timezone"])
    assert notices_overdue(now=instant) == 1


def test_closed_days_move_the_real_due_day(personas, shelf, reader):
    _, items = shelf
    loan = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))  # due Mon 16
    # A snow day declared after the loan: the book is due the next open day.
    ClosedDay.objects.create(school=personas.school, date=date(2026, 3, 16), reason="Snow")
    assert notices_overdue(now=at(2026, 3, 16)) == 0
    assert notices_overdue(now=at(2026, 3, 17)) == 0
    assert notices_overdue(now=at(2026, 3, 18)) == 1
    notice = Notice.objects.get(kind="overdue")
    assert notice.key == f"overdue:{loan.pk}:2026-03-16"
    assert "March 17, 2026" in notice.body


def test_due_soon_across_a_closed_run_is_sent_before_it(personas, shelf, reader):
    _, items = shelf
    checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))  # due Mon 16
    ClosedDay.objects.create(school=personas.school, date=date(2026, 3, 13))  # Friday
    # Thursday is the last open day before Monday: the notice goes then.
    assert notices_due_soon(now=at(2026, 3, 12)) == 1


def test_notice_in_the_readers_language(personas, shelf, reader):
    _, items = shelf
    reader.preferred_language = "es"
    reader.save(update_fields=["preferred_language"])
    checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    circulation_daily(now=at(2026, 3, 12))
    notice = Notice.objects.get()
    assert notice.language == "es"
    assert "16 de marzo de 2026" in notice.body
    assert mail.outbox[0].body == notice.body


def test_arabic_reader_gets_arabic_dates(personas, shelf, reader):
    _, items = shelf
    reader.preferred_language = "ar"
    reader.save(update_fields=["preferred_language"])
    checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    circulation_daily(now=at(2026, 3, 12))
    notice = Notice.objects.get()
    assert notice.language == "ar" and "مارس" in notice.body


def test_unknown_interface_language_falls_back_to_english(personas, shelf, reader):
    _, items = shelf
    reader.preferred_language = "xx"
    reader.save(update_fields=["preferred_language"])
    checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    circulation_daily(now=at(2026, 3, 12))
    assert Notice.objects.get().language == "en"


def test_no_address_means_the_notice_waits_on_the_readers_page(personas, shelf):
    _, items = shelf
    checkout(items[0], personas.student, personas.librarian, on=at(2026, 3, 2, 10))
    assert circulation_daily(now=at(2026, 3, 12))["due_soon_notices"] == 1
    notice = Notice.objects.get()
    assert notice.patron == personas.student and notice.emailed_at is None
    assert mail.outbox == []


def test_deactivated_readers_get_no_notices(personas, shelf, reader):
    _, items = shelf
    checkout(items[0], reader, personas.librarian, on=at(2026, 2, 16, 10))
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    assert circulation_daily(now=at(2026, 3, 12))["overdue_notices"] == 0
    assert not Notice.objects.exists()


def test_returned_loans_get_no_notices(personas, shelf, reader):
    _, items = shelf
    checkout(items[0], reader, personas.librarian, on=at(2026, 2, 16, 10))
    loan_checkin(item=items[0], by=personas.librarian, now=at(2026, 3, 3, 10))
    counts = circulation_daily(now=at(2026, 3, 12))
    assert (counts["overdue_notices"], counts["due_soon_notices"]) == (0, 0)


def test_expired_hold_shelf_and_missed_hold_ready_notice(personas, shelf, reader):
    records, items = shelf
    # A copy on the shelf goes straight to the hold shelf; in this test the
    # after-commit notice never ran, so the daily run sends it.
    hold = hold_place(
        record=records[1], patron=reader, school=personas.school, by=reader, now=at(2026, 3, 2)
    )
    assert hold.status == Hold.Status.READY and hold.expires_on == date(2026, 3, 9)
    counts = circulation_daily(now=at(2026, 3, 3))
    assert counts["hold_ready_notices"] == 1 and counts["holds_expired"] == 0
    assert Notice.objects.get().key == f"hold_ready:{hold.pk}"
    assert circulation_daily(now=at(2026, 3, 9, 20))["holds_expired"] == 0  # last day
    counts = circulation_daily(now=at(2026, 3, 10))
    assert counts["holds_expired"] == 1 and counts["hold_ready_notices"] == 0
    hold.refresh_from_db()
    items[2].refresh_from_db()
    assert hold.status == Hold.Status.EXPIRED and items[2].status == ItemStatus.AVAILABLE
    assert circulation_daily(now=at(2026, 3, 11))["holds_expired"] == 0
    assert Notice.objects.count() == 1 and len(mail.outbox) == 1


def test_retention_is_honoured_and_opted_in_history_kept(personas, shelf, reader):
    _, items = shelf
    CirculationSettings.objects.create(school=personas.school, retention_days=30)
    keeper = personas.aide
    keeper.keeps_reading_history = True
    keeper.save(update_fields=["keeps_reading_history"])
    mine = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    kept = checkout(items[2], keeper, personas.librarian, on=at(2026, 3, 2, 10))
    for item in (items[0], items[2]):
        loan_checkin(item=item, by=personas.librarian, now=at(2026, 3, 5, 10))

    assert circulation_daily(now=at(2026, 3, 20))["loans_anonymized"] == 0
    assert Loan.objects.get(pk=mine.pk).patron == reader

    assert circulation_daily(now=at(2026, 4, 5))["loans_anonymized"] == 1
    mine.refresh_from_db()
    kept.refresh_from_db()
    assert mine.patron is None and mine.anonymized
    assert kept.patron == keeper and not kept.anonymized
    assert circulation_daily(now=at(2026, 4, 6))["loans_anonymized"] == 0


def test_default_retention_cuts_at_check_in_and_daily_finds_nothing_left(personas, shelf, reader):
    _, items = shelf
    loan = checkout(items[0], reader, personas.librarian, on=at(2026, 3, 2, 10))
    loan_checkin(item=items[0], by=personas.librarian, now=at(2026, 3, 3, 10))
    loan.refresh_from_db()
    assert loan.patron is None
    assert circulation_daily(now=at(2026, 3, 4))["loans_anonymized"] == 0


def test_command_prints_what_it_did(personas, shelf, reader):
    _, items = shelf
    checkout(items[0], reader, personas.librarian, on=at(2026, 2, 16, 10))
    out = io.StringIO()
    with time_machine.travel(at(2026, 3, 12), tick=False):
        call_command("circulation_daily", stdout=out)
        call_command("circulation_daily", stdout=out)
    first, second = out.getvalue().splitlines()
    assert "overdue notices 1" in first and "due-soon notices 0" in first
    assert "overdue notices 0" in second and "holds expired 0" in second
    assert len(mail.outbox) == 1
