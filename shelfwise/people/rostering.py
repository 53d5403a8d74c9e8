"""Rostering: apply a OneRoster set (read by `shelfwise.oneroster`) to schools, people,
classes and enrollments.

Idempotent by sourcedId. A bulk users file is the whole truth for the schools
it covers: a person it no longer lists is deactivated, never deleted, and if
they still have copies out, the librarian gets the list. A delta file applies
only what it carries. Everything lands in one transaction, so a failure
leaves nothing half-applied; rejected rows are reported with file, line and
reason and the rest lands.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from shelfwise.audit.services import audit_log
from shelfwise.oneroster import NotOneRosterError, RosterSet, read_roster
from shelfwise.people.barcodes import next_patron_barcodes
from shelfwise.people.models import (
    Enrollment,
    Membership,
    Person,
    RosterImport,
    RosterIssue,
    SchoolClass,
)
from shelfwise.people.roles import Role
from shelfwise.schools.models import School

log = logging.getLogger(__name__)

# Decision: OneRoster staff roles get the teacher role (they may plan with the
# library and book it); family roles get no library account. Roles granted
# by hand (librarian, ELL specialist, district admin, aide) are never
# overwritten by a roster.
ROLE_MAP = {
    "student": Role.STUDENT,
    "teacher": Role.TEACHER,
    "administrator": Role.TEACHER,
    "aide": Role.TEACHER,
    "proctor": Role.TEACHER,
}
_KEEP_ROLES = {Role.LIBRARIAN, Role.ELL_SPECIALIST, Role.DISTRICT_ADMIN, Role.AIDE}
_PERSON_FIELDS = ("username", "first_name", "last_name", "email", "grade", "is_active")
_ENROLLMENT_FIELDS = ("school_class_id", "person_id", "role", "primary")
BATCH = 1000


@dataclass
class _Counts:
    values: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, n: int = 1) -> None:
        self.values[name] += n


def roster_import(*, path: Path, by: Any = None) -> RosterImport:
    job = RosterImport.objects.create(started_by=by, filename=Path(path).name, path=str(path))
    return roster_import_run(job=job)


def roster_import_run(*, job: RosterImport) -> RosterImport:
    job.status = RosterImport.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        roster = read_roster(job.path)
    except NotOneRosterError as exc:
        job.status = RosterImport.Status.FAILED
        job.error = str(exc)
        job.finished_at = timezone.now()
        job.save()
        raise
    with transaction.atomic():
        _Apply(job, roster).run()
        job.status = RosterImport.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        audit_log(
            actor=job.started_by, action="people.import_oneroster", obj=job, **dict(job.counts)
        )
    return job


def _school_code(org, taken: set[str]) -> str:
    base = (
        re.sub(r"[^A-Za-z0-9_-]", "", org.identifier or "")[:16]
        or re.sub(r"[^A-Za-z0-9_-]", "", org.sourced_id)[:12]
        or "SCHOOL"
    )
    code, n = base, 1
    while code.upper() in taken:
        n += 1
        code = f"{base[:12]}-{n}"
    taken.add(code.upper())
    return code


class _Apply:
    def __init__(self, job: RosterImport, roster: RosterSet) -> None:
        self.job = job
        self.roster = roster
        self.counts = _Counts()
        self.issues: list[RosterIssue] = [
            RosterIssue(
                job=job,
                kind="rejected",
                file=e.file,
                line=e.line,
                sourced_id=e.sourced_id[:255],
                message=e.reason,
            )
            for e in roster.errors
        ]
        self.warnings: list[str] = list(roster.warnings)

    def reject(self, file: str, sourced_id: str, message: str) -> None:
        self.issues.append(
            RosterIssue(
                job=self.job,
                kind="rejected",
                file=file,
                sourced_id=sourced_id[:255],
                message=message,
            )
        )

    def run(self) -> None:
        # The schools this roster speaks for (its orgs.csv): a bulk file is the
        # whole truth for them, and for no other school.
        self.covered: set[int] = set()
        schools = self._schools()
        people = self._people(schools)
        classes = self._classes(schools)
        self._enrollments(people, classes)
        RosterIssue.objects.bulk_create(self.issues, batch_size=BATCH)
        self.counts.add("rejected", sum(1 for i in self.issues if i.kind == "rejected"))
        self.job.counts = dict(self.counts.values)
        self.job.warnings = self.warnings

    # --- schools ---------------------------------------------------------
    def _schools(self) -> dict[str, School]:
        """{org sourcedId: School} for every school org, creating schools first seen."""
        by_sid = {s.sourced_id: s for s in School.objects.exclude(sourced_id="")}
        by_code = {s.code.upper(): s for s in School.objects.all()}
        taken = set(by_code)
        # Decision: an org that classes or enrollments name as their school is
        # a school here, whatever its type (real rosters use "department").
        used_as_school = {c.school_sourced_id for c in self.roster.classes} | {
            e.school_sourced_id for e in self.roster.enrollments
        }
        for org in self.roster.orgs:
            if org.status in ("tobedeleted", "inactive"):
                continue
            if org.type != "school":
                if org.sourced_id not in used_as_school:
                    continue
                self.warnings.append(
                    f"org '{org.sourced_id}' ({org.type}) is the school of "
                    "classes or enrollments; treated as a school"
                )
            school = by_sid.get(org.sourced_id) or by_code.get((org.identifier or "").upper())
            if school is None:
                school = School.objects.create(
                    code=_school_code(org, taken), name=org.name[:200], sourced_id=org.sourced_id
                )
                self.counts.add("schools_created")
            elif school.sourced_id != org.sourced_id or school.name != org.name[:200]:
                school.sourced_id = org.sourced_id
                school.name = org.name[:200]
                school.save(update_fields=["sourced_id", "name"])
                self.counts.add("schools_updated")
            by_sid[org.sourced_id] = school
            self.covered.add(school.pk)
        return by_sid

    # --- people ----------------------------------------------------------
    # Existing rows are read as tuples, not model instances: a district has
    # tens of thousands of people and hundreds of thousands of enrollments, and
    # building a model object for each costs more than the rest of the import.
    def _people(self, schools: dict[str, School]) -> dict[str, int]:
        """{sourcedId: person pk} for every person of the roster that landed."""
        users = self.roster.users
        existing = {
            row[0]: row[1:]
            for row in Person.objects.exclude(sourced_id=None)
            .order_by()
            .values_list("sourced_id", "id", *_PERSON_FIELDS)
            .iterator(chunk_size=5000)
        }
        usernames = dict(Person.objects.order_by().values_list("username", "sourced_id"))
        memberships = {
            (m[0], m[1]): m[2]
            for m in Membership.objects.order_by().values_list("person_id", "school_id", "role")
        }
        active_at = 1 + _PERSON_FIELDS.index("is_active")
        new: dict[str, Person] = {}
        changed: list[Person] = []
        wanted_memberships: list[tuple[str, School, str]] = []
        people: dict[str, int] = {}
        for user in users:
            role = ROLE_MAP.get(user.role)
            if role is None:
                self.counts.add("skipped_family_accounts")
                continue
            user_schools = [schools[o] for o in user.org_sourced_ids if o in schools]
            if not user_schools:
                self.reject(
                    "users.csv",
                    user.sourced_id,
                    "none of the user's orgSourcedIds is a school in Shelfwise",
                )
                continue
            owner = usernames.get(user.username, user.sourced_id)
            if owner != user.sourced_id:
                self.reject(
                    "users.csv",
                    user.sourced_id,
                    f"username '{user.username}' already belongs to another person",
                )
                continue
            values = (
                user.username[:150],
                user.given_name[:150],
                user.family_name[:150],
                user.email[:254],
                (user.grades[0] if user.grades and role == Role.STUDENT else "")[:8],
                user.enabled and user.status not in ("tobedeleted", "inactive"),
            )
            current = existing.get(user.sourced_id)
            if current is None:
                person = Person(
                    sourced_id=user.sourced_id, **dict(zip(_PERSON_FIELDS, values, strict=True))
                )
                person.set_unusable_password()
                new[user.sourced_id] = person
                usernames[user.username] = user.sourced_id
            else:
                people[user.sourced_id] = current[0]
                if current[1:] != values:
                    changed.append(
                        Person(pk=current[0], **dict(zip(_PERSON_FIELDS, values, strict=True)))
                    )
                    if current[active_at] and not values[active_at - 1]:
                        self.counts.add("people_deactivated")
                else:
                    self.counts.add("people_unchanged")
            wanted_memberships.extend((user.sourced_id, s, role) for s in user_schools)

        barcodes = iter(next_patron_barcodes(len(new)))
        for person in new.values():
            person.patron_barcode = next(barcodes)
        Person.objects.bulk_create(new.values(), batch_size=BATCH)
        people.update((sid, person.pk) for sid, person in new.items())
        Person.objects.bulk_update(changed, list(_PERSON_FIELDS), batch_size=BATCH)
        self.counts.add("people_created", len(new))
        self.counts.add("people_updated", len(changed))

        create, update = [], []
        for sourced_id, school, role in wanted_memberships:
            person_id = people[sourced_id]
            current = memberships.get((person_id, school.pk))
            if current is None:
                create.append(Membership(person_id=person_id, school=school, role=role))
                memberships[(person_id, school.pk)] = role
            elif current != role and current not in _KEEP_ROLES:
                update.append((person_id, school.pk, role))
        Membership.objects.bulk_create(create, batch_size=BATCH, ignore_conflicts=True)
        for person_id, school_id, role in update:
            Membership.objects.filter(person_id=person_id, school_id=school_id).update(role=role)
        self.counts.add("memberships_created", len(create))

        if self.roster.modes.get("users.csv") == "bulk":
            # People whose rows were sent but rejected (or skipped by us) have
            # not left: a typo in the SIS must not deactivate a student.
            sent = {u.sourced_id for u in users} | self.roster.rejected_ids("users.csv")
            self._deactivate_absent(sent, {s for s in schools.values() if s.pk in self.covered})
        leaving = [
            people[u.sourced_id]
            for u in users
            if u.status == "tobedeleted" and u.sourced_id in people
        ]
        self._report_open_loans(leaving)
        return people

    def _deactivate_absent(self, present: set[str], schools: set[School]) -> None:
        """A bulk roster lists everyone: those it leaves out have left."""
        # Filtered in Python: a 50,000-id NOT IN would pass SQLite's parameter limit.
        gone = [
            pk
            for pk, sourced_id in Person.objects.filter(
                is_active=True, memberships__school__in=schools
            )
            .exclude(sourced_id=None)
            .distinct()
            .values_list("pk", "sourced_id")
            if sourced_id not in present
        ]
        self._report_open_loans(gone)
        for start in range(0, len(gone), BATCH):
            Person.objects.filter(pk__in=gone[start : start + BATCH]).update(is_active=False)
        self.counts.add("people_deactivated", len(gone))

    def _report_open_loans(self, person_ids: list[int]) -> None:
        """List, for the librarian, what each of these leavers still has out."""
        from shelfwise.circulation.models import Loan

        loans: dict[int, list[Loan]] = defaultdict(list)
        for start in range(0, len(person_ids), BATCH):
            for loan in Loan.objects.filter(
                patron_id__in=person_ids[start : start + BATCH], returned_at=None
            ).select_related("item__record", "patron"):
                loans[loan.patron_id].append(loan)
        for person_id in person_ids:
            if not loans.get(person_id):
                continue
            out = loans.pop(person_id)
            person = out[0].patron
            listing = "; ".join(
                f"{loan.item.barcode} {loan.item.record.title[:60]}" for loan in out
            )
            self.issues.append(
                RosterIssue(
                    job=self.job,
                    kind="left_with_loans",
                    person=person,
                    sourced_id=person.sourced_id or "",
                    message=f"{person.full_name or person.username} left with "
                    f"{len(out)} item(s) out: {listing}",
                )
            )

    # --- classes and enrollments ----------------------------------------
    def _classes(self, schools: dict[str, School]) -> dict[str, SchoolClass]:
        courses = {c.sourced_id: c for c in self.roster.courses}
        years = {s.sourced_id: s.school_year for s in self.roster.sessions}
        existing = {c.sourced_id: c for c in SchoolClass.objects.all()}
        new, changed = [], []
        for row in self.roster.classes:
            school = schools.get(row.school_sourced_id)
            if school is None:
                self.reject(
                    "classes.csv",
                    row.sourced_id,
                    f"schoolSourcedId '{row.school_sourced_id}' is not a school",
                )
                continue
            course = courses.get(row.course_sourced_id)
            values = {
                "school_id": school.pk,
                "title": row.title[:255],
                "class_code": row.class_code[:100],
                "course_title": course.title[:255] if course else "",
                "grades": list(row.grades),
                "subjects": list(row.subjects),
                "periods": list(row.periods),
                "school_year": next((years[t] for t in row.term_sourced_ids if t in years), "")[
                    :20
                ],
                "active": row.status not in ("tobedeleted", "inactive"),
            }
            current = existing.get(row.sourced_id)
            if current is None:
                current = SchoolClass(sourced_id=row.sourced_id, **values)
                new.append(current)
                existing[row.sourced_id] = current
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                changed.append(current)
        SchoolClass.objects.bulk_create(new, batch_size=BATCH)
        SchoolClass.objects.bulk_update(
            changed,
            [
                "school_id",
                "title",
                "class_code",
                "course_title",
                "grades",
                "subjects",
                "periods",
                "school_year",
                "active",
            ],
            batch_size=BATCH,
        )
        if self.roster.modes.get("classes.csv") == "bulk":
            listed = {row.sourced_id for row in self.roster.classes}
            covered = self.covered
            stale = [
                c
                for c in existing.values()
                if c.pk and c.active and c.sourced_id not in listed and c.school_id in covered
            ]
            for c in stale:
                c.active = False
            SchoolClass.objects.bulk_update(stale, ["active"], batch_size=BATCH)
        self.counts.add("classes_created", len(new))
        self.counts.add("classes_updated", len(changed))
        return existing

    def _enrollments(self, people: dict[str, int], classes: dict[str, SchoolClass]) -> None:
        # sourcedId -> (pk, class, person, role, primary); rows the roster
        # carries are taken out, so what is left at the end it did not list.
        existing = {
            row[0]: row[1:]
            for row in Enrollment.objects.order_by()
            .values_list("sourced_id", "id", "school_class_id", "person_id", "role", "primary")
            .iterator(chunk_size=5000)
        }
        by_person = dict(people)
        # A delta file may enrol people this roster does not carry.
        missing = sorted({e.user_sourced_id for e in self.roster.enrollments} - set(by_person))
        for start in range(0, len(missing), BATCH):
            by_person.update(
                Person.objects.filter(sourced_id__in=missing[start : start + BATCH]).values_list(
                    "sourced_id", "pk"
                )
            )
        class_ids = {sid: c.pk for sid, c in classes.items() if c.pk is not None}
        new: list[Enrollment] = []
        changed: list[Enrollment] = []
        delete: list[int] = []
        created = 0
        for row in self.roster.enrollments:
            current = existing.pop(row.sourced_id, None)
            if row.status == "tobedeleted":
                if current is not None:
                    delete.append(current[0])
                continue
            class_id = class_ids.get(row.class_sourced_id)
            person_id = by_person.get(row.user_sourced_id)
            if class_id is None or person_id is None:
                self.reject(
                    "enrollments.csv",
                    row.sourced_id,
                    "the class or the user it names is not in Shelfwise",
                )
                continue
            values = (class_id, person_id, row.role[:20], row.primary)
            if current is None:
                new.append(
                    Enrollment(
                        sourced_id=row.sourced_id,
                        **dict(zip(_ENROLLMENT_FIELDS, values, strict=True)),
                    )
                )
                if len(new) == BATCH:
                    # Written as they come: a first import holds no 300,000 objects.
                    Enrollment.objects.bulk_create(new)
                    created += len(new)
                    new = []
            elif current[1:] != values:
                changed.append(
                    Enrollment(pk=current[0], **dict(zip(_ENROLLMENT_FIELDS, values, strict=True)))
                )
        if self.roster.modes.get("enrollments.csv") == "bulk":
            # Whatever is left was not listed (rejected rows were listed: they
            # stay), in the classes of the schools this roster covers.
            covered_classes = {c.pk for c in classes.values() if c.school_id in self.covered}
            delete.extend(row[0] for row in existing.values() if row[1] in covered_classes)
        for start in range(0, len(delete), BATCH):
            Enrollment.objects.filter(pk__in=delete[start : start + BATCH]).delete()
        Enrollment.objects.bulk_create(new, batch_size=BATCH)
        Enrollment.objects.bulk_update(changed, list(_ENROLLMENT_FIELDS), batch_size=BATCH)
        self.counts.add("enrollments_created", created + len(new))
        self.counts.add("enrollments_updated", len(changed))
        self.counts.add("enrollments_removed", len(delete))
