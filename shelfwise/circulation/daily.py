"""The daily circulation run: expire hold shelves, cut old patron links, send notices.

`circulation_daily` is meant for a timer (cron, systemd) once a day; running
it again the same day, or twice by mistake, changes nothing more: holds and
loans are only touched once, and each notice has a key (`due_soon:<loan>:<due
date>`, `overdue:<loan>:<due date>`) that `notice_send` stores once. A renewal
moves the due date, so it earns a fresh due-soon notice.

"Today" is each school's own date in its time zone. Decision: days are
counted in *open* days of the school calendar, so a book due on Monday gets
its two-days-before notice on the Thursday, not over the weekend; and a due
date that became a closed day after the loan (a snow day) is due on the next
open day, so nobody is overdue for a day the library was shut.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shelfwise.circulation.models import Hold, Loan, Notice
from shelfwise.circulation.notices import _language, notice_hold_ready, notice_send
from shelfwise.circulation.policies import closed_days, settings_for
from shelfwise.circulation.services import holds_expire, loans_anonymize, school_today
from shelfwise.lib.calendars import add_open_days, is_open, next_open_day
from shelfwise.schools.models import School

_KEY_BATCH = 500
_LOOK_BACK_DAYS = 400


def _open_day_start(today: date, closed: set[date]) -> date:
    """The first day of the closed run that ends today: the day after the last open day.

    A loan due on any day from here up to today is not overdue yet (its real
    due day, the next open day, is today or later).
    """
    day = today
    for _step in range(_LOOK_BACK_DAYS):
        previous = day - timedelta(days=1)
        if is_open(previous, closed):
            return day
        day = previous
    return day


def _school_calendar(school: School, now: datetime) -> tuple[date, set[date]]:
    today = school_today(school, now)
    # From far enough back to see the whole closed run (a summer) before today.
    return today, closed_days(school, start=today - timedelta(days=_LOOK_BACK_DAYS))


def _sent_keys(keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    sent: set[str] = set()
    for start in range(0, len(keys), _KEY_BATCH):
        sent.update(
            Notice.objects.filter(key__in=keys[start : start + _KEY_BATCH]).values_list(
                "key", flat=True
            )
        )
    return sent


def _open_loans(school: School) -> QuerySet[Loan]:
    # Decision: no notices to deactivated people (they left the school); their
    # open loans are on the roster report for the librarian instead.
    return Loan.objects.filter(
        school=school, returned_at=None, patron__isnull=False, patron__is_active=True
    ).select_related("patron", "item__record", "school")


def _unsent(loans: Iterable[Loan], kind: str) -> Iterator[tuple[Loan, str]]:
    keyed = [(loan, f"{kind}:{loan.pk}:{loan.due_on.isoformat()}") for loan in loans]
    sent = _sent_keys(key for _loan, key in keyed)
    return ((loan, key) for loan, key in keyed if key not in sent)


def _name(patron) -> str:
    return patron.full_name or patron.username


def _send_due_soon(loan: Loan, key: str, due: date) -> Notice | None:
    patron = loan.patron
    with translation.override(_language(patron)):
        title = loan.item.record.title
        subject = _("Due soon: %(title)s") % {"title": title[:80]}
        body = _(
            "Hello %(name)s,\n\n"
            '"%(title)s" is due back at the %(school)s library on %(date)s.\n\n'
            "If you need it longer, you can renew it on your page or at the desk, "
            "unless another reader is waiting for it."
        ) % {
            "name": _name(patron),
            "title": title,
            "school": loan.school.name,
            "date": date_format(due, "DATE_FORMAT"),
        }
    return notice_send(
        patron=patron, kind=Notice.Kind.DUE_SOON, key=key, subject=subject, body=body
    )


def _send_overdue(loan: Loan, key: str, due: date) -> Notice | None:
    patron = loan.patron
    with translation.override(_language(patron)):
        title = loan.item.record.title
        subject = _("Overdue: %(title)s") % {"title": title[:80]}
        body = _(
            "Hello %(name)s,\n\n"
            '"%(title)s" was due back at the %(school)s library on %(date)s.\n\n'
            "Please bring it back, or renew it if you can. If you cannot find it, "
            "tell the librarian: we will help."
        ) % {
            "name": _name(patron),
            "title": title,
            "school": loan.school.name,
            "date": date_format(due, "DATE_FORMAT"),
        }
    return notice_send(patron=patron, kind=Notice.Kind.OVERDUE, key=key, subject=subject, body=body)


def notices_due_soon(*, now: datetime) -> int:
    """Notify readers whose loans are due within their school's due-soon window."""
    sent = 0
    for school in School.objects.all():
        today, closed = _school_calendar(school, now)
        start = _open_day_start(today, closed)
        window_end = add_open_days(today, settings_for(school).due_soon_days, closed)
        loans = _open_loans(school).filter(due_on__gte=start, due_on__lte=window_end)
        for loan, key in _unsent(loans, "due_soon"):
            due = next_open_day(loan.due_on, closed)
            if today <= due <= window_end and _send_due_soon(loan, key, due) is not None:
                sent += 1
    return sent


def notices_overdue(*, now: datetime) -> int:
    """Notify readers once per loan and due date when a loan is past due."""
    sent = 0
    for school in School.objects.all():
        today, closed = _school_calendar(school, now)
        # Due before the first day of today's closed run = due on an open day
        # before today: overdue.
        loans = _open_loans(school).filter(due_on__lt=_open_day_start(today, closed))
        for loan, key in _unsent(loans, "overdue"):
            if _send_overdue(loan, key, next_open_day(loan.due_on, closed)) is not None:
                sent += 1
    return sent


def notices_hold_ready() -> int:
    """Catch-up for hold-ready notices, normally sent at check-in once the
    transaction commits: if the process stopped in between, the reader still hears."""
    holds = Hold.objects.filter(status=Hold.Status.READY).select_related(
        "patron", "record", "school"
    )
    keyed = {f"hold_ready:{hold.pk}": hold for hold in holds}
    sent = _sent_keys(keyed)
    missing = [hold for key, hold in keyed.items() if key not in sent]
    for hold in missing:
        notice_hold_ready(hold=hold)
    return len(missing)


def circulation_daily(*, now: datetime) -> dict[str, int]:
    """One idempotent daily run; returns what it did, by name."""
    return {
        "holds_expired": holds_expire(now=now),
        "loans_anonymized": loans_anonymize(now=now),
        "hold_ready_notices": notices_hold_ready(),
        "due_soon_notices": notices_due_soon(now=now),
        "overdue_notices": notices_overdue(now=now),
    }
