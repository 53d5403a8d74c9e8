"""Search fixtures: records made through the catalog services, so the real hooks index them."""

from __future__ import annotations

import pytest

from shelfwise.catalog.models import Item, Record
from shelfwise.catalog.services import item_create, record_create
from shelfwise.marc.build import build_record
from shelfwise.search import cache, selectors


@pytest.fixture
def make_record(personas):
    """make_record(title, extra={"lexile": 800}, copies=[(school, status)], **build_record args)."""
    counter = iter(range(1, 10_000))

    def make(title: str, *, extra: dict | None = None, copies=(), **fields) -> Record:
        record = record_create(marc_record=build_record(title=title, **fields), by=None)
        if extra:
            # An edit through the ORM: the post_save hook must reindex it.
            for name, value in extra.items():
                setattr(record, name, value)
            record.save()
        for school, status in copies:
            item = item_create(
                record=record,
                school=school,
                by=None,
                barcode=f"S{record.pk:05d}-{next(counter)}",
            )
            # The status a copy would have after circulation (out, on the hold
            # shelf…), which editing a copy may not set.
            Item.objects.filter(pk=item.pk).update(status=status)
        return record

    return make


@pytest.fixture(params=["sql", "columns"])
def search_path(request, monkeypatch):
    """Run a test twice: as a small result set, answered in SQL, and as a large
    one, answered on the in-memory columns (search/cache.py)."""
    if request.param == "columns":
        monkeypatch.setattr(selectors, "LARGE", -1)
    cache.forget()
    yield request.param
    cache.forget()
