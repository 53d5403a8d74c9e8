"""Background tasks of the catalog. The worker (`shelfwise db_worker`) runs them;
tests run them inline (the immediate backend)."""

from __future__ import annotations

import contextlib
import os

from django_tasks import task

from shelfwise.catalog.importing import marc_import_run
from shelfwise.catalog.models import ImportJob
from shelfwise.marc.reader import NotMarcError


@task()
def run_marc_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("school", "started_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return  # already run (a task delivered twice must not import twice)
    try:
        marc_import_run(job=job)
    except NotMarcError:
        pass  # the job row carries the error for the librarian to read
    finally:
        # The upload was a working copy; the catalog now holds the records.
        with contextlib.suppress(OSError):
            os.remove(job.path)
