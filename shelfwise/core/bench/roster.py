"""`shelfwise bench roster`: a district's OneRoster set imported into a fresh database,
then imported again unchanged (which must change nothing)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from shelfwise.core.bench.common import bench_dir, fresh_database, peak_rss_mb, run_child

# Counters that say the import changed something; a re-import must leave them all at 0.
CHANGE_COUNTS = (
    "schools_created",
    "schools_updated",
    "people_created",
    "people_updated",
    "people_deactivated",
    "memberships_created",
    "classes_created",
    "classes_updated",
    "enrollments_created",
    "enrollments_updated",
    "enrollments_removed",
    "rejected",
)


def roster_folder(*, students: int, teachers: int, schools: int) -> Path:
    """The generated roster for these sizes, written once and kept under var/bench."""
    from shelfwise.oneroster.generate import write_roster

    folder = bench_dir() / f"roster-{schools}-{students}-{teachers}"
    if not (folder / "enrollments.csv").exists():
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        write_roster(tmp, schools=schools, students=students, teachers=teachers)
        try:
            tmp.rename(folder)
        except OSError:
            if (folder / "enrollments.csv").exists():  # another run wrote it meanwhile
                shutil.rmtree(tmp, ignore_errors=True)
            else:  # what an interrupted run left
                shutil.rmtree(folder, ignore_errors=True)
                tmp.rename(folder)
    return folder


def bench_roster(
    *, students: int, teachers: int, schools: int, database_url: str | None, write: Any
) -> dict[str, Any]:
    started = time.perf_counter()
    folder = roster_folder(students=students, teachers=teachers, schools=schools)
    write(f"roster: {folder} (ready in {time.perf_counter() - started:.1f} s)")
    with fresh_database(database_url, "roster") as env:
        result = run_child(["bench_roster_child", str(folder)], env)
    first, second = result["first"], result["second"]
    write(
        f"roster import ({result['vendor']}): {result['rows']['people']} people, "
        f"{result['rows']['classes']} classes, {result['rows']['enrollments']} enrollments, "
        f"{result['rows']['memberships']} memberships\n"
        f"  first import:   {first['seconds']:.1f} s  "
        f"(created: {first['counts'].get('people_created', 0)} people, "
        f"{first['counts'].get('classes_created', 0)} classes, "
        f"{first['counts'].get('enrollments_created', 0)} enrollments; "
        f"rejected {first['counts'].get('rejected', 0)})\n"
        f"  re-import:      {second['seconds']:.1f} s  "
        f"(changed nothing: {second['unchanged']}; "
        f"people unchanged {second['counts'].get('people_unchanged', 0)})\n"
        f"  reading the CSVs alone: {result['read_seconds']:.1f} s\n"
        f"  peak memory: {first['peak_mb']:.0f} MB after the first import, "
        f"{second['peak_mb']:.0f} MB after both"
    )
    if not second["unchanged"]:
        raise AssertionError(f"the re-import changed something: {second['counts']}")
    return result


def roster_child(folder: Path) -> dict[str, Any]:
    """Runs in the fresh database: import, import again, count rows."""
    from django.db import connection

    from shelfwise.oneroster import read_roster
    from shelfwise.people.models import Enrollment, Membership, Person, SchoolClass
    from shelfwise.people.rostering import roster_import

    started = time.perf_counter()
    read_roster(folder)
    read_seconds = time.perf_counter() - started

    figures = {}
    for name in ("first", "second"):
        started = time.perf_counter()
        job = roster_import(path=folder)
        seconds = time.perf_counter() - started
        counts = dict(job.counts)
        figures[name] = {
            "seconds": seconds,
            "counts": counts,
            "unchanged": not any(counts.get(k) for k in CHANGE_COUNTS),
            "peak_mb": peak_rss_mb(),
        }
    return {
        "vendor": connection.vendor,
        "read_seconds": read_seconds,
        "rows": {
            "people": Person.objects.count(),
            "memberships": Membership.objects.count(),
            "classes": SchoolClass.objects.count(),
            "enrollments": Enrollment.objects.count(),
        },
        **figures,
    }
