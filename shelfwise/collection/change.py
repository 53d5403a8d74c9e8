"""Reads: how the collection changed over a period (copies added, weeded, its size at both
ends), for the annual report and any page that shows the same figures.

Kept beside selectors.py (past the size where a module splits) and built on its
definition of the collection (`collection_items`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.collection.selectors import collection_items


@dataclass
class CollectionChange:
    start: datetime.date
    end: datetime.date  # exclusive
    size_start: int
    added: int
    withdrawn: int
    size_end: int


def _added_on(prefix: str = ""):
    from django.db.models.functions import Coalesce, TruncDate

    # A copy without a date acquired (an import that had none) counts from the
    # day it was created in Shelfwise.
    return Coalesce(f"{prefix}acquired", TruncDate(f"{prefix}created_at"))


def _size_on(school_ids: Sequence[int], day: datetime.date) -> int:
    """Copies in the collection at the start of `day`: added before it and still held,
    plus copies weeded on or after it (they were on the shelf that morning)."""
    from shelfwise.collection.models import WeedingDecision

    held = (
        collection_items(school_ids).annotate(added_on=_added_on()).filter(added_on__lt=day).count()
    )
    weeded_later = (
        WeedingDecision.objects.filter(
            school_id__in=school_ids, withdrawn_at__isnull=False, withdrawn_at__date__gte=day
        )
        .annotate(added_on=_added_on("item__"))
        .filter(added_on__lt=day)
        .values("item_id")
        .distinct()
        .count()
    )
    return held + weeded_later


def collection_change(
    *, school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> CollectionChange:
    """Copies added and weeded in [start, end), and the collection's size at both ends.

    Decisions: a copy is added on its date acquired (else the day it was
    created here); withdrawn counts the copies weeded through the weeding list
    (WeedingDecision, which keeps the date). A copy lost or marked missing keeps
    no date of leaving, so the sizes take today's status for it: they are the
    collection as it now stands, reckoned back.
    """
    from shelfwise.collection.models import WeedingDecision

    added = (
        Item.objects.filter(school_id__in=school_ids)
        .exclude(status=ItemStatus.ON_ORDER)
        .annotate(added_on=_added_on())
        .filter(added_on__gte=start, added_on__lt=end)
        .count()
    )
    withdrawn = (
        WeedingDecision.objects.filter(
            school_id__in=school_ids,
            withdrawn_at__isnull=False,
            withdrawn_at__date__gte=start,
            withdrawn_at__date__lt=end,
        )
        .values("item_id")
        .distinct()
        .count()
    )
    return CollectionChange(
        start=start,
        end=end,
        size_start=_size_on(school_ids, start),
        added=added,
        withdrawn=withdrawn,
        size_end=_size_on(school_ids, end),
    )
