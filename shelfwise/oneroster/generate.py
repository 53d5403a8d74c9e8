"""Write a valid, deterministic bulk OneRoster 1.1 CSV set of any size.

Used to measure read_roster and the import (`shelfwise bench roster`) at district scale,
and by tests as a set known to hold zero errors. Names include accented and non-Latin
letters so UTF-8 handling is exercised end to end.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

__all__ = ["write_roster"]

SCHOOL_YEAR = "2026"
_GRADES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
_SUBJECTS = (
    "English Language Arts",
    "Mathematics",
    "Science",
    "Social Studies",
    "Art",
    "Music",
    "Physical Education",
    "World Languages",
)
_CLASS_SIZE = 25
_GIVEN = (
    "Ana", "José", "Mei", "Omar", "Fatima", "Liam", "Noah", "Sofía", "Aarav", "Zoë", "Amara",
    "Chidi", "Hana", "Yusuf", "Élodie", "Mateo", "Priya", "Nguyễn", "محمد", "Олена",
)  # fmt: skip
_FAMILY = (
    "García", "Smith", "Nguyen", "Hernández", "Khan", "Johnson", "Kim", "Okafor", "Müller",
    "Rossi", "Haddad", "Ivanova", "Chen", "Dubois", "Silva", "O'Brien", "Patel", "عبد الله",
)  # fmt: skip

_HEADERS = {
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions.csv": (
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear"
    ),
    "courses.csv": (
        "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,"
        "orgSourcedId,subjects,subjectCodes"
    ),
    "classes.csv": (
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
        "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods"
    ),
    "users.csv": (
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
        "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
        "password"
    ),
    "enrollments.csv": (
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
        "primary,beginDate,endDate"
    ),
}


class _Writer:
    def __init__(self, folder: Path, name: str) -> None:
        self._file = (folder / name).open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file)
        self._csv.writerow(_HEADERS[name].split(","))

    def row(self, *values: object) -> None:
        self._csv.writerow(values)

    def close(self) -> None:
        self._file.close()


def _split(total: int, parts: int) -> list[int]:
    """Share ``total`` out over ``parts`` as evenly as possible."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def write_roster(
    folder: str | Path,
    *,
    schools: int = 2,
    students: int = 50000,
    teachers: int = 2000,
    classes_per_student: int = 6,
    seed: int = 1,
) -> None:
    """Write a bulk OneRoster 1.1 set into ``folder`` (created if needed).

    Students are spread over the schools and the grades KG-12; each takes
    ``classes_per_student`` classes of about 25, and each class has one teacher from its
    school. The same arguments always write the same bytes.
    """
    if schools < 1 or teachers < schools or classes_per_student < 1 or students < 0:
        raise ValueError("need at least one school, one teacher per school and one class")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    # Past the eight base subjects, numbered variants ("Art 2") keep subjects distinct.
    n = len(_SUBJECTS)
    subjects = [
        _SUBJECTS[i % n] + (f" {i // n + 1}" if i >= n else "") for i in range(classes_per_student)
    ]
    _write_manifest(out)
    school_ids = [f"sch-{s + 1}" for s in range(schools)]
    _write_orgs(out, school_ids)
    _write_sessions(out)

    courses = _Writer(out, "courses.csv")
    classes = _Writer(out, "classes.csv")
    users = _Writer(out, "users.csv")
    enrollments = _Writer(out, "enrollments.csv")
    try:
        student_no = 0
        for school, n_students, n_teachers in zip(
            school_ids, _split(students, schools), _split(teachers, schools), strict=True
        ):
            teacher_ids = [f"tch-{school}-{t + 1}" for t in range(n_teachers)]
            for t, tid in enumerate(teacher_ids):
                _user(users, rnd, tid, school, "teacher", f"t{school[4:]}x{t + 1}", "")
            next_teacher = 0
            for grade, n_grade in zip(_GRADES, _split(n_students, len(_GRADES)), strict=True):
                ids = []
                for _ in range(n_grade):
                    student_no += 1
                    sid = f"stu-{student_no}"
                    ids.append(sid)
                    _user(users, rnd, sid, school, "student", f"s{student_no}", grade)
                sections = max(1, -(-n_grade // _CLASS_SIZE))
                for k, subject in enumerate(subjects):
                    course = f"crs-{school}-{grade}-{k + 1}"
                    code = f"{subject[:3].upper()}-{grade}"
                    courses.row(
                        course, "", "", "sy-2026", f"{subject} {grade}", code, grade, school,
                        subject, "",
                    )  # fmt: skip
                    for sec in range(sections):
                        cls = f"{course}-{sec + 1}"
                        classes.row(
                            cls, "", "", f"{subject} {grade} section {sec + 1}", grade, course,
                            f"{code}-{sec + 1}", "scheduled",
                            f"Room {rnd.randint(100, 399)}", school, "t1-2026,t2-2026", subject,
                            "", str(k % 8 + 1),
                        )  # fmt: skip
                        teacher = teacher_ids[next_teacher % len(teacher_ids)]
                        next_teacher += 1
                        enrollments.row(
                            f"enr-{cls}-{teacher}", "", "", cls, school, teacher, "teacher",
                            "true", "", "",
                        )  # fmt: skip
                        for sid in ids[sec::sections]:
                            enrollments.row(
                                f"enr-{cls}-{sid}", "", "", cls, school, sid, "student", "false",
                                "", "",
                            )  # fmt: skip
    finally:
        for w in (courses, classes, users, enrollments):
            w.close()


def _user(w: _Writer, rnd: random.Random, sid: str, school: str, role: str, login: str,
          grade: str) -> None:  # fmt: skip
    given = rnd.choice(_GIVEN)
    family = rnd.choice(_FAMILY)
    w.row(
        sid, "", "", "true", school, role, login, f"{{SIS:{sid}}}", given, family, "",
        sid.upper(), f"{login}@example.org", "", "", "", grade, "",
    )  # fmt: skip


def _write_manifest(out: Path) -> None:
    rows: list[tuple[str, str]] = [("manifest.version", "1.0"), ("oneroster.version", "1.1")]
    for name in ("academicSessions", "categories", "classes", "classResources", "courses",
                 "courseResources", "demographics", "enrollments", "lineItems", "orgs",
                 "resources", "results", "users"):  # fmt: skip
        bulk = name in ("academicSessions", "classes", "courses", "enrollments", "orgs", "users")
        rows.append((f"file.{name}", "bulk" if bulk else "absent"))
    rows += [("source.systemName", "Shelfwise generator"), ("source.systemCode", "shelfwise")]
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(("propertyName", "value"))
        writer.writerows(rows)


def _write_orgs(out: Path, school_ids: list[str]) -> None:
    w = _Writer(out, "orgs.csv")
    w.row("dist-1", "", "", "Shelfwise Unified School District", "district", "D1", "")
    for n, sid in enumerate(school_ids, 1):
        w.row(sid, "", "", f"School {n}", "school", f"S{n}", "dist-1")
    w.close()


def _sessions() -> Iterator[tuple[str, ...]]:
    yield ("sy-2026", "", "", "2025-2026", "schoolYear", "2025-08-18", "2026-06-12", "",
           SCHOOL_YEAR)  # fmt: skip
    yield ("t1-2026", "", "", "Fall 2025", "semester", "2025-08-18", "2026-01-16", "sy-2026",
           SCHOOL_YEAR)  # fmt: skip
    yield ("t2-2026", "", "", "Spring 2026", "semester", "2026-01-20", "2026-06-12", "sy-2026",
           SCHOOL_YEAR)  # fmt: skip


def _write_sessions(out: Path) -> None:
    w = _Writer(out, "academicSessions.csv")
    for row in _sessions():
        w.row(*row)
    w.close()
