"""`shelfwise add-school CODE "Name" [--timezone TZ]`: create a school."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelfwise.schools.services import school_create


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create a school. An existing code is an error: nothing is changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="short code, e.g. LMS (letters, digits, - and _)")
        parser.add_argument("name", help='full name, e.g. "Lincoln Middle School"')
        parser.add_argument(
            "--timezone", default="America/New_York", help="IANA time zone (default %(default)s)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            school = school_create(
                code=options["code"], name=options["name"], timezone=options["timezone"]
            )
        except ValidationError as error:
            raise CommandError(validation_message(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created school {school.code}: {school.name}"))
