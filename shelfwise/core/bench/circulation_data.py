"""The circulation benchmark's fixture: schools, patrons, a catalog and a past, built fast.

Runs in a child process on a fresh database. Records come through the real
MARC import (generated bibliographic records, no holdings); everything else is
written with multi-row inserts (COPY on PostgreSQL), because this is a fixture
of hundreds of thousands of rows, not a test of the services that would
otherwise write them. Returns the plan the HTTP desks follow: their logins and
the patrons and copies each may use, disjoint from one desk to the next.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from shelfwise.core.bench.common import bench_dir, peak_rss_mb

PASSWORD = "bench-desk-password"  # noqa: S105 - a throwaway database on 127.0.0.1
CHUNK = 20_000
_GRADES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
_GIVEN = ("Ana", "José", "Mei", "Omar", "Fatima", "Liam", "Sofía", "Aarav", "Zoë", "Chidi")
_FAMILY = ("García", "Smith", "Nguyen", "Khan", "Okafor", "Müller", "Haddad", "Chen", "Patel")
_LANGS = ((), (), (), ("spa",), ("ara",), ("vie",), ("som",))
_SHELVES = (
    ("Fiction", "FIC", "book"),
    ("Easy", "E", "picture_book"),
    ("Nonfiction", "590", "book"),
    ("Nonfiction", "973", "book"),
    ("Graphic Novels", "741.5", "graphic_novel"),
    ("Reference", "R 030", "reference"),
)


@dataclass(frozen=True)
class Size:
    students: int
    items: int
    schools: int
    records: int


def records_file(count: int) -> Path:
    """Generated bibliographic records without copies, written once under var/bench."""
    from shelfwise.catalog.generate import bench_records, write_marc_file

    path = bench_dir() / f"bench-records-{count}-nocopies.mrc"
    if not path.exists():
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")

        def bare() -> Iterator[Any]:
            for record in bench_records(count=count):
                record.remove_fields("852")
                yield record

        write_marc_file(bare(), tmp)
        tmp.rename(path)
    return path


def _insert(model: type[models.Model], columns: Sequence[str], rows: list[list[Any]]) -> None:
    """Write `rows` (values in `columns` order, ids included) to `model`'s table."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        from shelfwise.catalog.bulk import insert_rows

        for start in range(0, len(rows), CHUNK):
            insert_rows(model, columns, rows[start : start + CHUNK])
        return
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = json.dumps(row[i])
            copy.write_row(row)


def _ids(model: type[models.Model], count: int) -> list[int]:
    from shelfwise.catalog.bulk import allocate_ids

    return allocate_ids(model, count)


