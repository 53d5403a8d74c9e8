"""Fast multi-row INSERTs for the MARC import, beside the ORM.

Django's bulk_create compiles and adapts every value of every row through
the field machinery, which costs more than parsing the MARC itself (a
profile of a 5,000-record import: 6.7 s of 17.5 s). Import writes a few
models with known, simple columns, so it takes the column adapters from the
fields once and sends plain `executemany` INSERTs with ids it has allocated
itself. Everything else keeps using the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

_PASS: Callable[[Any], Any] = lambda value: value  # noqa: E731
# One encoder for every JSON value: json.dumps with options builds a new one per call.
_JSON_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    """One function per column turning a Python value into a DB-API parameter."""
    if isinstance(field, models.JSONField):
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return lambda value: Jsonb(value)
        return _JSON_ENCODE
    if isinstance(field, models.DateTimeField):
        # Import stamps every row of a batch with the same instant: adapt it once.
        last: list[Any] = [object(), None]

        def adapt_datetime(value: Any) -> Any:
            if value is not last[0]:
                last[0], last[1] = value, field.get_db_prep_save(value, connection)
            return last[1]

        return adapt_datetime
    if isinstance(field, models.DateField) and connection.vendor == "sqlite":
        return lambda value: value.isoformat() if value is not None else None
    # Decimals: psycopg takes them as they are, and Django registers str() as
    # SQLite's adapter, which is what DecimalField stores there.
    return _PASS


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows. Call inside the transaction that inserts them.

    SQLite: import runs in an IMMEDIATE transaction, which holds the write
    lock, so nobody else can insert between reading the maximum and using it.
    PostgreSQL: the table's own sequence, so concurrent writers never collide.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT `rows` (values in `columns` order, attribute names) into `model`'s table."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [_adapter(f) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names come from the model
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # Adapt only the columns that need it (JSON, dates): most pass as they are,
    # and a Python call per value was a third of the import's own time.
    adapted = [(i, adapt) for i, adapt in enumerate(adapters) if adapt is not _PASS]
    if adapted:
        params = []
        for row in rows:
            row = list(row)
            for i, adapt in adapted:
                row[i] = adapt(row[i])
            params.append(row)
    else:
        params = rows
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
