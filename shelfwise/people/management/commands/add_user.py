"""`shelfwise add-user USERNAME --school CODE --role ROLE`: create an account or set its role.

A new account's password comes from --password-file (first line) or is asked
twice on the terminal; it never goes on the command line, where `ps` and the
shell history would keep it. For an existing account only the role in that
school is set.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.people.management.commands.add_school import validation_message
from shelfwise.people.models import Person
from shelfwise.people.roles import Role
from shelfwise.people.services import membership_set, person_create
from shelfwise.schools.models import School


class Command(BaseCommand):
    help = "Create a person with a role in a school, or set an existing person's role there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="file whose first line is the password (otherwise you are asked for it)",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["school"]
        school = School.objects.filter(code__iexact=code).first()
        if school is None:
            raise CommandError(
                f"No school with the code {code}. Create it first: shelfwise add-school {code} NAME"
            )
        role = options["role"]
        if role not in Role.values:
            raise CommandError(f"{role} is not a role. Choose one of: {', '.join(Role.values)}")
        username = options["username"]

        person = Person.objects.filter(username=username).first()
        if person is not None:
            if options["password_file"] is not None:
                self.stderr.write(f"{username} exists: the password was not changed.")
            _membership, changed = membership_set(person=person, school=school, role=role)
            verb = "is now" if changed else "was already"
            self.stdout.write(self.style.SUCCESS(f"{username} {verb} {role} in {school.code}"))
            return

        password = self._password(options["password_file"])
        try:
            person_create(
                username=username,
                password=password,
                school=school,
                role=role,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except ValidationError as error:
            raise CommandError(validation_message(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {username}, {role} in {school.code}"))

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"Cannot read the password file: {error}") from error
            if not lines or not lines[0]:
                raise CommandError(f"The password file {path} is empty.")
            return lines[0]
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError("No password given.") from error
        if first != second:
            raise CommandError("The two passwords differ. Nothing was changed.")
        if not first:
            raise CommandError("The password is empty. Nothing was changed.")
        return first
