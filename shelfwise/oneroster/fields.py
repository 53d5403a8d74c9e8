"""Parsers for single OneRoster CSV cells: dates, timestamps, booleans, lists, userIds,
grades and the enumerations of DOMAIN.md §5.

Each parser either returns a clean value or raises BadValue with a reason a librarian can
read; the row builders turn that into a RowError.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

__all__ = [
    "CLASS_TYPES",
    "ORG_TYPES",
    "ROLES",
    "ROLES_1_2",
    "SESSION_TYPES",
    "STATUSES",
    "BadValue",
    "Enum",
    "parse_bool",
    "parse_date",
    "parse_grades",
    "parse_timestamp",
    "parse_user_ids",
    "split_list",
]


class BadValue(ValueError):
    """A cell holds a value that cannot be used; str() is the reason."""


class Enum:
    """A OneRoster enumeration matched without regard to case.

    Decision: DOMAIN.md gives the enums in one spelling, but real exports write
    "Scheduled" or "Active"; rejecting those would drop a class and every enrollment in
    it over capitalisation, so they are accepted, normalised and reported once per file.
    """

    def __init__(self, label: str, values: tuple[str, ...], mapped: dict[str, str] | None = None):
        self.label = label
        self.values = values
        self._exact = {v: v for v in values}
        self._lookup = {v.lower(): v for v in values}
        self._mapped = {k.lower(): (k, v) for k, v in (mapped or {}).items()}

    def parse(self, value: str) -> tuple[str, str]:
        """Return (canonical value, note); note is "" for an exact match.

        The note is "case" when only capitalisation differed, or the original spelling
        when a value of a later OneRoster version was mapped onto a 1.1 one.
        """
        hit = self._exact.get(value)
        if hit is not None:
            # The enum's own string, so 300,000 rows share one "student".
            return hit, ""
        low = value.lower()
        hit = self._lookup.get(low)
        if hit is not None:
            return hit, "case"
        mapped = self._mapped.get(low)
        if mapped is not None:
            return mapped[1], mapped[0]
        raise BadValue(f"unknown {self.label} '{value}'")


# "inactive" is not in the 1.1 enum but appears in real exports (catalyst fixtures);
# Decision: keep it as its own value so the importer can treat it like tobedeleted.
STATUSES = Enum("status", ("active", "tobedeleted", "inactive"))
ORG_TYPES = Enum("org type", ("department", "district", "local", "national", "school", "state"))
SESSION_TYPES = Enum("session type", ("gradingPeriod", "semester", "schoolYear", "term"))
CLASS_TYPES = Enum("classType", ("homeroom", "scheduled"))
# OneRoster 1.2 splits "administrator" into several roles and adds "counselor".
# Decision: Shelfwise's roles only need to know "staff who are not teachers", so all of
# them become administrator (counselor included) and the importer is told in a warning.
ROLES_1_2 = {
    "districtAdministrator": "administrator",
    "siteAdministrator": "administrator",
    "systemAdministrator": "administrator",
    "principal": "administrator",
    "counselor": "administrator",
}
ROLES = Enum(
    "role",
    ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"),
    ROLES_1_2,
)
ROLE_TYPES = Enum("roleType", ("primary", "secondary"))

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)

# Many rows share one date or timestamp (a bulk export stamps them all alike), so parsed
# values are memoised; the cache is dropped when it grows, keeping memory bounded.
_date_cache: dict[str, date] = {}
_ts_cache: dict[str, datetime] = {}
_CACHE_MAX = 4096


def parse_date(column: str, value: str) -> date:
    hit = _date_cache.get(value)
    if hit is not None:
        return hit
    # Decision: only YYYY-MM-DD. "1/05/2023" could be 1 May or 5 January; guessing would
    # silently corrupt dates, so it is rejected as the data error it is.
    if not _DATE.fullmatch(value):
        raise BadValue(f"{column} '{value}' is not YYYY-MM-DD")
    try:
        parsed = date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        raise BadValue(f"{column} '{value}' is not a real date") from None
    if len(_date_cache) > _CACHE_MAX:
        _date_cache.clear()
    _date_cache[value] = parsed
    return parsed


def parse_timestamp(column: str, value: str) -> datetime:
    """ISO 8601 date or date-time, or "YYYY-MM-DD HH:MM:SS"; returned aware, in UTC.

    Decision: a value without an offset is taken as UTC. The spec's examples all end in
    "Z", and one fixed rule keeps comparisons between files stable.
    """
    hit = _ts_cache.get(value)
    if hit is not None:
        return hit
    if not _TIMESTAMP.fullmatch(value):
        raise BadValue(f"{column} '{value}' is not an ISO 8601 date or date-time")
    try:
        parsed = datetime.fromisoformat(value.replace(",", "."))
    except ValueError:
        raise BadValue(f"{column} '{value}' is not a real date or time") from None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if len(_ts_cache) > _CACHE_MAX:
        _ts_cache.clear()
    _ts_cache[value] = parsed
    return parsed


_BOOLEANS = {"true": True, "false": False}


def parse_bool(column: str, value: str) -> bool:
    # Case-insensitive because real fixtures write TRUE (spreadsheets upper-case it).
    hit = _BOOLEANS.get(value.lower())
    if hit is None:
        raise BadValue(f"{column} '{value}' is not true or false")
    return hit


def split_list(value: str) -> tuple[str, ...]:
    """A comma-joined list ("09,10,11" or "Science, Physics"), blanks dropped."""
    if not value:
        return ()
    if "," not in value:
        return (value,)
    return tuple(part for part in (p.strip() for p in value.split(",")) if part)


_USER_ID = re.compile(r"\{([^{}:]*):([^{}]*)\}")


def parse_user_ids(value: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Parse "{LDAP:12},{LTI:15}" into (("LDAP", "12"), ("LTI", "15")).

    Returns (pairs, well_formed). Decision: userIds is optional and only identifies a user
    in other systems, so text not in {type:id} form does not reject the user; each such
    item is kept with an empty type and the file gets one warning.
    """
    if not value:
        return (), True
    pairs: list[tuple[str, str]] = []
    ok = True
    pos = 0
    for match in _USER_ID.finditer(value):
        gap = value[pos : match.start()].strip(" ,")
        if gap:
            ok = False
            pairs.extend(("", item) for item in split_list(gap))
        pairs.append((match.group(1).strip(), match.group(2).strip()))
        pos = match.end()
    rest = value[pos:].strip(" ,")
    if rest:
        ok = False
        pairs.extend(("", item) for item in split_list(rest))
    return tuple(pairs), ok


