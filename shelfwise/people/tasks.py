"""Background tasks of people: the OneRoster import uploaded from the web.

The worker (`shelfwise db_worker`) runs them; tests run them inline (the
immediate backend). The job row carries status, counts and errors for the
progress page.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from shelfwise.oneroster import NotOneRosterError, read_roster
from shelfwise.people.models import RosterImport
from shelfwise.people.permissions import has_perm, is_district_admin
from shelfwise.people.rostering import roster_import_run
from shelfwise.schools.models import School

log = logging.getLogger(__name__)


def roster_schools_not_allowed(*, job: RosterImport) -> list[School]:
    """Schools already in Shelfwise that the roster names but its uploader may not roster.

    A librarian rosters their own school; the district administrator any.
    New schools the roster brings are allowed (they have no one to protect yet).
    """
    person = job.started_by
    if person is None or is_district_admin(person):
        return []
    try:
        roster = read_roster(job.path)
    except NotOneRosterError:
        return []  # the import itself says why
    by_sid = {s.sourced_id: s for s in School.objects.exclude(sourced_id="")}
    by_code = {s.code.upper(): s for s in School.objects.all()}
    named: dict[int, School] = {}
    for org in roster.orgs:
        school = by_sid.get(org.sourced_id) or by_code.get((org.identifier or "").upper())
        if school is not None:
            named[school.pk] = school
    return [s for s in named.values() if not has_perm(person, "people.import_roster", s)]


def _fail(job: RosterImport, message: str) -> None:
    job.status = RosterImport.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


@task()
def run_roster_import(job_id: int, language: str = "en") -> None:
    job = RosterImport.objects.select_related("started_by").get(pk=job_id)
    if job.status != RosterImport.Status.QUEUED:
        return  # already run (a task delivered twice must not import twice)
    stored = Path(job.path)
    try:
        with translation.override(language):
            refused = roster_schools_not_allowed(job=job)
            if refused:
                _fail(
                    job,
                    _(
                        "The roster names schools you may not roster: %(schools)s. "
                        "Ask the district administrator to import it."
                    )
                    % {"schools": ", ".join(sorted(s.name for s in refused))},
                )
                return
            try:
                roster_import_run(job=job)
            except NotOneRosterError:
                # The message names our stored copy; the librarian knows their file.
                job.error = job.error.replace(str(stored), job.filename).replace(
                    stored.name, job.filename
                )
                job.save(update_fields=["error"])
            except Exception:
                log.exception("roster import %s failed", job.pk)
                _fail(
                    job,
                    _(
                        "An unexpected error stopped the import. The error was logged "
                        "for the administrator."
                    ),
                )
                raise
    finally:
        # The upload was a working copy full of students' data; the database now
        # holds what was imported.
        with contextlib.suppress(OSError):
            os.remove(stored)
