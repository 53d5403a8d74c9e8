"""read_roster: turn a OneRoster CSV set (folder or .zip) into typed rows plus every
rejected row with its file, line and reason.

The set is first checked to be OneRoster at all (manifest, version, recognisable files);
NotOneRosterError is raised before anything is read past that. After that nothing raises
for bad data: each file is read on its own, so one broken file never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from shelfwise.oneroster import schema
from shelfwise.oneroster.checks import FileNotes, RowCheck
from shelfwise.oneroster.fields import (
    CLASS_TYPES,
    ORG_TYPES,
    ROLE_TYPES,
    ROLES,
    SESSION_TYPES,
    BadValue,
    parse_bool,
    parse_user_ids,
    split_list,
)
from shelfwise.oneroster.manifest import Manifest, read_manifest
from shelfwise.oneroster.rows import (
    AcademicSession,
    Class,
    Course,
    Enrollment,
    Org,
    RosterSet,
    RowError,
    User,
)
from shelfwise.oneroster.source import (
    READ_ERRORS,
    RosterSource,
    UnreadableRest,
    detect_encoding,
    iter_records,
    open_source,
    read_header,
)

__all__ = ["read_roster"]

# Errors are listed file by file in the order a person reads a roster (users before the
# 1.2 roles that only annotate them), then by line.
_ORDER = {
    name: i
    for i, name in enumerate(
        ("manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv", "classes.csv",
         "users.csv", "roles.csv", "enrollments.csv")
    )
}  # fmt: skip


def read_roster(path: str | Path) -> RosterSet:
    """Read and validate a OneRoster 1.1 CSV set (1.0 and 1.2 sets are read where they map)."""
    with open_source(path) as src:
        manifest = read_manifest(src)
        return _Reader(src, manifest).run()


class _Reader:
    def __init__(self, src: RosterSource, manifest: Manifest) -> None:
        self.src = src
        self.version = manifest.version
        self.result = RosterSet(
            manifest=manifest.properties,
            version=manifest.version,
            modes=manifest.modes,
            warnings=list(manifest.warnings),
        )
        self.modes = self.result.modes
        # sourcedIds that loaded, and those rejected (-> line), per file: what the
        # referential checks of later files compare against. ``known`` maps each id to
        # itself so that rows pointing at it share one string (300,000 enrollments
        # would otherwise hold 900,000 copies of a few thousand ids).
        self.known: dict[str, dict[str, str]] = {s.name: {} for s in schema.READ_ORDER}
        self.rejected: dict[str, dict[str, int]] = {s.name: {} for s in schema.READ_ORDER}
        # 1.2: user sourcedId -> [(roleType, role, org, roles.csv line, role sourcedId)]
        self.roles: dict[str, list[tuple[str, str, str, int, str]]] | None = None

    # ----------------------------------------------------------------- orchestration

    def run(self) -> RosterSet:
        users_external = self._users_external()
        self._read(schema.ORGS, self._org)
        self._after_orgs()
        self._read(schema.SESSIONS, self._session)
        self._after_sessions()
        self._read(schema.COURSES, self._course)
        self._read(schema.CLASSES, self._class)
        if users_external:
            self.roles = {}
            self._read(schema.ROLES, self._role)
        self._read(schema.USERS, self._user, external=users_external)
        if users_external:
            self._check_role_users()
        self._read(schema.ENROLLMENTS, self._enrollment)
        self.result.errors.sort(key=lambda e: (_ORDER.get(e.file, 99), e.file, e.line))
        return self.result

    def _users_external(self) -> frozenset[str]:
        """In a 1.2 set users.csv has no role or orgSourcedIds: roles.csv carries them."""
        if self.modes.get("roles.csv", "absent") == "absent":
            return frozenset()
        header = self._peek_header(schema.USERS)
        if header is None or ("role" in header and "orgSourcedIds" in header):
            return frozenset()
        return frozenset({"role", "orgSourcedIds"})

    def _peek_header(self, spec: schema.FileSpec) -> list[str] | None:
        key = spec.name.lower()
        if key not in self.src.files or self.modes.get(spec.name) == "absent":
            return None
        return read_header(self.src, key)

    # ------------------------------------------------------------------ one file

    def _read(
        self,
        spec: schema.FileSpec,
        build: Callable[[RowCheck, list[str], dict[str, int]], object],
        external: frozenset[str] = frozenset(),
    ) -> None:
        name = spec.name
        key = name.lower()
        if self.modes.get(name, "absent") == "absent" or key not in self.src.files:
            return
        notes = FileNotes(name)
        try:
            with self.src.open(key) as raw:
                encoding = detect_encoding(raw)
            if encoding != "utf-8-sig":
                notes.warn(f"{name} is not UTF-8; read as Windows-1252 (check accented names)")
            with self.src.open(key) as raw:
                self._read_records(spec, iter_records(raw, encoding), build, notes, external)
        except UnreadableRest as exc:
            self._error(name, exc.line, f"cannot read the file from this line on: {exc.detail}")
            self._downgrade(name, "it could not be read to the end")
        except READ_ERRORS as exc:
            self._error(name, 1, f"cannot open the file: {exc}")
            self._downgrade(name, "it could not be opened", absent=True)
        self.result.warnings.extend(notes.messages())

    def _read_records(
        self,
        spec: schema.FileSpec,
        records: Iterator[tuple[int, list[str]]],
        build: Callable[[RowCheck, list[str], dict[str, int]], object],
        notes: FileNotes,
        external: frozenset[str],
    ) -> None:
        name = spec.name
        first = next(records, None)
        while first is not None and not any(h.strip() for h in first[1]):
            first = next(records, None)  # blank lines above the header
        if first is None:
            self._error(name, 1, "the file is empty: expected a header row")
            self._downgrade(name, "it has no header", absent=True)
            return
        hm = schema.map_header(first[1], spec, version=self.version, external=external)
        notes.header(hm)
        width, full = hm.width, hm.full_width
        if hm.missing_required:
            has_rows = any(any(v.strip() for v in values) for _, values in records)
            cols = ", ".join(f"'{c}'" for c in hm.missing_required)
            plural = "s" if len(hm.missing_required) > 1 else ""
            reason = f"missing required column{plural} {cols}"
            if has_rows:
                # One error for the whole file: every row would carry the same reason.
                # Decision: the file then counts as absent, so a bulk import does not
                # deactivate everyone it failed to list.
                self._error(name, 1, f"{reason}; no row of this file was loaded")
                self._downgrade(name, "its header lacks required columns", absent=True)
            else:
                # Decision: with no row there is nothing to reject; a warning keeps
                # header-only files of older exports (oat-sa) from reading as failures.
                notes.warn(f"{name} has no rows and its header is {reason}")
            return
        # A column the header lacks reads as the "" appended to every row (index -1).
        cols = {c: hm.index.get(c, -1) for c in (*spec.columns, *spec.known_unused)}
        i_sid = cols["sourcedId"]
        mode = self.modes[name]
        seen: dict[str, int] = {}
        known = self.known[name]
        rejected = self.rejected[name]
        errors = self.result.errors
        blank = 0
        for line, values in records:
            n = len(values)
            if n < width or n > full:
                if not any(v.strip() for v in values):
                    blank += 1
                    continue
                # Decision: trailing empty cells (Excel's extra commas) carry nothing and
                # are allowed, as are rows that stop before unnamed trailing header
                # columns (catalyst roles.csv); anything
                # else means the values no longer line up with the header.
                if n < width or any(v.strip() for v in values[full:]):
                    sid = values[i_sid].strip() if i_sid < n else ""
                    errors.append(
                        RowError(name, line, f"row has {n} values but the header has {full}", sid)
                    )
                    if sid and sid not in seen:
                        seen[sid] = line
                        rejected[sid] = line
                    continue
            v = list(map(str.strip, values if n == width else values[:width]))
            v.append("")
            sid = v[i_sid]
            if not sid and not any(v):
                blank += 1
                continue
            row = RowCheck(notes, name, line, mode)
            if not sid:
                row.problem("missing required value for 'sourcedId'")
            else:
                first_line = seen.get(sid)
                if first_line is not None:
                    reason = f"duplicate sourcedId '{sid}' (first on line {first_line})"
                    errors.append(RowError(name, line, reason, sid))
                    continue
                seen[sid] = line
            record = build(row, v, cols)
            if row.problems:
                # Decision: one RowError per rejected row, all its reasons joined, so the
                # count of errors is the count of rows that did not load.
                errors.append(RowError(name, line, "; ".join(row.problems), sid))
                if sid:
                    rejected[sid] = line
            elif record is not None:
                known[sid] = sid
        if blank:
            notes.warn(f"{name}: {blank} blank row{'s' if blank > 1 else ''} skipped")

    def _error(self, name: str, line: int, reason: str, sid: str = "") -> None:
        self.result.errors.append(RowError(name, line, reason, sid))

    def _downgrade(self, name: str, why: str, *, absent: bool = False) -> None:
        """Never let a broken file stand as a full snapshot (see RosterSet)."""
        before = self.modes.get(name, "absent")
        after = "absent" if absent else ("delta" if before == "bulk" else before)
        if after != before:
            self.modes[name] = after
            self.result.warnings.append(
                f"{name} is treated as {after} because {why}: "
                "nobody is deactivated on the strength of it"
            )

    # --------------------------------------------------------------- references

    def _ref(self, row: RowCheck, column: str, target: schema.FileSpec, sid: str, noun: str) -> str:
        """Reject the row when a bulk file in this set does not hold what it points at.

        Returns the id, as the shared string when the target is known.
        """
        hit = self.known[target.name].get(sid)
        if hit is not None:
            return hit
        if self.modes.get(target.name) != "bulk":
            return sid
        line = self.rejected[target.name].get(sid)
        if line is not None:
            row.problem(
                f"{column} refers to {noun} '{sid}', which was rejected ({target.name} line {line})"
            )
        else:
            row.problem(f"{column} refers to unknown {noun} '{sid}'")
        return sid

    def _soft_ref(self, row: RowCheck, column: str, target: schema.FileSpec, sid: str, noun: str):
        """Warn, without rejecting, about a reference Shelfwise can live without."""
        if not sid:
            return
        mode = self.modes.get(target.name, "absent")
        if mode == "absent":
            row.notes.absent_ref(noun, target.name)
        elif mode == "bulk" and sid not in self.known[target.name]:
            row.notes.unknown_ref(column, noun, target.name, sid, row.line)

    # ------------------------------------------------------------------- builders

    def _org(self, row: RowCheck, v: list[str], c: dict[str, int]) -> Org | None:
        status, modified = row.meta(v, c)
        name = row.required(v, c, "name")
        kind = row.enum(v, c, "type", ORG_TYPES)
        if row.problems:
            return None
        org = Org(
            v[c["sourcedId"]], status, modified, name, kind, v[c["identifier"]],
            v[c["parentSourcedId"]],
        )  # fmt: skip
        self.result.orgs.append(org)
        return org

    def _after_orgs(self) -> None:
        notes = FileNotes(schema.ORGS.name)
        known = self.known[schema.ORGS.name]
        bulk = self.modes.get(schema.ORGS.name) == "bulk"
        for org in self.result.orgs:
            if bulk and org.parent_sourced_id and org.parent_sourced_id not in known:
                # Decision: a missing parent (a district not sent) is common and harmless
                # to a library, so the org still loads; the importer gets no parent.
                notes.unknown_ref("parentSourcedId", "orgs", schema.ORGS.name,
                                  org.parent_sourced_id, 0)  # fmt: skip
        self.result.warnings.extend(notes.messages())

    def _session(self, row: RowCheck, v: list[str], c: dict[str, int]):
        status, _ = row.meta(v, c)
        title = row.required(v, c, "title")
        kind = row.enum(v, c, "type", SESSION_TYPES)
        start = row.date(v, c, "startDate", required=True)
        end = row.date(v, c, "endDate", required=True)
        year = v[c["schoolYear"]]
        if not year and not self.version.startswith("1.0"):
            row.problem("missing required value for 'schoolYear'")
        elif year and not (len(year) == 4 and year.isdigit()):
            # Decision: the spec's schoolYear is a year ("2023"); anything else would make
            # end-of-year promotion guess.
            row.problem(f"schoolYear '{year}' is not a four-digit year")
        if start and end and start > end:
            # Decision: a session that ends before it starts is a data error, not a quirk.
            row.problem(f"startDate {start} is after endDate {end}")
        if row.problems:
            return None
        session = AcademicSession(
            v[c["sourcedId"]], status, title, kind, start, end, v[c["parentSourcedId"]], year
        )
        self.result.sessions.append(session)
        return session

    def _after_sessions(self) -> None:
        notes = FileNotes(schema.SESSIONS.name)
        known = self.known[schema.SESSIONS.name]
        if self.modes.get(schema.SESSIONS.name) == "bulk":
            for s in self.result.sessions:
                if s.parent_sourced_id and s.parent_sourced_id not in known:
                    notes.unknown_ref("parentSourcedId", "academic sessions",
                                      schema.SESSIONS.name, s.parent_sourced_id, 0)  # fmt: skip
        self.result.warnings.extend(notes.messages())

    def _course(self, row: RowCheck, v: list[str], c: dict[str, int]):
        status, _ = row.meta(v, c)
        title = row.required(v, c, "title")
        org = row.required(v, c, "orgSourcedId")
        if org:
            # Decision: checked like a class's school (DOMAIN.md is silent): a course is
            # placed in its org, and the importer cannot place it without one.
            org = self._ref(row, "orgSourcedId", schema.ORGS, org, "org")
        grades = row.grades(v, c)
        year = v[c["schoolYearSourcedId"]]
        if row.problems:
            return None
        self._soft_ref(row, "schoolYearSourcedId", schema.SESSIONS, year, "academic sessions")
        course = Course(
            v[c["sourcedId"]], status, title, v[c["courseCode"]], grades, org,
            split_list(v[c["subjects"]]), year,
        )  # fmt: skip
        self.result.courses.append(course)
        return course

    def _class(self, row: RowCheck, v: list[str], c: dict[str, int]):
        status, _ = row.meta(v, c)
        title = row.required(v, c, "title")
        course = row.required(v, c, "courseSourcedId")
        kind = row.enum(v, c, "classType", CLASS_TYPES)
        school = row.required(v, c, "schoolSourcedId")
        if school:
            school = self._ref(row, "schoolSourcedId", schema.ORGS, school, "org")
        terms = split_list(row.required(v, c, "termSourcedIds"))
        grades = row.grades(v, c)
        if row.problems:
            return None
        # Decision: DOMAIN.md only asks that a class's school exist. A course or term the
        # set does not hold leaves the class usable for a library, so it only warns.
        self._soft_ref(row, "courseSourcedId", schema.COURSES, course, "courses")
        for term in terms:
            self._soft_ref(row, "termSourcedIds", schema.SESSIONS, term, "terms")
        cls = Class(
            v[c["sourcedId"]], status, title, grades, course, v[c["classCode"]], kind,
            v[c["location"]], school, terms, split_list(v[c["subjects"]]),
            split_list(v[c["periods"]]),
        )  # fmt: skip
        self.result.classes.append(cls)
        return cls

    def _role(self, row: RowCheck, v: list[str], c: dict[str, int]):
        status, _ = row.meta(v, c)
        user = row.required(v, c, "userSourcedId")
        role_type = row.enum(v, c, "roleType", ROLE_TYPES)
        role = row.enum(v, c, "role", ROLES)
        org = row.required(v, c, "orgSourcedId")
        if org:
            self._ref(row, "orgSourcedId", schema.ORGS, org, "org")
        if row.problems:
            return None
        # Decision: a role being withdrawn gives the user neither that role nor that org.
        if status not in ("tobedeleted", "inactive") and self.roles is not None:
            self.roles.setdefault(user, []).append(
                (role_type, role, org, row.line, v[c["sourcedId"]])
            )
        return True

    def _check_role_users(self) -> None:
        """Roles are read before users, so their user references are checked afterwards."""
        if self.modes.get(schema.USERS.name) != "bulk" or not self.roles:
            return
        name = schema.ROLES.name
        known_users = self.known[schema.USERS.name]
        rejected_users = self.rejected[schema.USERS.name]
        for user, entries in self.roles.items():
            if user in known_users:
                continue
            for *_, line, role_sid in entries:
                if user in rejected_users:
                    reason = (
                        f"userSourcedId refers to user '{user}', which was rejected "
                        f"(users.csv line {rejected_users[user]})"
                    )
                else:
                    reason = f"userSourcedId refers to unknown user '{user}'"
                self._error(name, line, reason, role_sid)

    def _user(self, row: RowCheck, v: list[str], c: dict[str, int]):
        status, _ = row.meta(v, c)
        sid = v[c["sourcedId"]]
        enabled_raw = v[c["enabledUser"]]
        enabled = True
        if enabled_raw:
            try:
                enabled = parse_bool("enabledUser", enabled_raw)
            except BadValue as exc:
                row.problem(str(exc))
        elif c["enabledUser"] >= 0:
            row.problem("missing required value for 'enabledUser'")
        # else: a 1.0 layout, which had no enabledUser; its users are enabled.
        if self.roles is not None:
            role, orgs = self._role_of(row, sid, v[c["primaryOrgSourcedId"]])
        else:
            role = row.enum(v, c, "role", ROLES)
            orgs = tuple(dict.fromkeys(split_list(row.required(v, c, "orgSourcedIds"))))
            if not orgs and v[c["orgSourcedIds"]]:
                row.problem("missing required value for 'orgSourcedIds'")
            orgs = tuple(self._ref(row, "orgSourcedIds", schema.ORGS, o, "org") for o in orgs)
        username = row.required(v, c, "username")
        given = row.required(v, c, "givenName")
        family = row.required(v, c, "familyName")
        grades = row.grades(v, c)
        user_ids, well_formed = parse_user_ids(v[c["userIds"]])
        if not well_formed:
            row.notes.malformed_user_ids()
        if row.problems:
            return None
        # The password column is never read into the User: a plaintext password has no
        # business in a library system, and dropping it here keeps it out of every log.
        user = User(
            sid, status, enabled, orgs, role, username, user_ids, given, family,
            v[c["middleName"]], v[c["identifier"]], v[c["email"]], v[c["sms"]], v[c["phone"]],
            grades,
        )  # fmt: skip
        self.result.users.append(user)
        return user

    def _role_of(self, row: RowCheck, sid: str, primary_org: str) -> tuple[str, tuple[str, ...]]:
        entries = (self.roles or {}).get(sid, [])
        if not entries:
            row.problem("no role for this user in roles.csv")
            return "", ()
        # Decision: User has one role; 1.2 marks one per user as primary, so that one
        # wins, else the first listed. Orgs come from every role, primary org first.
        chosen = next((e for e in entries if e[0] == "primary"), entries[0])
        orgs = [primary_org] if primary_org else []
        if primary_org:
            self._ref(row, "primaryOrgSourcedId", schema.ORGS, primary_org, "org")
        for _, _, org, _, _ in entries:
            if org not in orgs:
                orgs.append(org)
        return chosen[1], tuple(orgs)

    def _enrollment(self, row: RowCheck, v: list[str], c: dict[str, int]):
        status, _ = row.meta(v, c)
        cls = row.required(v, c, "classSourcedId")
        school = row.required(v, c, "schoolSourcedId")
        user = row.required(v, c, "userSourcedId")
        role = row.enum(v, c, "role", ROLES)
        primary_raw = v[c["primary"]]
        primary = None
        if primary_raw:
            try:
                primary = parse_bool("primary", primary_raw)
            except BadValue as exc:
                row.problem(str(exc))
        begin = row.date(v, c, "beginDate")
        end = row.date(v, c, "endDate")
        if begin and end and begin > end:
            row.problem(f"beginDate {begin} is after endDate {end}")
        if row.problems:
            return None
        cls = self._ref(row, "classSourcedId", schema.CLASSES, cls, "class")
        user = self._ref(row, "userSourcedId", schema.USERS, user, "user")
        # Decision: the school is checked too (beyond class and user), as for classes.
        school = self._ref(row, "schoolSourcedId", schema.ORGS, school, "org")
        if row.problems:
            return None
        enrollment = Enrollment(
            v[c["sourcedId"]], status, cls, school, user, role, primary, begin, end
        )
        self.result.enrollments.append(enrollment)
        return enrollment
