"""Internal: the database half of `shelfwise bench sip2` (kiosks, read-back); prints JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "(internal) create the SIP2 benchmark's kiosk accounts, or read back what they did"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["kiosks", "check"])
        parser.add_argument("--count", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        result = _kiosks(options["count"]) if options["step"] == "kiosks" else _check()
        self.stdout.write(json.dumps(result, default=str))


def _kiosks(count: int) -> dict[str, Any]:
    from shelfwise.schools.models import School
    from shelfwise.sip2.services import kiosk_create

    school = School.objects.order_by("pk").first()
    kiosks = []
    for n in range(1, count + 1):
        login, password = f"bench-kiosk-{n}", f"bench-kiosk-password-{n}"
        kiosk_create(
            school=school, login_id=login, password=password, location_code="BENCH", by=None
        )
        kiosks.append({"login": login, "password": password})
    return {"kiosks": kiosks}


def _check() -> dict[str, Any]:
    from shelfwise.audit.models import AuditEntry
    from shelfwise.catalog.models import Item, ItemStatus
    from shelfwise.circulation.models import Loan
    from shelfwise.sip2.models import KioskAccount

    actors = KioskAccount.objects.values_list("actor_id", flat=True)
    checkouts = AuditEntry.objects.filter(action="circulation.checkout", actor_id__in=actors)
    items = set(checkouts.values_list("object_id", flat=True))
    kiosk_loans = Loan.objects.filter(item_id__in=[int(i) for i in items])
    since = checkouts.order_by("at").values_list("at", flat=True).first()
    if since is not None:
        kiosk_loans = kiosk_loans.filter(checked_out_at__gte=since)
    return {
        "kiosk_checkouts": checkouts.count(),
        "still_open": kiosk_loans.filter(returned_at=None).count(),
        "kept_patron_link": kiosk_loans.exclude(returned_at=None).exclude(patron=None).count(),
        "items_out": Item.objects.filter(status=ItemStatus.CHECKED_OUT).count(),
        "open_loans": Loan.objects.filter(returned_at=None).count(),
    }
