"""`shelfwise circulation-daily`: the once-a-day circulation run (safe to repeat).

Expires hold-shelf holds past their date, cuts the patron link of returned
loans past the school's retention, and sends due-soon, overdue and missed
hold-ready notices. Run it from a timer, e.g. cron: `15 6 * * * shelfwise
circulation-daily`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from shelfwise.circulation.daily import circulation_daily

LABELS = {
    "holds_expired": "holds expired",
    "loans_anonymized": "returned loans anonymized",
    "hold_ready_notices": "hold-ready notices",
    "due_soon_notices": "due-soon notices",
    "overdue_notices": "overdue notices",
}


class Command(BaseCommand):
    help = (
        "Expire hold shelves, anonymize returned loans past retention and send "
        "due-soon, overdue and hold-ready notices. Running it twice sends nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = circulation_daily(now=timezone.now())
        self.stdout.write(
            ", ".join(f"{LABELS.get(name, name)} {count}" for name, count in counts.items())
        )
