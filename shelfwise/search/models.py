"""What search keeps beside each backend's text table: a sort key and facet values.

These two tables are the same on every database, so filters and facet
counts are one SQL for both backends. Availability is not stored here: it is
read from Item at query time (see selectors.py).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """One indexed record; a record without a row here is not in search results."""

    record = models.OneToOneField(
        "catalog.Record", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    sort_title = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sort_title"])]


class SearchFacet(models.Model):
    """One facet value of a record (a record has several languages, subjects, bands)."""

    # No index of its own: search_facet_record (record, name, value) leads with it.
    record = models.ForeignKey(
        "catalog.Record", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    name = models.CharField(max_length=16)
    value = models.CharField(max_length=255)

    class Meta:
        indexes = [
            # filter: records with this value; facet counts: values of these records
            models.Index(fields=["name", "value", "record"], name="search_facet_value"),
            models.Index(fields=["record", "name", "value"], name="search_facet_record"),
        ]


class SearchState(models.Model):
    """One row (id 1): tokens that change whenever what search caches changes.

    `index_token` is set to a new random value by every index write (indexing.py);
    `item_token` by triggers on catalog_item (SQLite only; see migration 0004 and
    cache._item_key), so no path that changes a copy can leave the cached
    availability stale. Random
    values, not counters: a rolled-back write puts the old token back, and the next
    write can never reproduce a token a cache saw inside the rolled-back one.
    A missing row (a test database just flushed) means: cache nothing.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    index_token = models.BigIntegerField(default=0)
    item_token = models.BigIntegerField(default=0)
