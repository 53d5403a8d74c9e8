"""Reads for the home pages: collection sizes and recent imports per school."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from shelfwise.catalog.models import ImportJob, Item, Record
from shelfwise.schools.models import School


@dataclass(frozen=True)
class CollectionCounts:
    records: int
    items: int


def collection_counts(*, school: School) -> CollectionCounts:
    """Titles (records with at least one copy here) and copies held by `school`."""
    return CollectionCounts(
        records=Record.objects.filter(items__school=school).distinct().count(),
        items=Item.objects.filter(school=school).count(),
    )


def import_jobs_recent(*, school: School, limit: int = 5) -> list[ImportJob]:
    return list(ImportJob.objects.filter(school=school).order_by("-queued_at", "-pk")[:limit])


def schools_with_item_counts() -> QuerySet[School]:
    """Every school with `item_count` annotated: one query whatever the number of schools."""
    return School.objects.annotate(item_count=Count("items")).order_by("name")


def switchable_schools(
    *, person: object, district_admin: bool, memberships: list | None = None
) -> list[School]:
    """Schools a person may switch to: all of them for a district admin, else their own
    (from `memberships` when the caller has them with their schools, by name)."""
    if district_admin:
        return list(School.objects.order_by("name").only("pk", "name", "code"))
    if memberships is not None:
        return [membership.school for membership in memberships]
    return list(
        School.objects.filter(memberships__person=person)
        .order_by("name")
        .only("pk", "name", "code")
    )
