"""`shelfwise bench import|circulation|roster`: figures for the paths that must stay fast.

`import` generates (or takes) a MARC file, measures pymarc's parse-only rate
on it as the ceiling, then imports it into a fresh database in a child
process and prints records/s, items/s, peak memory and the ratio to the
ceiling. `circulation` and `roster` live in `shelfwise.core.bench`.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.core.bench.common import fresh_database, peak_rss_mb, run_child

__all__ = ["Command", "peak_rss_mb"]


class Command(BaseCommand):
    help = (
        "Benchmarks. `bench import --records N` measures MARC import; `bench circulation` "
        "the desk over HTTP; `bench roster` a district's OneRoster import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what", choices=["import", "circulation", "roster", "search", "sip2", "reports"]
        )
        parser.add_argument(
            "--records",
            type=int,
            default=None,
            help="import: records in the generated file (default 100,000); "
            "circulation: catalog records (default: by size)",
        )
        parser.add_argument("--file", type=Path, help="import this file instead of a generated one")
        parser.add_argument(
            "--repeat",
            type=int,
            default=1,
            help="import: measure the ceiling and the import this many times, taking turns "
            "(a shared machine's speed drifts minute to minute); the ratio is given "
            "best to best and median to median",
        )
        parser.add_argument(
            "--database-url",
            help="server to benchmark on: a fresh database is created there "
            "(default: a fresh SQLite file). postgres://… for PostgreSQL.",
        )
        group = parser.add_argument_group("circulation and roster")
        group.add_argument(
            "--size",
            choices=["school", "district", "both"],
            default="both",
            help="circulation: the school (3,000 students, 40,000 items), the district "
            "(50,000 patrons, 500,000 items) or both, one after the other",
        )
        group.add_argument("--students", type=int, help="override the size's student count")
        group.add_argument("--items", type=int, help="circulation: override the item count")
        group.add_argument("--schools", type=int, help="override the size's school count")
        group.add_argument("--teachers", type=int, help="roster: teachers (default 2,000)")
        group.add_argument(
            "--transactions",
            type=int,
            default=500,
            help="circulation: timed check-outs (and as many check-ins) on one desk",
        )
        group.add_argument(
            "--sustained",
            type=int,
            default=2000,
            help="circulation: transactions in the concurrent run, shared by the desks",
        )
        group.add_argument("--desks", type=int, default=4, help="circulation: concurrent desks")
        group.add_argument(
            "--kiosks", type=int, default=20, help="sip2: concurrent kiosk connections"
        )
        group.add_argument("--seconds", type=float, default=20, help="sip2: timed run length")
        group.add_argument(
            "--processes",
            type=int,
            default=None,
            help="sip2: server worker processes (default: one a core)",
        )
        parser.add_argument(
            "--queries", type=int, default=200, help="search: queries in the fixed mix (200)"
        )
        group.add_argument(
            "--workers",
            type=int,
            help="circulation: gunicorn workers (default: one a core, at least 2)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "search":
            from shelfwise.core.bench.search import bench_search

            bench_search(
                records=options["records"] or 300_000,
                items=options["items"] or 1_000_000,
                queries=options["queries"],
                database_url=options["database_url"],
                write=self.stdout.write,
            )
            return
        if options["what"] == "reports":
            from shelfwise.core.bench.reports import bench_reports

            bench_reports(
                schools=options["schools"] or 25,
                items=options["items"] or 40_000,
                students=options["students"] or 1_000,
                database_url=options["database_url"],
                write=self.stdout.write,
            )
            return
        if options["what"] == "sip2":
            from shelfwise.core.bench.sip2 import bench_sip2

            bench_sip2(options=options, write=self.stdout.write)
            return
        if options["what"] == "roster":
            from shelfwise.core.bench.roster import bench_roster

            bench_roster(
                students=options["students"] or 50_000,
                teachers=options["teachers"] or 2_000,
                schools=options["schools"] or 2,
                database_url=options["database_url"],
                write=self.stdout.write,
            )
            return
        if options["what"] == "circulation":
            from shelfwise.core.bench.circulation import bench_circulation

            bench_circulation(options=options, write=self.stdout.write)
            return
        path = options["file"] or self._generated_file(options["records"] or 100_000)
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        size_mb = path.stat().st_size / 1e6
        self.stdout.write(f"file: {path} ({size_mb:.1f} MB)")
        repeat = max(1, options["repeat"])
        ceilings, results = [], []
        for turn in range(1, repeat + 1):
            ceiling = _pymarc_parse_rate(path)
            ceilings.append(ceiling)
            self.stdout.write(
                f"[{turn}/{repeat}] pymarc parse only: {ceiling['records']} records in "
                f"{ceiling['seconds']:.1f} s = {ceiling['rate']:.0f} records/s"
            )
            result = self._import_in_fresh_db(path, options["database_url"])
            result["rate"] = result["records"] / result["seconds"]
            results.append(result)
            self.stdout.write(
                f"[{turn}/{repeat}] import ({result['vendor']}): {result['records']} records, "
                f"{result['items']} items in {result['seconds']:.1f} s = "
                f"{result['rate']:.0f} records/s, {result['peak_mb']:.0f} MB"
            )
        # A single-threaded parse on this shared machine drifts by a fifth from one
        # run to the next (5,000-6,700 records/s on an idle machine), more than the
        # import, on both cores for 40 s, does: the ratio is given median to median
        # and best to best, never the best import against a median ceiling.
        ceiling_rates = sorted(c["rate"] for c in ceilings)
        import_rates = sorted(r["rate"] for r in results)
        result = max(results, key=lambda r: r["rate"])
        rate = result["rate"]
        best = " (best of the runs)" if repeat > 1 else ""
        median_ratio = statistics.median(import_rates) / statistics.median(ceiling_rates)
        self.stdout.write(
            f"import ({result['vendor']}){best}: {result['records']} records, "
            f"{result['items']} items in {result['seconds']:.1f} s\n"
            f"  records/s: {rate:.0f} (median {statistics.median(import_rates):.0f})\n"
            f"  items/s:   {result['items'] / result['seconds']:.0f}\n"
            f"  peak memory (largest import process, any run): "
            f"{max(r['peak_mb'] for r in results):.0f} MB\n"
            f"  pymarc parse-only ceiling: best {ceiling_rates[-1]:.0f} records/s, "
            f"median {statistics.median(ceiling_rates):.0f} (of {len(ceiling_rates)})\n"
            f"  ratio to pymarc parse-only: {100 * rate / ceiling_rates[-1]:.1f}% best to best, "
            f"{100 * median_ratio:.1f}% median to median"
        )

    def _generated_file(self, count: int) -> Path:
        from shelfwise.catalog.generate import bench_records, write_marc_file

        folder = Path(settings.VAR_DIR) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"bench-{count}.mrc"
        if not path.exists():
            self.stdout.write(f"generating {count} records …")
            started = time.perf_counter()
            tmp = path.with_suffix(".tmp")
            write_marc_file(bench_records(count=count), tmp)
            tmp.rename(path)
            self.stdout.write(f"  generated in {time.perf_counter() - started:.1f} s")
        return path

    def _import_in_fresh_db(self, path: Path, database_url: str | None) -> dict[str, Any]:
        with fresh_database(database_url, "import") as env:
            return run_child(["bench_import_child", str(path)], env)


def _pymarc_parse_rate(path: Path) -> dict[str, Any]:
    import pymarc

    started = time.perf_counter()
    count = 0
    with open(path, "rb") as stream:
        for record in pymarc.MARCReader(
            stream, to_unicode=True, force_utf8=True, utf8_handling="replace"
        ):
            if record is not None:
                count += 1
    seconds = time.perf_counter() - started
    return {"records": count, "seconds": seconds, "rate": count / seconds}
