"""The reads every circulation transaction makes, in hand-written SQL.

Why by hand, not the ORM: on this project's reference machine (2 cores) the
ORM spends 0.5–0.7 ms compiling each of these one-row queries, 20 to 50 times
what SQLite or PostgreSQL needs to run them, and a self-check cycle (patron
status, checkout, item information, checkin) makes about twenty of them
(measured with cProfile over `shelfwise bench sip2`'s school). The statements
are plain SQL that both backends run unchanged; table and column names are the
models' own (Django's defaults), and every function is exercised by the
circulation and SIP2 tests through its callers.

Rows become model instances with `Model.from_db` and only the columns read
here: any other field is deferred, so touching it loads it rather than
reading a default.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection, models

from shelfwise.catalog.models import Item, Record
from shelfwise.circulation.models import CirculationSettings, Hold, Loan
from shelfwise.people.models import Person
from shelfwise.schools.models import School


def _in_model_order(model, names: set[str]) -> tuple[str, ...]:
    # from_db pairs values with the model's concrete fields in their order.
    ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)
    assert len(ordered) == len(names), set(names) - set(ordered)
    return ordered


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value) -> date | None:
    # SQLite hands dates back as ISO text, PostgreSQL as dates.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _json(value):
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _datetime(value) -> datetime | None:
    # SQLite: naive UTC (USE_TZ), as datetime or text by column type; PostgreSQL: aware.
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _converter(field: models.Field):
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return _date
    if isinstance(field, models.BooleanField):
        return lambda value: None if value is None else bool(value)
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else Decimal(str(value))
    return None


@functools.cache
def _converters(model) -> list[tuple[int, object]]:
    """(column position, converter) of `model`'s concrete fields that need one."""
    fields = model._meta.concrete_fields
    return [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]


def _whole_rows(model, where: str, params: list, *, extra: str = "", lock: bool = False):
    """Instances of `model` (every concrete column) WHERE `where`, with the values of
    the `extra` SQL expressions after the model's columns in each row."""
    fields = model._meta.concrete_fields
    columns = ", ".join(f"t.{f.column}" for f in fields)
    sql = f"SELECT {columns}{', ' + extra if extra else ''} FROM {model._meta.db_table} t"  # noqa: S608
    sql += f" WHERE {where}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    converters = _converters(model)
    found = []
    for row in _rows(sql, params):
        values = list(row[: len(fields)])
        for i, convert in converters:
            values[i] = convert(values[i])
        found.append((model.from_db(connection.alias, None, values), row[len(fields) :]))
    return found


# --- people -------------------------------------------------------------------------------

_PERSON_COLUMNS = _in_model_order(
    Person,
    {
        "id",
        "username",
        "first_name",
        "last_name",
        "display_name",
        "is_active",
        "patron_barcode",
        "grade",
        "home_languages",
        "english_learner",
        "keeps_reading_history",
    },
)


def person_by_card(barcode: str, school_id: int) -> tuple[Person | None, bool]:
    """(the person whose library card this is, whether they belong to the school)."""
    return _person_where("p.patron_barcode = %s", barcode, school_id)


def person_by_id(pk: int, school_id: int | None) -> tuple[Person | None, bool]:
    """(the person with this id, whether they belong to the school)."""
    return _person_where("p.id = %s", pk, school_id)


def _person_where(condition: str, value, school_id: int | None) -> tuple[Person | None, bool]:
    columns = ", ".join(f"p.{name}" for name in _PERSON_COLUMNS)
    rows = _rows(
        f"SELECT {columns}, EXISTS (SELECT 1 FROM people_membership m"  # noqa: S608 (names are constants)
        f" WHERE m.person_id = p.id AND m.school_id = %s) FROM people_person p WHERE {condition}",
        [school_id, value],
    )
    if not rows:
        return None, False
    values = list(rows[0][:-1])
    values[_PERSON_COLUMNS.index("is_active")] = bool(values[_PERSON_COLUMNS.index("is_active")])
    at = _PERSON_COLUMNS.index("home_languages")
    values[at] = _json(values[at])
    for name in ("english_learner", "keeps_reading_history"):
        at = _PERSON_COLUMNS.index(name)
        values[at] = None if values[at] is None else bool(values[at])
    return Person.from_db(connection.alias, _PERSON_COLUMNS, values), bool(rows[0][-1])


