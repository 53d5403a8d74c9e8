"""The typed rows, the rejected-row record and the result of reading a OneRoster CSV set.

These are what the Django importer consumes: plain frozen dataclasses holding clean,
validated values, so nothing above this package has to re-check a CSV cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = [
    "AcademicSession",
    "Class",
    "Course",
    "Enrollment",
    "NotOneRosterError",
    "Org",
    "RosterSet",
    "RowError",
    "User",
]


class NotOneRosterError(Exception):
    """The input is not a OneRoster CSV set at all; the message says why in plain English.

    Raised before anything is returned, so a caller that catches it has changed nothing.
    """


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row (or, at line 1, a whole file that could not be used)."""

    file: str
    # 1-based physical line where the row starts; the header is line 1. Quoted fields
    # that span several lines are counted line by line, so this matches a text editor.
    line: int
    reason: str
    sourced_id: str = ""


# slots=True keeps 300,000 enrollments in tens of megabytes rather than hundreds.
@dataclass(frozen=True, slots=True)
class Org:
    sourced_id: str
    status: str
    date_last_modified: datetime | None
    name: str
    type: str
    identifier: str
    parent_sourced_id: str


@dataclass(frozen=True, slots=True)
class AcademicSession:
    sourced_id: str
    status: str
    title: str
    type: str
    start_date: date
    end_date: date
    parent_sourced_id: str
    school_year: str


@dataclass(frozen=True, slots=True)
class Course:
    sourced_id: str
    status: str
    title: str
    course_code: str
    grades: tuple[str, ...]
    org_sourced_id: str
    subjects: tuple[str, ...]
    school_year_sourced_id: str


@dataclass(frozen=True, slots=True)
class Class:
    sourced_id: str
    status: str
    title: str
    grades: tuple[str, ...]
    course_sourced_id: str
    class_code: str
    class_type: str
    location: str
    school_sourced_id: str
    term_sourced_ids: tuple[str, ...]
    subjects: tuple[str, ...]
    periods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class User:
    # There is deliberately no password field: the plaintext `password` column of
    # users.csv is dropped while reading and never reaches memory held by this object.
    sourced_id: str
    status: str
    enabled: bool
    org_sourced_ids: tuple[str, ...]
    role: str
    username: str
    user_ids: tuple[tuple[str, str], ...]
    given_name: str
    family_name: str
    middle_name: str
    identifier: str
    email: str
    sms: str
    phone: str
    grades: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Enrollment:
    sourced_id: str
    status: str
    class_sourced_id: str
    school_sourced_id: str
    user_sourced_id: str
    role: str
    primary: bool | None
    begin_date: date | None
    end_date: date | None


@dataclass
class RosterSet:
    """Everything read from one OneRoster set.

    ``modes`` is keyed by file name ("users.csv") and always holds the six files Shelfwise
    reads. A file whose rows could not all be read is never reported as "bulk": a bulk file
    means "everyone not listed has left", and that must not be concluded from a broken file.
    """

    manifest: dict[str, str]
    version: str
    modes: dict[str, str]
    orgs: list[Org] = field(default_factory=list)
    sessions: list[AcademicSession] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    classes: list[Class] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def rejected_ids(self, file: str) -> set[str]:
        """sourcedIds of the rows of ``file`` that were rejected.

        A bulk import must leave these people alone: they were sent, only unusably, so
        they have not left (deactivating them would punish a typo in the SIS).
        """
        return {e.sourced_id for e in self.errors if e.file == file and e.sourced_id}
