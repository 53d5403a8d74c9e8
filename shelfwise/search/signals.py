"""Keep the index current for Records saved or deleted through the ORM.

Saving indexes in the same transaction as the write, so a record is
searchable exactly when it exists. Bulk writes (the MARC import) send no
signals and call `indexing.index_records` themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shelfwise.catalog.models import Record
from shelfwise.search.indexing import index_records, remove_records


@receiver(post_save, sender=Record, dispatch_uid="search_record_saved")
def _record_saved(sender, instance: Record, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata: `shelfwise reindex` afterwards
        index_records([instance.pk])


@receiver(post_delete, sender=Record, dispatch_uid="search_record_deleted")
def _record_deleted(sender, instance: Record, **kwargs) -> None:
    remove_records([instance.pk])