def membership_role(person_id: int, school_id: int) -> str | None:
    rows = _rows(
        "SELECT role FROM people_membership WHERE person_id = %s AND school_id = %s",
        [person_id, school_id],
    )
    return rows[0][0] if rows else None


# --- loans and charges --------------------------------------------------------------------


def open_loan_counts(person_id: int, today: date) -> tuple[int, int]:
    """(open loans, of them overdue on `today`)."""
    out, late = _rows(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_on < %s THEN 1 ELSE 0 END), 0)"
        " FROM circulation_loan WHERE patron_id = %s AND returned_at IS NULL",
        [today, person_id],
    )[0]
    return int(out), int(late)


def open_loans(person_id: int) -> int:
    return int(
        _rows(
            "SELECT COUNT(*) FROM circulation_loan WHERE patron_id = %s AND returned_at IS NULL",
            [person_id],
        )[0][0]
    )


def open_loan_of_item(item_id: int) -> Loan | None:
    """The copy's open loan (at most one: a constraint), with `keeps_history`: whether
    its reader asked to keep their reading history."""
    found = _whole_rows(
        Loan,
        "t.item_id = %s AND t.returned_at IS NULL",
        [item_id],
        extra="(SELECT p.keeps_reading_history FROM people_person p WHERE p.id = t.patron_id)",
    )
    if not found:
        return None
    loan, (keeps,) = found[0]
    loan.keeps_history = None if keeps is None else bool(keeps)
    return loan


def open_loan_due(item_id: int) -> date | None:
    rows = _rows(
        "SELECT due_on FROM circulation_loan WHERE item_id = %s AND returned_at IS NULL",
        [item_id],
    )
    return _date(rows[0][0]) if rows else None


