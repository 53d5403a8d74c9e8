"""Large result sets: counted and ordered on the in-memory columns (search/cache.py).

test_search.py runs the whole search contract on both paths; these tests
cover what is particular to the columns: the tier order, and that the copy
a process holds is never used once the index or a copy changed, even after
a rollback or with the state row gone.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from shelfwise.catalog.models import ItemStatus
from shelfwise.catalog.services import item_create
from shelfwise.circulation.services import loan_checkin, loan_checkout
from shelfwise.search import cache, selectors
from shelfwise.search.models import SearchState
from shelfwise.search.selectors import search

pytestmark = pytest.mark.usefixtures("fast_password_hashing")
AVAILABLE = ItemStatus.AVAILABLE


@pytest.fixture
def large(monkeypatch):
    """Every search takes the large path; the columns it used are recorded."""
    monkeypatch.setattr(selectors, "LARGE", -1)
    used = []
    real = cache.columns

    def spy():
        used.append(real())
        return used[-1]

    monkeypatch.setattr(cache, "columns", spy)
    cache.forget()
    yield used
    cache.forget()


def test_a_set_above_the_threshold_is_answered_from_the_columns(make_record, monkeypatch) -> None:
    for n in range(4):
        make_record(f"Comets {n}")
    cache.forget()
    monkeypatch.setattr(selectors, "LARGE", 3)
    assert search(query="comets").total == 4
    assert cache._columns is not None  # built for the large set
    cache.forget()
    monkeypatch.setattr(selectors, "LARGE", 4)
    assert search(query="comets").total == 4
    assert cache._columns is None  # four matches are not more than four: SQL


def test_tiers_title_and_author_then_series_then_subject_then_summary(
    personas, large, make_record
) -> None:
    here = personas.school
    summary = make_record("Alpha", summary="Where the orca swims.", copies=[(here, AVAILABLE)])
    subject = make_record("Bravo", subjects=["Orcas"], copies=[(here, AVAILABLE)])
    series = make_record("Charlie", extra={"series": ["Orca tales"]}, copies=[(here, AVAILABLE)])
    author = make_record("Delta", authors=["Orca, Olga"])
    title_out = make_record("Orca", copies=[(here, ItemStatus.CHECKED_OUT)])
    title_here = make_record("Zulu the orca", copies=[(here, AVAILABLE)])
    ids = search(query="orca", school=here).ids
    # tier 1: title or author, on the shelf here first, then by title
    assert ids[0] == title_here.pk
    assert ids[1:3] == [author.pk, title_out.pk]  # "Delta" < "Orca", neither on the shelf
    assert ids[3:] == [series.pk, subject.pk, summary.pk]
    # two words: tier 1 only when both are in the title and authors
    both = make_record("Orca song", authors=["Humpback, Hal"])
    split = make_record("Humpback days", summary="An orca too.")
    assert search(query="orca humpback", school=here).ids == [both.pk, split.pk]
    assert large  # the columns answered


def test_paging_across_tiers(large, make_record) -> None:
    in_title = [make_record(f"Storm {n}") for n in range(3)]
    in_subject = [make_record(f"Weather {n}", subjects=["Storms"]) for n in range(3)]
    order = [r.pk for r in (*in_title, *in_subject)]
    pages = [search(query="storm", page=p, per_page=2).ids for p in (1, 2, 3, 4)]
    assert pages == [order[0:2], order[2:4], order[4:6], []]


def test_checkout_moves_a_copy_in_the_next_search(personas, large, make_record) -> None:
    here = personas.school
    first = make_record("Meteor a", copies=[(here, AVAILABLE)])
    second = make_record("Meteor b", copies=[(here, AVAILABLE)])
    assert search(query="meteor", school=here).ids == [first.pk, second.pk]
    loan_checkout(item=first.items.get(), patron=personas.student, by=personas.librarian)
    assert search(query="meteor", school=here).ids == [second.pk, first.pk]
    shelf = search(query="meteor", school=here, filters={"available": "yes"})
    assert shelf.ids == [second.pk]
    assert shelf.facets["available"] == [("yes", 1)]
    loan_checkin(item=first.items.get(), by=personas.librarian)
    assert search(query="meteor", school=here).ids == [first.pk, second.pk]


def test_a_rolled_back_write_is_not_remembered(large, make_record) -> None:
    kept = make_record("Glacier kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        gone = make_record("Glacier gone", languages=("spa",))
        inside = search(query="glacier")
        assert set(inside.ids) == {kept.pk, gone.pk}
        assert dict(inside.facets["language"]) == {"eng": 1, "spa": 1}
        raise RuntimeError("roll back")
    after = search(query="glacier")
    assert after.ids == [kept.pk]
    assert after.facets["language"] == [("eng", 1)]
    assert after.total == 1


def test_no_state_row_means_nothing_is_kept(personas, large, make_record) -> None:
    record = make_record("Canyon", copies=[(personas.school, AVAILABLE)])
    SearchState.objects.all().delete()
    assert search(query="canyon", school=personas.school).ids == [record.pk]
    assert cache._columns is None and not cache._available
    with connection.cursor() as cursor:  # a copy changed behind everyone's back
        cursor.execute("UPDATE catalog_item SET status = %s", [ItemStatus.LOST])
    assert search(query="canyon", school=personas.school, filters={"available": "1"}).ids == []
    make_record("Canyon two")  # an index write puts the row back
    assert SearchState.objects.filter(pk=1).exists()
    assert search(query="canyon").total == 2
    assert cache._columns is not None


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_item_key_changes_with_every_copy_change(personas, make_record) -> None:
    here = personas.school
    record = make_record("Lagoon", copies=[(here, AVAILABLE), (here, AVAILABLE)])
    keys = [cache._item_key()]
    make_record("Lagoon two", copies=[(here, AVAILABLE)])  # added on top: the highest id
    keys.append(cache._item_key())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_item SET status = %s WHERE record_id = %s", ["lost", record.pk]
        )
    keys.append(cache._item_key())
    first, second = record.items.order_by("pk")
    gap = first.pk
    first.delete()
    keys.append(cache._item_key())
    second.pk, second.barcode = gap, "GAP-1"  # a copy added below the highest id
    second.save(force_insert=True)
    keys.append(cache._item_key())
    assert None not in keys
    assert len(set(keys)) == len(keys), keys


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_kept_availability_follows_every_copy_change(personas, large, make_record) -> None:
    """Outside a transaction block the availability mask is kept between searches;
    each kind of change to a copy must still show in the very next search."""
    here = personas.school
    one = make_record("Nebula one", copies=[(here, AVAILABLE)])
    two = make_record("Nebula two", copies=[(here, AVAILABLE)])
    three = make_record("Nebula three")
    shelf = {"available": "yes"}

    def on_shelf() -> list[int]:
        return search(query="nebula", school=here, filters=shelf).ids

    assert on_shelf() == [one.pk, two.pk]
    kept = cache._available[here.pk]
    assert on_shelf() == [one.pk, two.pk]
    assert cache._available[here.pk] is kept  # nothing changed: the same mask
    loan_checkout(item=one.items.get(), patron=personas.student, by=personas.librarian)
    assert on_shelf() == [two.pk]
    copy = item_create(record=three, school=here, by=None, barcode="NEB-3")
    assert on_shelf() == [three.pk, two.pk]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_item SET status = %s WHERE id = %s", ["lost", copy.pk])
    assert on_shelf() == [two.pk]
    two.items.all().delete()
    assert on_shelf() == []
    loan_checkin(item=one.items.get(), by=personas.librarian)
    assert on_shelf() == [one.pk]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_missing_trigger_means_no_availability_is_kept(personas, make_record) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it; until they are
    back (after every migrate), the cache must not trust the item key."""
    from django.apps import apps

    from shelfwise.search import item_triggers
    from shelfwise.search.apps import _ensure_item_triggers

    make_record("Fjord", copies=[(personas.school, AVAILABLE)])
    assert cache._item_key() is not None
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {item_triggers.NAMES[-1]}")
    assert cache._item_key() is None
    _ensure_item_triggers(sender=apps.get_app_config("search"))  # what migrate sends
    assert cache._item_key() is not None


def test_a_dry_run_import_draws_no_index_token(personas) -> None:
    from pathlib import Path

    from shelfwise.catalog.importing import marc_import_file

    path = Path(__file__).resolve().parent.parent / "data" / "marc" / "koha"
    path = path / "koha_sample_biblios_2016.mrc"
    if not path.exists():
        pytest.skip("Koha sample not there")
    before = SearchState.objects.get(pk=1).index_token
    marc_import_file(path=path, school=personas.school, dry_run=True)
    assert SearchState.objects.get(pk=1).index_token == before
    marc_import_file(path=path, school=personas.school)
    assert SearchState.objects.get(pk=1).index_token != before


def test_a_facet_name_search_does_not_count_is_left_out(large, make_record) -> None:
    from shelfwise.search.models import SearchFacet

    record = make_record("Quasar", languages=("spa",))
    SearchFacet.objects.create(record=record, name="colour", value="red")
    cache.forget()
    result = search(query="quasar")
    assert result.ids == [record.pk]
    assert result.facets["language"] == [("spa", 1)]
    assert "colour" not in result.facets