_CEDS = ("IT", "PR", "PK", "TK", "KG", "PS", "UG", "Other", *(f"{n:02d}" for n in range(1, 14)))
_GRADE_ALIASES = {code.lower(): code for code in _CEDS}
_GRADE_ALIASES.update({str(n): f"{n:02d}" for n in range(1, 14)})
_GRADE_ALIASES.update(
    {
        "k": "KG",
        "kindergarten": "KG",
        # Decision: several SIS exports number kindergarten as grade 0.
        "0": "KG",
        "00": "KG",
        "pre-k": "PK",
        "prek": "PK",
        "prekindergarten": "PK",
        "pre-kindergarten": "PK",
        "transitional kindergarten": "TK",
        "infant/toddler": "IT",
        "preschool": "PR",
        "postsecondary": "PS",
        "ungraded": "UG",
    }
)


def parse_grades(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Normalise a grades list to CEDS codes; returns (grades, values not recognised).

    Unrecognised grades are kept verbatim rather than dropped, since a school may use a
    local code the library still wants to show.
    """
    if not value:
        return (), ()
    grades = []
    unknown = []
    for item in split_list(value):
        code = _GRADE_ALIASES.get(item.lower())
        if code is None:
            unknown.append(item)
            code = item
        grades.append(code)
    return tuple(grades), tuple(unknown)
