"""`shelfwise bench reports`: the collection reports on a district of `schools` schools ×
`items` copies (default 25 × 40,000 = 1,000,000), timed for one school and for the
district.

The child process (`bench_reports_child`, in the collection app) writes the
catalog, search facets, students and a year of anonymous circulation events
with raw inserts, then times each report as its page builds it (selectors,
tables and the matplotlib chart): once cold, then the median of three.
Targets (issue 6): under 1 s a report for a 40,000-copy school, under 10 s
for a 1,000,000-copy district.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from shelfwise.core.bench.common import fresh_database, run_child

SCHOOL_TARGET, DISTRICT_TARGET = 1.0, 10.0


def bench_reports(
    *,
    schools: int,
    items: int,
    students: int,
    database_url: str | None,
    write: Callable[[str], Any],
) -> dict[str, Any]:
    with fresh_database(database_url, "reports") as env:
        write(
            f"building {schools} schools × {items:,} copies and {students:,} students each … "
            f"({datetime.datetime.now():%H:%M:%S})"
        )
        result = run_child(
            [
                "bench_reports_child",
                f"--schools={schools}",
                f"--items={items}",
                f"--students={students}",
            ],
            env,
        )
    load = os.getloadavg()
    write(
        f"reports ({result['vendor']}): {result['items']:,} copies of {result['records']:,} "
        f"records in {schools} schools, {result['students']:,} students, "
        f"{result['events']:,} circulation events (built in {result['build_seconds']:.0f} s)\n"
        f"  load average after the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"on {os.cpu_count()} cores"
    )
    for scope, target in (("school", SCHOOL_TARGET), ("district", DISTRICT_TARGET)):
        write(f"  {scope} ({'one school' if scope == 'school' else 'all schools'}):")
        for name, figures in result[scope].items():
            verdict = "ok" if figures["median"] < target else "SLOW"
            write(
                f"    {name:<12} cold {figures['cold']:6.2f} s   median of 3 "
                f"{figures['median']:6.2f} s (chart {figures.get('chart', 0):4.2f} s)   "
                f"target < {target:.0f} s  {verdict}"
            )
    return result


# ---------------------------------------------------------------- child side

LANGUAGES = (("eng", 80), ("spa", 10), ("ara", 3), ("chi", 2), ("vie", 2), ("som", 1), ("fre", 2))
HOME = (("eng", 65), ("spa", 20), ("ara", 6), ("vie", 3), ("som", 3), ("chi", 3))
GRADES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _insert(model, columns, rows) -> None:
    """insert_rows with every other column at its model default (raw INSERTs get no
    Django defaults, and most text columns are NOT NULL)."""
    from django.utils import timezone

    from shelfwise.catalog.bulk import insert_rows

    now = timezone.now()
    rest, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname in columns or f.primary_key or f.null:
            continue
        rest.append(f.attname)
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        values.append(now if auto else f.get_default())
    for start in range(0, len(rows), 20_000):
        chunk = [(*row, *values) for row in rows[start : start + 20_000]]
        insert_rows(model, (*columns, *rest), chunk)


def build(*, schools: int, items: int, students: int) -> dict[str, Any]:
    """Write the district with raw inserts (the import's `insert_rows`), one transaction a table."""
    from django.db import transaction

    from shelfwise.catalog.bulk import allocate_ids
    from shelfwise.catalog.models import Item, Record
    from shelfwise.catalog.shelving import shelf_place
    from shelfwise.circulation.models import CirculationEvent
    from shelfwise.people.models import Membership, Person
    from shelfwise.schools.models import School
    from shelfwise.search.bands import record_bands
    from shelfwise.search.models import SearchFacet

    rng = random.Random(6)
    today = datetime.date.today()
    n_records = max(1000, schools * items // 5)
    school_rows = [
        School.objects.create(code=f"S{n:03d}", name=f"School {n}") for n in range(schools)
    ]
    records: list[tuple[int, str, str, int]] = []  # (pk, section, division, pub_year)
    with transaction.atomic():
        ids = allocate_ids(Record, n_records)
        rows, facets = [], []
        for pk in ids:
            fiction = rng.random() < 0.35
            dewey = "" if fiction else f"{rng.randrange(1000):03d}.{rng.randrange(100):02d}"
            langs = [_pick(rng, LANGUAGES)]
            if langs[0] != "eng" and rng.random() < 0.3:
                langs.append("eng")  # bilingual
            lexile = rng.randrange(100, 1400, 10) if rng.random() < 0.7 else None
            year = rng.randrange(1965, today.year + 1)
            rows.append(
                (
                    pk,
                    f"Title {pk}",
                    year,
                    langs,
                    dewey,
                    fiction,
                    lexile,
                    b"",
                    "x",
                )
            )
            facets += [(pk, "language", code) for code in langs]
            facets += [(pk, "band", band) for band in record_bands(lexile=lexile)]
            section, division = shelf_place(
                call_number="",
                location="",
                format="book",
                is_biography=False,
                is_fiction=fiction,
                dewey=dewey,
            )
            records.append((pk, section, division, year))
        _insert(
            Record,
            (
                "id",
                "title",
                "pub_year",
                "languages",
                "dewey",
                "is_fiction",
                "lexile",
                "marc",
                "content_hash",
            ),
            rows,
        )
        _insert(SearchFacet, ("record_id", "name", "value"), facets)
    statuses = ["available"] * 90 + ["checked_out"] * 8 + ["withdrawn", "lost"]
    item_pks: dict[int, list[tuple[int, int]]] = {}
    for school in school_rows:
        with transaction.atomic():
            ids = allocate_ids(Item, items)
            rows, held = [], []
            for pk in ids:
                record_pk, section, division, year = records[rng.randrange(len(records))]
                last = (
                    today - datetime.timedelta(days=rng.randrange(1, 365 * 6))
                    if rng.random() < 0.6
                    else None
                )
                rows.append(
                    (
                        pk,
                        record_pk,
                        school.pk,
                        f"{school.code}-{pk}",
                        rng.choice(statuses),
                        last,
                        today - datetime.timedelta(days=rng.randrange(30, 365 * 20)),
                        "",
                        "",
                        "book",
                        "",
                        section,
                        division,
                        year,
                    )
                )
                held.append((pk, record_pk))
            _insert(
                Item,
                (
                    "id",
                    "record_id",
                    "school_id",
                    "barcode",
                    "status",
                    "last_circulated",
                    "acquired",
                    "call_number",
                    "location",
                    "item_type",
                    "notes",
                    "section",
                    "division",
                    "pub_year",
                ),
                rows,
            )
            item_pks[school.pk] = held
    with transaction.atomic():
        people, memberships, events = [], [], []
        person_ids = allocate_ids(Person, students * schools)
        now = datetime.datetime.now(datetime.UTC)
        n = 0
        for school in school_rows:
            for _ in range(students):
                pk = person_ids[n]
                n += 1
                langs = [_pick(rng, HOME)]
                people.append(
                    (
                        pk,
                        f"s{pk}",
                        "!",
                        True,
                        False,
                        False,
                        now,
                        rng.choice(GRADES),
                        langs,
                        langs[0] != "eng" and rng.random() < 0.5,
                        "",
                        "",
                        "",
                        "",
                        False,
                        "",
                    )
                )
                memberships.append((pk, school.pk, "student", now))
            held = item_pks[school.pk]
            for _ in range(items // 5):  # a year of check-outs: 0.2 a copy
                item_pk, record_pk = held[rng.randrange(len(held))]
                events.append(
                    (
                        "checkout",
                        today - datetime.timedelta(days=rng.randrange(365)),
                        school.pk,
                        item_pk,
                        record_pk,
                        "6-8",
                        _pick(rng, HOME),
                        rng.random() < 0.2,
                    )
                )
        _insert(
            Person,
            (
                "id",
                "username",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
                "grade",
                "home_languages",
                "english_learner",
                "first_name",
                "last_name",
                "email",
                "display_name",
                "keeps_reading_history",
                "homeroom",
            ),
            people,
        )
        _insert(Membership, ("person_id", "school_id", "role", "created_at"), memberships)
        _insert(
            CirculationEvent,
            (
                "kind",
                "on",
                "school_id",
                "item_id",
                "record_id",
                "grade_band",
                "language_group",
                "english_learner",
            ),
            events,
        )
    return {
        "records": n_records,
        "items": items * schools,
        "students": students * schools,
        "events": len(events),
        "school_ids": [s.pk for s in school_rows],
    }


def time_reports(school_ids: list[int], *, school) -> dict[str, dict[str, float]]:
    """Each report as its page builds it (numbers, tables, chart), cold then median of 3."""
    from django.db import connection

    from shelfwise.collection import reports, selectors
    from shelfwise.collection.charts import bar_chart_svg
    from shelfwise.collection.weeding import weeding_list

    today = datetime.date.today()

    chart_seconds: list[float] = []

    def page(report) -> None:
        started = time.perf_counter()
        bar_chart_svg(labels=report.chart_labels, series=report.chart_series)
        chart_seconds.append(time.perf_counter() - started)

    jobs = {
        "profile": lambda: page(reports.profile_report(school_ids=school_ids, today=today)),
        "use": lambda: page(reports.use_report(school_ids=school_ids, today=today)),
        "languages": lambda: page(
            reports.language_report(
                coverage=selectors.language_coverage(school_ids=school_ids, today=today)
            )
        ),
        "reading": lambda: page(reports.reading_report(school_ids=school_ids)),
    }
    if len(school_ids) == 1:
        jobs["weeding 500s"] = lambda: weeding_list(school=school, section="500", today=today)
    else:
        from shelfwise.schools.models import School

        jobs["district"] = lambda: page(
            reports.district_report(schools=School.objects.all(), today=today)
        )
    out = {}
    for name, job in jobs.items():
        runs = []
        for _ in range(4):
            started = time.perf_counter()
            job()
            runs.append(time.perf_counter() - started)
        out[name] = {"cold": runs[0], "median": statistics.median(runs[1:])}
        if chart_seconds:
            out[name]["chart"] = statistics.median(chart_seconds[1:] or chart_seconds)
        chart_seconds.clear()
    connection.close()
    return out
