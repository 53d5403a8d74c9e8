"""The CSV files Shelfwise reads, their columns, which are required (DOMAIN.md §5) and the
older or newer spellings accepted for them; plus matching a file's header against that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FILES", "READ_ORDER", "FileSpec", "HeaderMap", "map_header"]


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    required: frozenset[str]
    # Required in 1.1 but absent from the 1.0 layout, so only required from 1.1 on.
    required_since_1_1: frozenset[str] = frozenset()
    # OneRoster 1.0 spellings (or singular forms) -> the 1.1 column.
    aliases: dict[str, str] = field(default_factory=dict)
    # Columns of 1.2 (or 1.1 columns) that are understood but deliberately not kept.
    known_unused: frozenset[str] = frozenset()


ORGS = FileSpec(
    "orgs.csv",
    ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"),
    frozenset({"sourcedId", "name", "type"}),
)
SESSIONS = FileSpec(
    "academicSessions.csv",
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
    frozenset({"sourcedId", "title", "type", "startDate", "endDate"}),
    required_since_1_1=frozenset({"schoolYear"}),
)
COURSES = FileSpec(
    "courses.csv",
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ),
    frozenset({"sourcedId", "title", "orgSourcedId"}),
    aliases={"schoolYearId": "schoolYearSourcedId", "grade": "grades"},
    known_unused=frozenset({"subjectCodes"}),
)
CLASSES = FileSpec(
    "classes.csv",
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ),
    frozenset(
        {"sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"}
    ),
    aliases={"grade": "grades", "termSourcedId": "termSourcedIds"},
    known_unused=frozenset({"subjectCodes"}),
)
USERS = FileSpec(
    "users.csv",
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "orgSourcedIds",
        "role",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        # 1.2: the user's main school; roles.csv carries the rest.
        "primaryOrgSourcedId",
    ),
    frozenset({"sourcedId", "orgSourcedIds", "role", "username", "givenName", "familyName"}),
    required_since_1_1=frozenset({"enabledUser"}),
    aliases={"userId": "userIds", "agents": "agentSourcedIds", "grade": "grades"},
    known_unused=frozenset(
        {
            "agentSourcedIds",
            # Read only to be thrown away: see User in rows.py.
            "password",
            "userMasterIdentifier",
            "preferredGivenName",
            "preferredMiddleName",
            "preferredFamilyName",
            "pronouns",
        }
    ),
)
ENROLLMENTS = FileSpec(
    "enrollments.csv",
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
    frozenset({"sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"}),
)
# OneRoster 1.2 moved a user's roles and schools out of users.csv into roles.csv; it is
# read only to fill those two fields in, so a 1.2 set maps onto the 1.1 rows.
ROLES = FileSpec(
    "roles.csv",
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ),
    frozenset({"sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"}),
    known_unused=frozenset({"userProfileSourcedId"}),
)

FILES = {spec.name.lower(): spec for spec in (ORGS, SESSIONS, COURSES, CLASSES, USERS, ENROLLMENTS)}
# Referenced files first, so references can be checked against what actually loaded.
READ_ORDER = (ORGS, SESSIONS, COURSES, CLASSES, ROLES, USERS, ENROLLMENTS)


@dataclass
class HeaderMap:
    """Where each known column sits in a file, and what the header said besides."""

    index: dict[str, int]
    width: int  # header length without trailing unnamed columns
    full_width: int
    missing_required: list[str]
    aliased: list[str]  # "userId → userIds"
    vendor: list[str]  # ext_* and metadata.* columns
    unknown: list[str]
    duplicates: list[str]
    trailing_unnamed: int


def map_header(
    header: list[str], spec: FileSpec, *, version: str, external: frozenset[str] = frozenset()
) -> HeaderMap:
    """Match a header row against a file spec.

    Decision: columns are found by name, not by position, although the spec fixes their
    order: real exports (oat-sa's enrollments.csv) reorder them and lose nothing by it.

    Names are compared case-sensitively, as the spec writes them, after trimming the
    spaces that spreadsheets leave around them. ``external`` names required columns
    whose values come from another file (1.2's roles.csv), so they may be missing here.
    """
    names = [h.strip() for h in header]
    full = len(names)
    width = full
    while width and not names[width - 1]:
        width -= 1
    index: dict[str, int] = {}
    aliased: list[str] = []
    vendor: list[str] = []
    unknown: list[str] = []
    duplicates: list[str] = []
    known = set(spec.columns) | spec.known_unused
    for i, name in enumerate(names[:width]):
        canonical = name if name in known else spec.aliases.get(name)
        if canonical is not None:
            if canonical in index:
                duplicates.append(name)
                continue
            index[canonical] = i
            if canonical != name:
                aliased.append(f"{name} → {canonical}")
        elif name.startswith(("ext_", "metadata.")):
            vendor.append(name)
        else:
            unknown.append(name or f"(unnamed column {i + 1})")
    required = set(spec.required)
    if not version.startswith("1.0"):
        required |= spec.required_since_1_1
    required -= external
    missing = [c for c in spec.columns if c in required and c not in index]
    return HeaderMap(
        index=index,
        width=width,
        full_width=full,
        missing_required=missing,
        aliased=aliased,
        vendor=vendor,
        unknown=unknown,
        duplicates=duplicates,
        trailing_unnamed=full - width,
    )
