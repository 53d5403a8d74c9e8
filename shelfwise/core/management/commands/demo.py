"""`shelfwise demo`: a ready-to-explore district with two schools, people and a catalog.

Lincoln Middle School (LMS) gets a bell schedule, this school year's closed
days, one login per role and a few students with language profiles; Oak
Elementary (OAK) gets a librarian. The catalog is generated MARC
(`catalog.generate`: real LoC children's records plus invented multilingual
ones, all marked) written to files and imported through the real importer,
LMS copies first, then OAK's. A second run changes nothing; `--force`
imports the catalog again (the importer matches what is already there).
"""

from __future__ import annotations

import datetime
import os
import random
import tempfile
import time
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shelfwise.catalog.generate import demo_records, with_holdings, write_marc_file
from shelfwise.catalog.models import Item, Record
from shelfwise.instruction.demo import demo_instruction
from shelfwise.people.models import Person
from shelfwise.people.roles import Role
from shelfwise.people.services import membership_set, person_create
from shelfwise.programs.demo import demo_programs
from shelfwise.schools.models import BellPeriod, ClosedDay, School
from shelfwise.schools.services import school_create

DEFAULT_PASSWORD = "shelfwise-demo"  # noqa: S105 - a documented demo password, not a secret
SCHOOLS = (
    ("LMS", "Lincoln Middle School", ["en", "es", "ar"]),
    ("OAK", "Oak Elementary", ["en", "es"]),
)
TIMEZONE = "America/New_York"
PERIODS = (
    ("Period 1", "07:50", "08:40"), ("Period 2", "08:45", "09:35"),
    ("Period 3", "09:40", "10:30"), ("Period 4", "10:35", "11:25"),
    ("Period 5", "12:00", "12:50"), ("Period 6", "12:55", "13:45"),
    ("Period 7", "13:50", "14:40"),
)  # fmt: skip
# username, school, role, first, last, grade, home languages, English learner
PEOPLE = (
    ("librarian", "LMS", Role.LIBRARIAN, "Lena", "Ruiz", "", [], None),
    ("district", "LMS", Role.DISTRICT_ADMIN, "Dana", "Whitfield", "", [], None),
    ("teacher", "LMS", Role.TEACHER, "Tom", "Baker", "", [], None),
    ("ell", "LMS", Role.ELL_SPECIALIST, "Elif", "Kaya", "", [], None),
    ("aide", "LMS", Role.AIDE, "Ava", "Chen", "08", ["eng", "chi"], False),
    ("student", "LMS", Role.STUDENT, "Sami", "Haddad", "06", ["ara"], True),
    ("lucia", "LMS", Role.STUDENT, "Lucía", "Martínez", "07", ["spa"], True),
    ("minh", "LMS", Role.STUDENT, "Minh", "Nguyen", "08", ["vie", "eng"], False),
    ("hodan", "LMS", Role.STUDENT, "Hodan", "Warsame", "06", ["som"], True),
    ("omar", "LMS", Role.STUDENT, "Omar", "Khalil", "07", ["ara", "eng"], False),
    ("mateo", "LMS", Role.STUDENT, "Mateo", "Hernández", "06", ["spa"], True),
    ("jayden", "LMS", Role.STUDENT, "Jayden", "Brooks", "08", ["eng"], False),
    ("oaklibrarian", "OAK", Role.LIBRARIAN, "Olivia", "Park", "", [], None),
)  # fmt: skip
INTERFACE_LANGUAGE = {"spa": "es", "ara": "ar"}
RECORDS = 2400
LMS_BARCODES, OAK_BARCODES = 1, 500_001  # T00000001… and T00500001…