def resolve_charges_of_item(item_id: int, now: datetime) -> None:
    """A copy back in hand settles any charge for losing it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE circulation_charge SET resolved_at = %s, resolution = 'returned'"
            " WHERE item_id = %s AND resolved_at IS NULL",
            [connection.ops.adapt_datetimefield_value(now), item_id],
        )


def unresolved_charges(person_id: int) -> int:
    return int(
        _rows(
            "SELECT COUNT(*) FROM circulation_charge WHERE patron_id = %s AND resolved_at IS NULL",
            [person_id],
        )[0][0]
    )


# --- holds -------------------------------------------------------------------------------


def waiting_holds(record_id: int, school_id: int) -> int:
    return int(
        _rows(
            "SELECT COUNT(*) FROM circulation_hold"
            " WHERE record_id = %s AND school_id = %s AND status = 'waiting'",
            [record_id, school_id],
        )[0][0]
    )


def next_waiting_hold(record_id: int, school_id: int) -> Hold | None:
    """The first reader waiting for the title at the school, locked (PostgreSQL)."""
    found = _whole_rows(
        Hold,
        "t.record_id = %s AND t.school_id = %s AND t.status = 'waiting'"
        " ORDER BY t.placed_at, t.id LIMIT 1",
        [record_id, school_id],
        lock=True,
    )
    return found[0][0] if found else None


def ready_hold_expiry(item_id: int) -> date | None:
    rows = _rows(
        "SELECT expires_on FROM circulation_hold WHERE item_id = %s AND status = 'ready'",
        [item_id],
    )
    return _date(rows[0][0]) if rows else None


# --- policies and calendar ----------------------------------------------------------------


def loan_policy_rows(school_id: int, category: str, item_type: str, any_type: str) -> list[tuple]:
    """(item_type, loan_days, renewals, max_loans, holds_allowed) saved for the school."""
    return [
        (row[0], int(row[1]), int(row[2]), int(row[3]), bool(row[4]))
        for row in _rows(
            "SELECT item_type, loan_days, renewals, max_loans, holds_allowed"
            " FROM circulation_loanpolicy"
            " WHERE school_id = %s AND patron_category = %s AND item_type IN (%s, %s)",
            [school_id, category, item_type, any_type],
        )
    ]


def closed_dates(school_id: int, start: date) -> set[date]:
    return {
        _date(row[0])
        for row in _rows(
            "SELECT date FROM schools_closedday WHERE school_id = %s AND date >= %s",
            [school_id, start],
        )
    }


# --- items --------------------------------------------------------------------------------

_ITEM_COLUMNS = _in_model_order(
    Item,
    {
        "id",
        "record_id",
        "school_id",
        "barcode",
        "location",
        "call_number",
        "item_type",
        "copy_number",
        "status",
        "circulation_count",
        "last_circulated",
    },
)
_SCHOOL_COLUMNS = _in_model_order(School, {"id", "code", "name", "timezone"})
_SETTINGS_COLUMNS = _in_model_order(
    CirculationSettings,
    {
        "id",
        "school_id",
        "retention_days",
        "hold_shelf_days",
        "due_soon_days",
        "replacement_charges",
    },
)


_RECORD_COLUMNS = _in_model_order(Record, {"id", "title"})


def _item_select(*, with_settings: bool, with_title: bool) -> str:
    columns = [f"i.{name}" for name in _ITEM_COLUMNS] + [f"s.{name}" for name in _SCHOOL_COLUMNS]
    joins = " JOIN schools_school s ON s.id = i.school_id"
    if with_settings:
        columns += [f"cs.{name}" for name in _SETTINGS_COLUMNS]
        joins += " LEFT JOIN circulation_circulationsettings cs ON cs.school_id = i.school_id"
    if with_title:
        columns.append("r.title")
        joins += " JOIN catalog_record r ON r.id = i.record_id"
    return f"SELECT {', '.join(columns)} FROM catalog_item i{joins}"  # noqa: S608


_BY_BARCODE = _item_select(with_settings=False, with_title=True) + " WHERE i.barcode = %s"
_LOCKED = _item_select(with_settings=True, with_title=False) + " WHERE i.id = %s"


def _item_from(row: tuple, *, with_settings: bool, with_title: bool) -> Item:
    n_item, n_school = len(_ITEM_COLUMNS), len(_SCHOOL_COLUMNS)
    values = list(row[:n_item])
    for name, convert in (("last_circulated", _date), ("circulation_count", int)):
        at = _ITEM_COLUMNS.index(name)
        values[at] = convert(values[at])
    item = Item.from_db(connection.alias, _ITEM_COLUMNS, values)
    school = School.from_db(connection.alias, _SCHOOL_COLUMNS, row[n_item : n_item + n_school])
    at = n_item + n_school
    if with_settings:
        cells = row[at : at + len(_SETTINGS_COLUMNS)]
        at += len(_SETTINGS_COLUMNS)
        found = None
        if cells[0] is not None:
            cells = list(cells)
            at_flag = _SETTINGS_COLUMNS.index("replacement_charges")
            cells[at_flag] = bool(cells[at_flag])
            found = CirculationSettings.from_db(connection.alias, _SETTINGS_COLUMNS, cells)
        # select_related's way of saying "fetched; there is none" for a reverse one-to-one.
        School.circulation_settings.related.set_cached_value(school, found)
    Item.school.field.set_cached_value(item, school)
    if with_title:
        record = Record.from_db(connection.alias, _RECORD_COLUMNS, (item.record_id, row[at]))
        Item.record.field.set_cached_value(item, record)
    return item


def item_by_barcode(barcode: str) -> Item | None:
    """A copy with its school and its record's title (the rest of the record deferred)."""
    rows = _rows(_BY_BARCODE, [barcode])
    return _item_from(rows[0], with_settings=False, with_title=True) if rows else None


def item_locked(pk: int) -> Item:
    """A copy with its school and circulation settings, its row locked for the
    transaction the caller is in (PostgreSQL; SQLite's write lock covers it)."""
    sql = _LOCKED + (" FOR UPDATE OF i" if connection.features.has_select_for_update_of else "")
    rows = _rows(sql, [pk])
    if not rows:
        raise Item.DoesNotExist(f"no item {pk}")
    return _item_from(rows[0], with_settings=True, with_title=False)
