"""SQLite triggers that draw a new SearchState.item_token when a copy changes.

Every change to a copy's id, record, school or status, every copy removed,
and every copy added below the highest id draws a new item_token, inside
the same transaction. A copy added above it (every ordinary insert: ids
grow) is seen by the highest id itself, which the cache reads beside the
token (cache._item_key): a token drawn for each of an import's 160,000
copies cost the import 4% of its speed.

SQLite drops a table's triggers with the table, and Django's schema editor
rebuilds catalog_item to alter most of its columns; so `ensure` runs after
every migrate (apps.py), and the cache keeps nothing while the triggers are
not all there. PostgreSQL has no such triggers: one row that every
circulation transaction would update is a lock they would all queue on;
search reads availability there afresh.
"""

from __future__ import annotations

from typing import Any

PREFIX = "search_item_token_"
_EVENTS = {
    "ins": "AFTER INSERT",
    "del": "AFTER DELETE",
    "upd": "AFTER UPDATE OF id, status, school_id, record_id",
}
_WHEN = {"ins": " WHEN NEW.id < (SELECT MAX(id) FROM catalog_item)"}
NAMES = tuple(PREFIX + name for name in _EVENTS)


def ensure(connection: Any) -> None:
    """Create the triggers that are missing (SQLite only; nothing before both
    tables exist, as after migrating backwards)."""
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if not {"catalog_item", "search_searchstate"} <= tables:
        return
    with connection.cursor() as cursor:
        for name, event in _EVENTS.items():
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {PREFIX}{name} {event} ON catalog_item"  # noqa: S608
                f"{_WHEN.get(name, '')} BEGIN "
                "UPDATE search_searchstate SET item_token = random() WHERE id = 1; END"
            )


def drop(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _EVENTS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{name}")