class Command(BaseCommand):
    help = "Load demo schools, people and a generated catalog (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="import the catalog again even if it is loaded"
        )
        parser.add_argument(
            "--records", type=int, default=RECORDS, help=f"catalog records (default {RECORDS:,})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        loaded = Item.objects.filter(school__code="LMS").exists()
        if loaded and not options["force"]:
            self.stdout.write(
                f"The demo is already loaded: {Record.objects.count():,} records, "
                f"{Item.objects.count():,} copies. Nothing was changed "
                "(use --force to import the catalog again)."
            )
            self._logins(password=None)
            return
        try:
            with transaction.atomic():
                schools = {code: self._school(code, name, ui) for code, name, ui in SCHOOLS}
                people = self._people(schools, password)
                if demo_instruction(school=schools["LMS"], people=people):
                    self.stdout.write("Loaded collaborations, library spaces and bookings.")
                demo_programs(
                    school=schools["LMS"],
                    librarian=people["librarian"],
                    aide=people["aide"],
                    students=[people["student"], people["lucia"], people["minh"]],
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self._catalog(schools, by=people["librarian"], count=options["records"])
        self._logins(password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready in {time.perf_counter() - started:.0f} s.")
        )

    def _school(self, code: str, name: str, ui_languages: list[str]) -> School:
        school = School.objects.filter(code=code).first()
        if school is None:
            school = school_create(code=code, name=name, timezone=TIMEZONE)
            school.ui_languages = ui_languages
            school.save(update_fields=["ui_languages"])
            self.stdout.write(f"Created {school}.")
        if code == "LMS" and not school.bell_periods.exists():
            BellPeriod.objects.bulk_create(
                BellPeriod(school=school, name=n, order=i, starts_at=s, ends_at=e)
                for i, (n, s, e) in enumerate(PERIODS, start=1)
            )
        today = datetime.datetime.now(zoneinfo.ZoneInfo(school.timezone)).date()
        existing = set(school.closed_days.values_list("date", flat=True))
        ClosedDay.objects.bulk_create(
            ClosedDay(school=school, date=day, reason=reason)
            for day, reason in closed_days(today)
            if day not in existing
        )
        return school

    def _people(self, schools: dict[str, School], password: str) -> dict[str, Person]:
        people = {}
        for number, (username, code, role, first, last, grade, langs, el) in enumerate(PEOPLE):
            school = schools[code]
            person = Person.objects.filter(username=username).first()
            if person is None:
                person = person_create(
                    username=username,
                    password=password,
                    school=school,
                    role=role,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@{code.lower()}.example.org",
                )
                if grade:
                    person.grade = grade
                    person.home_languages = langs
                    person.english_learner = el
                    person.patron_barcode = f"P{number:06d}"
                    person.preferred_language = INTERFACE_LANGUAGE.get(langs[0], "en")
                    person.save()
            else:
                membership_set(person=person, school=school, role=role)
            people[username] = person
        return people

    def _catalog(self, schools: dict[str, School], *, by: Person, count: int) -> None:
        from shelfwise.catalog.importing import marc_import_file

        with tempfile.TemporaryDirectory(prefix="demo-", dir=settings.VAR_DIR) as folder:
            for code in ("LMS", "OAK"):
                path = Path(folder) / f"demo-{code.lower()}.mrc"
                written = write_marc_file(_copies(code, count), path)
                self.stdout.write(f"Importing {written:,} records for {code} …")
                job = marc_import_file(path=path, school=schools[code], by=by)
                self.stdout.write(
                    f"  created {job.created:,}, updated {job.updated:,}, unchanged "
                    f"{job.unchanged:,}; copies created {job.items_created:,}, updated "
                    f"{job.items_updated:,}; rejected {job.rejected:,}"
                )

    def _logins(self, *, password: str | None) -> None:
        rows = [("username", "role", "school", "password")]
        for username, code, role, *_rest in PEOPLE:
            rows.append((username, Role(role).label, code, password or "(unchanged)"))
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        self.stdout.write("\nDemo logins:")
        for row in rows:
            self.stdout.write(
                (
                    "  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
                ).rstrip()
            )


def _copies(code: str, count: int):
    """The demo records with this school's copies: 1-3 each at LMS; picture books and
    children's titles (rarely middle-grade, never YA) at OAK."""
    rng = random.Random(f"demo-{code}")
    barcode = LMS_BARCODES if code == "LMS" else OAK_BARCODES
    for record in demo_records(count=count):
        if code == "LMS":
            copies = rng.choices((1, 2, 3), weights=(60, 28, 12))[0]
        else:
            share = {"a": 0.8, "b": 0.7, "j": 0.5, "c": 0.15}.get(record["008"].data[22], 0)
            if rng.random() >= share:
                continue
            copies = rng.choices((1, 2), weights=(75, 25))[0]
        yield with_holdings(record, school_code=code, copies=copies, barcode_start=barcode, rng=rng)
        barcode += copies


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th `weekday` (Monday 0) of a month; n = -1 for the last one."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = (start + datetime.timedelta(days=i) for i in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]


def closed_days(today: datetime.date) -> list[tuple[datetime.date, str]]:
    """US public-school holidays and breaks of the school year `today` falls in (Aug-Jul)."""
    fall = today.year if today.month >= 8 else today.year - 1
    spring = fall + 1
    thanksgiving = _nth_weekday(fall, 11, 3, 4)
    spring_break = _nth_weekday(spring, 4, 0, 1)
    days = [
        (_nth_weekday(fall, 9, 0, 1), "Labor Day"),
        (_nth_weekday(fall, 10, 0, 2), "Indigenous Peoples' Day"),
        (datetime.date(fall, 11, 11), "Veterans Day"),
        (thanksgiving, "Thanksgiving"),
        (thanksgiving + datetime.timedelta(days=1), "Thanksgiving break"),
        *((d, "Winter break") for d in _weekdays(datetime.date(fall, 12, 22),
                                                 datetime.date(spring, 1, 2))),
        (_nth_weekday(spring, 1, 0, 3), "Martin Luther King Jr. Day"),
        (_nth_weekday(spring, 2, 0, 3), "Presidents' Day"),
        *((d, "Spring break") for d in _weekdays(spring_break,
                                                 spring_break + datetime.timedelta(days=4))),
        (_nth_weekday(spring, 5, 0, -1), "Memorial Day"),
    ]  # fmt: skip
    return [(day, reason) for day, reason in days if day.weekday() < 5]
