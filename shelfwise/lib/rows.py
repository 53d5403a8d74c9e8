"""One-row INSERTs and UPDATEs with statements built once, for the hottest writes.

Why beside the ORM: `Model.objects.create` and `save(update_fields=...)`
rebuild and compile their SQL on every call, about 0.5 ms each on the
reference machine, and a check-out or check-in writes four or five rows
(loan, copy, event, audit entry). These helpers build the statement once per
model and column list and adapt each value with the field's own
`get_db_prep_save`, so SQLite and PostgreSQL get exactly what the ORM would
send. Nothing else of `save()` happens: no signals (callers write only models
with no receivers, which `tests/circulation/test_fast_writes.py` checks), no
`auto_now` (pass the time yourself), no validation.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models

_STATEMENTS: dict[tuple, tuple[str, list[models.Field]]] = {}


def _statement(kind: str, model: type[models.Model], names: tuple[str, ...]):
    key = (kind, model, names, connection.vendor)
    found = _STATEMENTS.get(key)
    if found is not None:
        return found
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    if kind == "insert":
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names come from the model
            table, ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
        )
        if connection.features.can_return_columns_from_insert:
            sql += f" RETURNING {pk}"
    else:
        sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
    _STATEMENTS[key] = sql, fields
    return sql, fields


def _params(fields: list[models.Field], values: dict[str, Any]) -> list[Any]:
    return [f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)]


def insert_row(model: type[models.Model], **values: Any) -> int:
    """INSERT one row of `model` (attribute names → values); returns its primary key.

    Every NOT NULL column without a value must be given: model defaults are
    not filled in.
    """
    sql, fields = _statement("insert", model, tuple(values))
    params = [
        f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            return cursor.fetchone()[0]
        return cursor.lastrowid


def update_row(model: type[models.Model], pk: Any, **values: Any) -> int:
    """UPDATE the named columns of one row; returns the number of rows changed (0 or 1)."""
    sql, fields = _statement("update", model, tuple(values))
    params = [
        f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk])
        return cursor.rowcount
