"""The generator writes valid bulk OneRoster 1.1 sets that read back with zero errors."""

from __future__ import annotations

import hashlib

import pytest

from shelfwise.oneroster import read_roster
from shelfwise.oneroster.generate import write_roster


def _digest(folder) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def test_round_trip_with_zero_errors(tmp_path):
    write_roster(tmp_path, schools=3, students=5000, teachers=120, classes_per_student=6)
    roster = read_roster(tmp_path)
    assert roster.errors == []
    assert roster.warnings == []
    assert roster.version == "1.1"
    assert all(roster.modes[f] == "bulk" for f in ("orgs.csv", "users.csv", "enrollments.csv"))
    assert len(roster.orgs) == 4  # the district and three schools
    assert len(roster.users) == 5000 + 120
    students = [u for u in roster.users if u.role == "student"]
    assert len(students) == 5000
    # Each student is in exactly classes_per_student classes; each class has one teacher.
    student_enrollments = [e for e in roster.enrollments if e.role == "student"]
    teacher_enrollments = [e for e in roster.enrollments if e.role == "teacher"]
    assert len(student_enrollments) == 5000 * 6
    assert len(teacher_enrollments) == len(roster.classes)
    assert {c.sourced_id for c in roster.classes} == {
        e.class_sourced_id for e in teacher_enrollments
    }
    assert {u.grades[0] for u in students} == {
        "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
    }  # fmt: skip
    # Names outside ASCII survive the trip (the generator uses some on purpose).
    assert any(not u.given_name.isascii() for u in roster.users)


def test_same_arguments_same_bytes(tmp_path):
    write_roster(tmp_path / "a", students=300, teachers=10, seed=7)
    write_roster(tmp_path / "b", students=300, teachers=10, seed=7)
    write_roster(tmp_path / "c", students=300, teachers=10, seed=8)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_more_classes_than_subjects(tmp_path):
    write_roster(tmp_path, schools=1, students=50, teachers=3, classes_per_student=10)
    roster = read_roster(tmp_path)
    assert roster.errors == []
    assert len([e for e in roster.enrollments if e.role == "student"]) == 500


def test_rejects_impossible_sizes(tmp_path):
    with pytest.raises(ValueError, match="one teacher per school"):
        write_roster(tmp_path, schools=3, teachers=2)