def build(*, size: Size, desks: int, latency: int, sustained: int, seed: int = 5) -> dict[str, Any]:
    """Build the fixture; return the desks' plan and how long each part took."""
    from shelfwise.audit.models import AuditEntry
    from shelfwise.catalog.importing import marc_import_file
    from shelfwise.catalog.models import Item, ItemStatus, Record
    from shelfwise.catalog.shelving import items_reshelve
    from shelfwise.circulation.models import CirculationEvent, Loan, LoanPolicy
    from shelfwise.people.models import Membership, Person
    from shelfwise.schools.models import ClosedDay, School

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 2)
        clock = now

    path = records_file(size.records)
    lap("records_file")
    schools = School.objects.bulk_create(
        School(code=f"BS{n:03d}", name=f"Bench School {n}") for n in range(1, size.schools + 1)
    )
    schools = list(School.objects.order_by("pk"))
    marc_import_file(path=path, school=schools[0])
    record_ids = list(Record.objects.values_list("pk", flat=True))
    lap("records_import")

    today = timezone.localdate()
    closed = sorted({today + datetime.timedelta(days=rng.randint(1, 300)) for _ in range(30)})
    ClosedDay.objects.bulk_create(
        ClosedDay(school=s, date=d, reason="Holiday") for s in schools for d in closed
    )
    LoanPolicy.objects.bulk_create(
        LoanPolicy(school=s, patron_category=c, item_type="*", loan_days=d, max_loans=m)
        for s in schools
        for c, d, m in (("student", 14, 5), ("staff", 28, 25))
    )

    now = timezone.now()
    password = make_password(PASSWORD)
    person_columns = (
        "id", "password", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "sourced_id", "patron_barcode", "display_name",
        "grade", "homeroom", "home_languages", "english_learner", "keeps_reading_history",
        "preferred_language",
    )  # fmt: skip
    teachers = max(1, size.students // 20)
    total = size.students + teachers
    librarians = size.schools + desks + 1
    with transaction.atomic():
        ids = _ids(Person, total + librarians)
        people, members = [], []
        by_school: list[list[int]] = [[] for _ in schools]
        barcode: dict[int, str] = {}
        for n, pk in enumerate(ids[:total]):
            school_at = n % size.schools
            student = n < size.students
            langs = list(rng.choice(_LANGS)) if student else []
            code = f"P{n + 1:06d}"
            barcode[pk] = code
            people.append(
                [
                    pk, "!", False, f"bench{n + 1}", rng.choice(_GIVEN), rng.choice(_FAMILY),
                    f"bench{n + 1}@example.org", False, True, now, f"bench-{n + 1}", code, "",
                    rng.choice(_GRADES) if student else "", "", langs,
                    bool(langs) and rng.random() < 0.5 if student else None, False, "",
                ]
            )  # fmt: skip
            members.append([schools[school_at].pk, pk, "student" if student else "teacher", now])
            if student:
                by_school[school_at].append(pk)
        staff = ids[total:]
        logins = []
        for n, pk in enumerate(staff):
            school = schools[n % size.schools] if n < size.schools else None
            username = f"librarian{n + 1}"
            people.append(
                [pk, password, False, username, "Desk", f"Librarian {n + 1}", "", True, True, now,
                 None, None, "", "", "", [], None, False, ""]
            )  # fmt: skip
            logins.append((pk, username, school))
        _insert(Person, person_columns, people)
        del people
        lap("patrons")

        # Item ids and shelving.
        item_ids = _ids(Item, size.items)
        items, items_by_school = [], [[] for _ in schools]
        for n, pk in enumerate(item_ids):
            school_at = n % size.schools
            location, call, kind = rng.choice(_SHELVES)
            items.append(
                [pk, rng.choice(record_ids), schools[school_at].pk, f"3{n + 1:013d}", location,
                 call, kind, "1", ItemStatus.AVAILABLE, Decimal(rng.randint(800, 3000)) / 100,
                 datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3800)),
                 0, None, "", now, now]
            )  # fmt: skip
            items_by_school[school_at].append(pk)
        item_row = {row[0]: row for row in items}
        lap("items_prepared")

        # The desks: the latency desk and the concurrent ones, each with its own
        # patrons and copies; the first `desks` schools host them.
        desk_schools = [n % size.schools for n in range(desks)]
        plan_desks = []
        per_desk_items = -(-sustained // desks // 2) + 2
        for d, staff_at in enumerate(range(size.schools, size.schools + desks + 1)):
            pk, username, _ = logins[staff_at]
            school_at = 0 if d == 0 else desk_schools[d - 1]
            n_items = latency if d == 0 else per_desk_items
            n_patrons = n_items if d == 0 else max(2, n_items // 2 + 1)
            pool_items, pool_patrons = items_by_school[school_at], by_school[school_at]
            if len(pool_items) < n_items or len(pool_patrons) < n_patrons:
                raise ValueError("too few items or students at a desk's school for this plan")
            chosen_items = [pool_items.pop(rng.randrange(len(pool_items))) for _ in range(n_items)]
            chosen_patrons = [
                pool_patrons.pop(rng.randrange(len(pool_patrons))) for _ in range(n_patrons)
            ]
            logins[staff_at] = (pk, username, schools[school_at])
            plan_desks.append(
                {
                    "username": username,
                    "password": PASSWORD,
                    "school": schools[school_at].code,
                    "patrons": [barcode[p] for p in chosen_patrons],
                    "items": [item_row[i][3] for i in chosen_items],
                }
            )
        for pk, _username, school in logins:
            if school is not None:
                members.append([school.pk, pk, "librarian", now])
        _insert(
            Membership, ("school_id", "person_id", "role", "created_at"), members
        )  # ids by the database: nothing refers to them

        # The past: about one copy in ten out now (one or two per reader), and
        # three returned, anonymised loans per student with their events.
        loans, events, audits = [], [], []
        loan_ids = iter(_ids(Loan, size.items // 10 + 3 * size.students + 10))
        for school_at, school in enumerate(schools):
            readers = by_school[school_at]
            pool = items_by_school[school_at]
            rng.shuffle(pool)
            out = pool[: len(pool) // 10]
            for n, item_pk in enumerate(out):
                patron = readers[(n // 2) % len(readers)] if readers else None
                if patron is None:
                    break
                row = item_row[item_pk]
                when = now - datetime.timedelta(days=rng.randint(1, 20))
                due = when.date() + datetime.timedelta(days=14)
                row[8] = ItemStatus.CHECKED_OUT
                row[11] += 1
                row[12] = when.date()
                loans.append([next(loan_ids), item_pk, school.pk, patron, when, due, 0, None,
                              "", False])  # fmt: skip
                events.append(["checkout", when.date(), school.pk, item_pk, row[1], "", "", None])
                audits.append([when, None, school.pk, "circulation.checkout", "catalog.item",
                               str(item_pk), {}])  # fmt: skip
            for _ in range(3 * len(readers)):
                item_pk = rng.choice(pool)
                row = item_row[item_pk]
                when = now - datetime.timedelta(days=rng.randint(30, 700))
                back = when + datetime.timedelta(days=rng.randint(1, 20))
                loans.append([next(loan_ids), item_pk, school.pk, None, when,
                              when.date() + datetime.timedelta(days=14), 0, back, "returned",
                              True])  # fmt: skip
                row[11] += 1
                events.append(["checkout", when.date(), school.pk, item_pk, row[1],
                               rng.choice(("K-2", "3-5", "6-8", "9-12")), "", None])  # fmt: skip
                audits.append([when, None, school.pk, "circulation.checkout", "catalog.item",
                               str(item_pk), {}])  # fmt: skip
                audits.append([back, None, school.pk, "circulation.checkin", "catalog.item",
                               str(item_pk), {"to_hold_shelf": False}])  # fmt: skip
        _insert(
            Item,
            ("id", "record_id", "school_id", "barcode", "location", "call_number", "item_type",
             "copy_number", "status", "price", "acquired", "circulation_count",
             "last_circulated", "notes", "created_at", "updated_at", "section", "division"),
            [[*row, "other", ""] for row in items],
        )  # fmt: skip
        del items, item_row
        items_reshelve(record_ids)  # each copy's stored section, division and year
        lap("items")
        _insert(
            Loan,
            ("id", "item_id", "school_id", "patron_id", "checked_out_at", "due_on", "renewals",
             "returned_at", "outcome", "anonymized"),
            loans,
        )  # fmt: skip
        _insert(
            CirculationEvent,
            ("kind", "on", "school_id", "item_id", "record_id", "grade_band", "language_group",
             "english_learner"),
            events,
        )  # fmt: skip
        _insert(
            AuditEntry,
            ("at", "actor_id", "school_id", "action", "object_type", "object_id", "detail"),
            audits,
        )
        lap("history")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Bulk loads leave the planner without statistics until autovacuum
            # gets to them; a real district's database has them.
            cursor.execute("ANALYZE")
        lap("analyze")
    counts = {
        "schools": len(schools),
        "records": len(record_ids),
        "items": Item.objects.count(),
        "students": size.students,
        "teachers": teachers,
        "open_loans": Loan.objects.filter(returned_at=None).count(),
        "past_loans": Loan.objects.exclude(returned_at=None).count(),
        "events": CirculationEvent.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }
    return {
        "vendor": connection.vendor,
        "peak_mb": peak_rss_mb(),
        "timings": timings,
        "counts": counts,
        "latency_desk": plan_desks[0],
        "desks": plan_desks[1:],
    }


def check(*, checkouts: int) -> dict[str, Any]:
    """After the run: what the desks did, read back from the database."""
    from shelfwise.catalog.models import Item, ItemStatus
    from shelfwise.circulation.models import CirculationEvent, Loan

    since = timezone.now() - datetime.timedelta(hours=6)
    bench_loans = Loan.objects.filter(checked_out_at__gte=since)
    return {
        # Every copy marked out has its one open loan, and no other copy has one.
        "items_out": Item.objects.filter(status=ItemStatus.CHECKED_OUT).count(),
        "open_loans": Loan.objects.filter(returned_at=None).count(),
        "bench_loans": bench_loans.count(),
        "still_open": bench_loans.filter(returned_at=None).count(),
        "kept_patron_link": bench_loans.exclude(returned_at=None).exclude(patron=None).count(),
        "checkout_events": CirculationEvent.objects.filter(
            kind="checkout", on=timezone.localdate()
        ).count(),
        "expected_checkouts": checkouts,
    }
