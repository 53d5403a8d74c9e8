"""Patron barcodes: prefix + number, assigned when a person is created.

The prefix (PATRON_BARCODE_PREFIX, default "P") keeps patron cards apart from
item barcodes, so the desk's single scan box can tell them apart.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction

WIDTH = 6


def prefix() -> str:
    return getattr(settings, "PATRON_BARCODE_PREFIX", "P")


def looks_like_patron(code: str) -> bool:
    p = prefix()
    return code.startswith(p) and code[len(p) :].isdigit()


def next_patron_barcodes(count: int) -> list[str]:
    """The next `count` free barcodes, for bulk creation (roster import)."""
    from shelfwise.people.models import Person

    p = prefix()
    pattern = re.compile(rf"^{re.escape(p)}(\d+)$")
    numbers = [
        int(m.group(1))
        for code in Person.objects.filter(patron_barcode__startswith=p)
        .values_list("patron_barcode", flat=True)
        .iterator()
        if (m := pattern.match(code or ""))
    ]
    start = max(numbers, default=0) + 1
    return [f"{p}{n:0{WIDTH}d}" for n in range(start, start + count)]


def patron_barcode_assign(person) -> str:
    """Give `person` the next free patron barcode (no-op if they have one)."""
    if person.patron_barcode:
        return person.patron_barcode
    from shelfwise.people.models import Person

    for _attempt in range(20):
        code = next_patron_barcodes(1)[0]
        try:
            with transaction.atomic():
                Person.objects.filter(pk=person.pk).update(patron_barcode=code)
        except IntegrityError:
            continue  # someone took it between our read and write: try the next
        person.patron_barcode = code
        return code
    raise RuntimeError("could not assign a patron barcode")
