"""`shelfwise reindex`: rebuild the search index from the catalog, from scratch."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from shelfwise.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the catalog search index from scratch (records, facets)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"{done}/{total}")

        count = reindex_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} records in {time.monotonic() - started:.1f} s.")
        )
