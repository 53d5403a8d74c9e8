"""Per-row validation helpers and per-file warning collection used by the reader.

RowCheck gathers every problem of one row, so a rejected row is reported once with all its
reasons. FileNotes folds what would be thousands of identical per-row remarks into one
warning per file and kind.
"""

from __future__ import annotations

from datetime import date, datetime

from shelfwise.oneroster.fields import (
    STATUSES,
    BadValue,
    Enum,
    parse_date,
    parse_grades,
    parse_timestamp,
)
from shelfwise.oneroster.schema import HeaderMap

__all__ = ["FileNotes", "RowCheck"]

_EXAMPLES = 5


def _quoted(values) -> str:
    items = sorted(values)
    shown = ", ".join(f"'{v}'" for v in items[:_EXAMPLES])
    return shown + (f" and {len(items) - _EXAMPLES} more" if len(items) > _EXAMPLES else "")


class FileNotes:
    """Warnings about one file, each kind said once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._plain: list[str] = []
        self._case: set[tuple[str, str]] = set()
        self._mapped: dict[str, set[str]] = {}
        self._grades: set[str] = set()
        self._user_ids = 0
        self._absent: dict[str, str] = {}
        # (column, noun, target) -> [count, first sourcedId, first line]
        self._unknown: dict[tuple[str, str, str], list] = {}

    def warn(self, message: str) -> None:
        self._plain.append(message)

    def header(self, hm: HeaderMap) -> None:
        f = self.file
        if hm.aliased:
            self.warn(f"OneRoster 1.0 column names accepted in {f}: {', '.join(hm.aliased)}")
        if hm.vendor:
            self.warn(f"vendor extension columns ignored in {f}: {', '.join(hm.vendor)}")
        if hm.unknown:
            self.warn(f"unknown columns ignored in {f}: {', '.join(hm.unknown)}")
        if hm.duplicates:
            self.warn(f"{f} repeats columns (the first one is used): {', '.join(hm.duplicates)}")
        if hm.trailing_unnamed:
            self.warn(f"{f}: the header ends with {hm.trailing_unnamed} unnamed columns; ignored")

    def case(self, column: str, value: str) -> None:
        self._case.add((column, value))

    def mapped(self, original: str, canonical: str) -> None:
        self._mapped.setdefault(canonical, set()).add(original)

    def unknown_grades(self, values: tuple[str, ...]) -> None:
        self._grades.update(values)

    def malformed_user_ids(self) -> None:
        self._user_ids += 1

    def absent_ref(self, noun: str, target: str) -> None:
        self._absent.setdefault(noun, target)

    def unknown_ref(self, column: str, noun: str, target: str, sid: str, line: int) -> None:
        entry = self._unknown.get((column, noun, target))
        if entry is None:
            self._unknown[(column, noun, target)] = [1, sid, line]
        else:
            entry[0] += 1

    def messages(self) -> list[str]:
        f = self.file
        out = list(self._plain)
        if self._case:
            shown = ", ".join(f"{c} '{v}'" for c, v in sorted(self._case)[:_EXAMPLES])
            out.append(f"{f}: values accepted in another capitalisation: {shown}")
        for canonical, originals in sorted(self._mapped.items()):
            out.append(f"{f}: OneRoster 1.2 roles read as '{canonical}': {_quoted(originals)}")
        if self._grades:
            out.append(f"{f}: grades kept as written, not CEDS codes: {_quoted(self._grades)}")
        if self._user_ids:
            out.append(
                f"{f}: {self._user_ids} userIds values not in {{type:id}} form; "
                "kept with an empty type"
            )
        for noun, target in sorted(self._absent.items()):
            out.append(f"{f} refers to {noun} but {target} is absent")
        for (column, noun, target), (count, sid, line) in sorted(self._unknown.items()):
            where = f" on line {line}" if line else ""
            times = "1 reference" if count == 1 else f"{count} references"
            out.append(
                f"{f}: {times} in {column} to {noun} not in {target} "
                f"(first: '{sid}'{where}); kept without the link"
            )
        return out


class RowCheck:
    """The problems found in one row; the row is rejected when there is any."""

    __slots__ = ("file", "line", "mode", "notes", "problems")

    def __init__(self, notes: FileNotes, file: str, line: int, mode: str) -> None:
        self.notes = notes
        self.file = file
        self.line = line
        self.mode = mode
        self.problems: list[str] = []

    def problem(self, reason: str) -> None:
        self.problems.append(reason)

    def required(self, v: list[str], c: dict[str, int], column: str) -> str:
        value = v[c[column]]
        if not value:
            self.problems.append(f"missing required value for '{column}'")
        return value

    def enum(self, v: list[str], c: dict[str, int], column: str, enum: Enum) -> str:
        value = self.required(v, c, column)
        if not value:
            return ""
        try:
            canonical, note = enum.parse(value)
        except BadValue as exc:
            self.problems.append(str(exc))
            return ""
        if note == "case":
            self.notes.case(column, value)
        elif note:
            self.notes.mapped(note, canonical)
        return canonical

    def date(
        self, v: list[str], c: dict[str, int], column: str, *, required: bool = False
    ) -> date | None:
        value = self.required(v, c, column) if required else v[c[column]]
        if not value:
            return None
        try:
            return parse_date(column, value)
        except BadValue as exc:
            self.problems.append(str(exc))
            return None

    def meta(self, v: list[str], c: dict[str, int]) -> tuple[str, datetime | None]:
        """status and dateLastModified, common to every file.

        Blank is fine in a bulk file (it means active). Decision: in a delta file both are
        required, as the spec says, since a delta row without a status cannot say whether
        it adds or deletes.
        """
        status = v[c["status"]]
        if status:
            status = self.enum(v, c, "status", STATUSES)
        elif self.mode == "delta":
            self.problems.append("missing required value for 'status' (required in a delta file)")
        modified = v[c["dateLastModified"]]
        stamp = None
        if modified:
            try:
                stamp = parse_timestamp("dateLastModified", modified)
            except BadValue as exc:
                self.problems.append(str(exc))
        elif self.mode == "delta":
            self.problems.append(
                "missing required value for 'dateLastModified' (required in a delta file)"
            )
        return status, stamp

    def grades(self, v: list[str], c: dict[str, int]) -> tuple[str, ...]:
        grades, unknown = parse_grades(v[c["grades"]])
        if unknown:
            self.notes.unknown_grades(unknown)
        return grades
