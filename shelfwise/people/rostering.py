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
        return by_sid

    # --- people ----------------------------------------------------------
    def _people(self, schools: dict[str, School]) -> dict[str, Person]:
        users = self.roster.users
        existing = {
            p.sourced_id: p
            for p in Person.objects.exclude(sourced_id=None).only(
                "id", "sourced_id", *_PERSON_FIELDS, "patron_barcode"
            )
        }
        usernames = dict(Person.objects.values_list("username", "sourced_id"))
        memberships = {
            (m[0], m[1]): m[2]
            for m in Membership.objects.values_list("person_id", "school_id", "role")
        }
        new: list[Person] = []
        changed: list[Person] = []
        wanted_memberships: list[tuple[Person, School, str]] = []
        people: dict[str, Person] = {}
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
            values = {
                "username": user.username[:150],
                "first_name": user.given_name[:150],
                "last_name": user.family_name[:150],
                "email": user.email[:254],
                "grade": (user.grades[0] if user.grades and role == Role.STUDENT else "")[:8],
                "is_active": user.enabled and user.status not in ("tobedeleted", "inactive"),
            }
            person = existing.get(user.sourced_id)
            if person is None:
                person = Person(sourced_id=user.sourced_id, **values)
                person.set_unusable_password()
                new.append(person)
                usernames[user.username] = user.sourced_id
            else:
                diff = [k for k, v in values.items() if getattr(person, k) != v]
                if diff:
                    for k in diff:
                        setattr(person, k, values[k])
                    changed.append(person)
                    if "is_active" in diff and not person.is_active:
                        self.counts.add("people_deactivated")
                else:
                    self.counts.add("people_unchanged")
            people[user.sourced_id] = person
            wanted_memberships.extend((person, s, role) for s in user_schools)

        barcodes = iter(next_patron_barcodes(len(new)))
        for person in new:
            person.patron_barcode = next(barcodes)
        Person.objects.bulk_create(new, batch_size=BATCH)
        Person.objects.bulk_update(changed, list(_PERSON_FIELDS), batch_size=BATCH)
        self.counts.add("people_created", len(new))
        self.counts.add("people_updated", len(changed))

        create, update = [], []
        for person, school, role in wanted_memberships:
            current = memberships.get((person.pk, school.pk))
            if current is None:
                create.append(Membership(person=person, school=school, role=role))
                memberships[(person.pk, school.pk)] = role
            elif current != role and current not in _KEEP_ROLES:
                update.append((person.pk, school.pk, role))
        Membership.objects.bulk_create(create, batch_size=BATCH, ignore_conflicts=True)
        for person_id, school_id, role in update:
            Membership.objects.filter(person_id=person_id, school_id=school_id).update(role=role)
        self.counts.add("memberships_created", len(create))

        if self.roster.modes.get("users.csv") == "bulk":
            # People whose rows were sent but rejected (or skipped by us) have
            # not left: a typo in the SIS must not deactivate a student.
            sent = {u.sourced_id for u in users} | self.roster.rejected_ids("users.csv")
            self._deactivate_absent(sent, set(schools.values()))
        for user in users:
            if user.status == "tobedeleted" and user.sourced_id in people:
                self._report_open_loans(people[user.sourced_id])
        return people

    def _deactivate_absent(self, present: set[str], schools: set[School]) -> None:
        """A bulk roster lists everyone: those it leaves out have left."""
        # Filtered in Python: a 50,000-id NOT IN would pass SQLite's parameter limit.
        gone = [
            person
            for person in Person.objects.filter(is_active=True, memberships__school__in=schools)
            .exclude(sourced_id=None)
            .distinct()
            if person.sourced_id not in present
        ]
        for person in gone:
            person.is_active = False
            self._report_open_loans(person)
        Person.objects.bulk_update(gone, ["is_active"], batch_size=BATCH)
        self.counts.add("people_deactivated", len(gone))

    def _report_open_loans(self, person: Person) -> None:
        from shelfwise.circulation.models import Loan

        loans = list(
            Loan.objects.filter(patron=person, returned_at=None).select_related("item__record")
        )
        if loans:
            listing = "; ".join(
                f"{loan.item.barcode} {loan.item.record.title[:60]}" for loan in loans
            )
            self.issues.append(
                RosterIssue(
                    job=self.job,
                    kind="left_with_loans",
                    person=person,
                    sourced_id=person.sourced_id or "",
                    message=f"{person.full_name or person.username} left with "
                    f"{len(loans)} item(s) out: {listing}",
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
                "school": school,
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
                "school",
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
            stale = [
                c
                for c in existing.values()
                if c.pk
                and c.active
                and c.sourced_id not in listed
                and c.school in set(schools.values())
            ]
            for c in stale:
                c.active = False
            SchoolClass.objects.bulk_update(stale, ["active"], batch_size=BATCH)
        self.counts.add("classes_created", len(new))
        self.counts.add("classes_updated", len(changed))
        return existing

    def _enrollments(self, people: dict[str, Person], classes: dict[str, SchoolClass]) -> None:
        existing = {
            e.sourced_id: e
            for e in Enrollment.objects.only(
                "id", "sourced_id", "school_class_id", "person_id", "role", "primary"
            )
        }
        by_person = dict(people)
        # A delta file may enrol people this roster does not carry.
        missing = sorted({e.user_sourced_id for e in self.roster.enrollments} - set(by_person))
        for start in range(0, len(missing), BATCH):
            by_person.update(
                (p.sourced_id, p)
                for p in Person.objects.filter(sourced_id__in=missing[start : start + BATCH])
            )
        new, changed, delete = [], [], []
        for row in self.roster.enrollments:
            current = existing.get(row.sourced_id)
            if row.status == "tobedeleted":
                if current is not None:
                    delete.append(current.pk)
                continue
            school_class = classes.get(row.class_sourced_id)
            person = by_person.get(row.user_sourced_id)
            if school_class is None or person is None or person.pk is None:
                self.reject(
                    "enrollments.csv",
                    row.sourced_id,
                    "the class or the user it names is not in Shelfwise",
                )
                continue
            values = {
                "school_class_id": school_class.pk,
                "person_id": person.pk,
                "role": row.role[:20],
                "primary": row.primary,
            }
            if current is None:
                new.append(Enrollment(sourced_id=row.sourced_id, **values))
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                changed.append(current)
        if self.roster.modes.get("enrollments.csv") == "bulk":
            listed = {row.sourced_id for row in self.roster.enrollments}
            delete.extend(e.pk for sid, e in existing.items() if sid not in listed)
        for start in range(0, len(delete), BATCH):
            Enrollment.objects.filter(pk__in=delete[start : start + BATCH]).delete()
        Enrollment.objects.bulk_create(new, batch_size=BATCH)
        Enrollment.objects.bulk_update(
            changed, ["school_class_id", "person_id", "role", "primary"], batch_size=BATCH
        )
        self.counts.add("enrollments_created", len(new))
        self.counts.add("enrollments_updated", len(changed))
        self.counts.add("enrollments_removed", len(delete))
