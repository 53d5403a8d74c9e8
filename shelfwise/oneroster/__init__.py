"""OneRoster CSV reading and validation for Shelfwise, in plain Python (no Django imports).

``read_roster(path)`` takes a OneRoster 1.1 set (a .zip or a folder; 1.0 and 1.2 sets are
read where they map) and returns a RosterSet: typed rows, every rejected row with its file,
line and reason, and warnings. ``NotOneRosterError`` means the input is not OneRoster at all.
"""

from __future__ import annotations

from shelfwise.oneroster.reader import read_roster
from shelfwise.oneroster.rows import (
    AcademicSession,
    Class,
    Course,
    Enrollment,
    NotOneRosterError,
    Org,
    RosterSet,
    RowError,
    User,
)

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
    "read_roster",
]
