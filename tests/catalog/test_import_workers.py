"""Preparing records in forked children (as big imports do) lands exactly what
preparing them in the importing process does: the same records, copies,
rejections at the same positions, in file order, across many batches."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from shelfwise.catalog import import_prepare, importing
from shelfwise.catalog.importing import marc_import_file
from shelfwise.catalog.models import Item, Record
from shelfwise.search.models import SearchFacet

DATA = Path(__file__).resolve().parent.parent / "data" / "marc"
FILES = [
    DATA / "pymarc" / "bad_records.mrc",  # 9 chunks, 7 broken
    DATA / "loc" / "loc_booksall2016_juvenile_sample.mrc",
    DATA / "evergreen" / "lul_fre_100.mrc",
    DATA / "koha" / "koha_sample_biblios.marcxml.xml",  # one child: XML is split by parsing
]

pytestmark = pytest.mark.django_db


def _snapshot(job) -> dict:
    return {
        "counts": (
            job.records_read,
            job.created,
            job.updated,
            job.unchanged,
            job.rejected,
            job.items_created,
        ),
        "decodings": job.decodings,
        "issues": list(
            job.issues.order_by("position", "pk").values_list("position", "kind", "message")
        ),
        "records": list(
            Record.objects.order_by("pk").values_list(
                "control_number", "title", "isbns", "languages"
            )
        ),
        "items": list(Item.objects.order_by("pk").values_list("barcode", "record__title")),
        "facets": SearchFacet.objects.count(),
    }


def _import(path: Path, school, *, worker: bool) -> dict:
    with transaction.atomic():
        job = marc_import_file(path=path, school=school, worker=worker)
        snapshot = _snapshot(job)
        transaction.set_rollback(True)
    return snapshot


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("batch", [3, 7, 500])
def test_children_land_what_one_process_lands(personas, monkeypatch, path, batch):
    monkeypatch.setattr(importing, "BATCH_SIZE", batch)
    alone = _import(path, personas.school, worker=False)
    forked = _import(path, personas.school, worker=True)
    assert forked == alone
    assert alone["counts"][0] > 0


def test_two_children_take_turns_over_a_binary_file(monkeypatch):
    """Batch n comes from child n % 2, each parsing only its own batches."""
    path = str(DATA / "loc" / "loc_booksall2016_juvenile_sample.mrc")
    batches = list(import_prepare._from_workers(path, size=10, workers=2))
    alone = list(import_prepare._in_process(path, size=10))
    assert [[e.position for e in b.entries] for b in batches] == [
        [e.position for e in b.entries] for b in alone
    ]
    assert all(len(b.entries) == 10 for b in batches[:-1])


def test_a_child_that_fails_is_reported(monkeypatch):
    def broken(entry, file_format):
        raise MemoryError("out of memory in the child")

    monkeypatch.setattr(import_prepare, "prepare", broken)
    path = str(DATA / "loc" / "loc_booksall2016_juvenile_sample.mrc")
    with pytest.raises(import_prepare.PrepareWorkerError, match="out of memory in the child"):
        list(import_prepare._from_workers(path, size=10, workers=2))


def test_sqlite_settings_for_the_import_are_put_back(personas):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite connection settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
    marc_import_file(path=FILES[0], school=personas.school)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == checkpoint


def test_the_import_puts_the_garbage_collector_back(personas):
    import gc

    from shelfwise.lib.collector import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    marc_import_file(path=FILES[0], school=personas.school, worker=True)
    assert gc.isenabled() and gc.get_freeze_count() == 0
