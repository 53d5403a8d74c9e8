"""`shelfwise add-school` and `shelfwise add-user`: scripted set-up, and what bad input does."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from shelfwise.audit.models import AuditEntry
from shelfwise.cli import main
from shelfwise.people.models import Membership, Person
from shelfwise.people.services import membership_set, person_create
from shelfwise.schools.models import School
from shelfwise.schools.services import school_create

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Reading-is-4-everyone"


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    # A command run from argv closes every database connection when it ends;
    # that would close the test's own (transaction-wrapped) connection.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def shelfwise(*args: str) -> int:
    """Run the console script as a shell would (argv, exit code, stderr)."""
    try:
        main(["shelfwise", *args])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password.txt"
    path.write_text(GOOD_PASSWORD + "\n", encoding="utf-8")
    return path


# --- add-school --------------------------------------------------------------


def test_add_school(capsys):
    assert (
        shelfwise("add-school", "LMS", "Lincoln Middle School", "--timezone", "America/Chicago")
        == 0
    )
    school = School.objects.get(code="LMS")
    assert school.name == "Lincoln Middle School"
    assert school.timezone == "America/Chicago"
    assert "Created school LMS" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="school.create")
    assert entry.school == school
    assert entry.detail["code"] == "LMS"


def test_add_school_default_timezone():
    assert shelfwise("add-school", "OAK", "Oak Elementary") == 0
    assert School.objects.get(code="OAK").timezone == "America/New_York"


@pytest.mark.parametrize("code", ["LMS", "lms"])
def test_add_school_with_an_existing_code_changes_nothing(capsys, code):
    school_create(code="LMS", name="Lincoln Middle School", timezone="America/New_York")
    capsys.readouterr()
    assert shelfwise("add-school", code, "Another Name") == 1
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "Traceback" not in err
    assert School.objects.count() == 1
    assert School.objects.get().name == "Lincoln Middle School"
    assert AuditEntry.objects.filter(action="school.create").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["BAD CODE", "Name"], "code"),
        (["LMS", "Name", "--timezone", "Mars/Olympus_Mons"], "not a known time zone"),
        (["LMS", ""], "name"),
    ],
)
def test_add_school_bad_input(capsys, args, message):
    assert shelfwise("add-school", *args) == 1
    assert message in capsys.readouterr().err
    assert not School.objects.exists()
    assert not AuditEntry.objects.exists()


def test_add_school_missing_arguments(capsys):
    assert shelfwise("add-school", "LMS") == 2  # argparse usage error
    assert "name" in capsys.readouterr().err


# --- add-user -------------------------------------------------------------------


@pytest.fixture
def lms(db):
    return school_create(code="LMS", name="Lincoln Middle School", timezone="America/New_York")


def test_add_user_with_password_file(lms, password_file, capsys):
    code = shelfwise(
        "add-user",
        "lruiz",
        "--school",
        "LMS",
        "--role",
        "librarian",
        "--password-file",
        str(password_file),
        "--first-name",
        "Lena",
        "--last-name",
        "Ruiz",
        "--email",
        "lruiz@example.org",
    )
    assert code == 0
    person = Person.objects.get(username="lruiz")
    assert person.check_password(GOOD_PASSWORD)
    assert person.password.startswith("argon2")
    assert (person.first_name, person.last_name, person.email) == (
        "Lena",
        "Ruiz",
        "lruiz@example.org",
    )
    membership = Membership.objects.get(person=person)
    assert (membership.school, membership.role) == (lms, "librarian")
    assert "Created lruiz" in capsys.readouterr().out
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"person.create", "membership.set"} <= actions


def test_added_user_can_sign_in(client, lms, password_file):
    shelfwise(
        "add-user",
        "tbaker",
        "--school",
        "lms",
        "--role",
        "teacher",
        "--password-file",
        str(password_file),
    )
    response = client.post("/login/", {"username": "tbaker", "password": GOOD_PASSWORD})
    assert response.status_code == 302


def test_add_user_asks_for_the_password_twice(lms, monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert shelfwise("add-user", "sami", "--school", "LMS", "--role", "student") == 0
    assert Person.objects.get(username="sami").check_password(GOOD_PASSWORD)


def test_add_user_passwords_that_differ_change_nothing(lms, monkeypatch, capsys):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert shelfwise("add-user", "sami", "--school", "LMS", "--role", "student") == 1
    assert "differ" in capsys.readouterr().err
    assert not Person.objects.filter(username="sami").exists()


def test_add_user_without_a_terminal(lms, monkeypatch, capsys):
    def no_input(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_input)
    assert shelfwise("add-user", "sami", "--school", "LMS", "--role", "student") == 1
    assert "No password" in capsys.readouterr().err


def test_add_user_weak_password_is_refused(lms, tmp_path, capsys):
    weak = tmp_path / "weak.txt"
    weak.write_text("short\n", encoding="utf-8")
    assert (
        shelfwise(
            "add-user", "sami", "--school", "LMS", "--role", "student", "--password-file", str(weak)
        )
        == 1
    )
    assert "too short" in capsys.readouterr().err
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="person.create").exists()


@pytest.mark.parametrize("content", ["", "\nsecond line"])
def test_add_user_empty_password_file(lms, tmp_path, capsys, content):
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    assert (
        shelfwise(
            "add-user",
            "sami",
            "--school",
            "LMS",
            "--role",
            "student",
            "--password-file",
            str(empty),
        )
        == 1
    )
    assert "empty" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_add_user_missing_password_file(lms, tmp_path, capsys):
    assert (
        shelfwise(
            "add-user",
            "sami",
            "--school",
            "LMS",
            "--role",
            "student",
            "--password-file",
            str(tmp_path / "nope.txt"),
        )
        == 1
    )
    assert "Cannot read the password file" in capsys.readouterr().err


def test_add_user_unknown_school(lms, password_file, capsys):
    assert (
        shelfwise(
            "add-user",
            "sami",
            "--school",
            "NOPE",
            "--role",
            "student",
            "--password-file",
            str(password_file),
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "No school with the code NOPE" in err
    assert "Traceback" not in err
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", ["janitor", "Librarian", ""])
def test_add_user_unknown_role(lms, password_file, capsys, role):
    assert (
        shelfwise(
            "add-user",
            "sami",
            "--school",
            "LMS",
            "--role",
            role,
            "--password-file",
            str(password_file),
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "is not a role" in err
    assert "ell_specialist" in err  # the message lists the roles
    assert not Person.objects.exists()


def test_add_user_bad_username(lms, password_file, capsys):
    assert (
        shelfwise(
            "add-user",
            "no spaces please",
            "--school",
            "LMS",
            "--role",
            "student",
            "--password-file",
            str(password_file),
        )
        == 1
    )
    assert "username" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_add_user_existing_person_gets_a_membership_in_another_school(lms, password_file, capsys):
    oak = school_create(code="OAK", name="Oak Elementary", timezone="America/New_York")
    shelfwise(
        "add-user",
        "lruiz",
        "--school",
        "LMS",
        "--role",
        "librarian",
        "--password-file",
        str(password_file),
    )
    assert shelfwise("add-user", "lruiz", "--school", "OAK", "--role", "teacher") == 0
    person = Person.objects.get(username="lruiz")
    assert dict(person.memberships.values_list("school__code", "role")) == {
        "LMS": "librarian",
        "OAK": "teacher",
    }
    assert person.check_password(GOOD_PASSWORD)  # untouched
    assert "is now teacher in OAK" in capsys.readouterr().out
    entry = AuditEntry.objects.filter(action="membership.set", school=oak).get()
    assert entry.detail == {"person": "lruiz", "role": "teacher", "previous_role": None}


def test_add_user_existing_person_changes_role(lms, password_file, tmp_path, capsys):
    shelfwise(
        "add-user",
        "ava",
        "--school",
        "LMS",
        "--role",
        "student",
        "--password-file",
        str(password_file),
    )
    other = tmp_path / "other.txt"
    other.write_text("Another-good-passphrase\n", encoding="utf-8")
    assert (
        shelfwise(
            "add-user", "ava", "--school", "LMS", "--role", "aide", "--password-file", str(other)
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "password was not changed" in captured.err
    person = Person.objects.get(username="ava")
    assert person.memberships.get().role == "aide"
    assert person.check_password(GOOD_PASSWORD)
    entry = AuditEntry.objects.filter(action="membership.set").order_by("-pk").first()
    assert entry.detail["previous_role"] == "student"

    # The same role again: nothing changes, nothing audited.
    count = AuditEntry.objects.count()
    assert shelfwise("add-user", "ava", "--school", "LMS", "--role", "aide") == 0
    assert "was already aide" in capsys.readouterr().out
    assert AuditEntry.objects.count() == count


# --- Services directly ---------------------------------------------------------


def test_person_create_is_atomic(lms, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("shelfwise.people.services.audit_log", boom)
    with pytest.raises(RuntimeError):
        person_create(username="x1", password=GOOD_PASSWORD, school=lms, role="teacher")
    assert not Person.objects.exists()
    assert not Membership.objects.exists()


def test_membership_set_rejects_unknown_role(personas):
    with pytest.raises(ValidationError):
        membership_set(person=personas.teacher, school=personas.school, role="principal")
    assert personas.teacher.memberships.get().role == "teacher"


def test_membership_set_refreshes_the_permission_cache(personas):
    from shelfwise.people.permissions import has_perm

    teacher = personas.teacher
    assert not has_perm(teacher, "catalog.edit", personas.school)
    membership_set(
        person=teacher, school=personas.school, role="librarian", actor=personas.librarian
    )
    assert has_perm(teacher, "catalog.edit", personas.school)
    entry = AuditEntry.objects.get(action="membership.set")
    assert entry.actor == personas.librarian
