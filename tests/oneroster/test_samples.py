"""Every real OneRoster sample set, as a folder and (where published so) as a zip: exact
counts of loaded rows and exact rejected rows, each worked out by hand from the files."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shelfwise.oneroster import (
    AcademicSession,
    Class,
    Enrollment,
    Org,
    User,
    read_roster,
)
from tests.oneroster.conftest import DATA, counts, errors

CORE_MODES = (
    "orgs.csv",
    "academicSessions.csv",
    "courses.csv",
    "classes.csv",
    "users.csv",
    "enrollments.csv",
)


def both(name: str) -> list:
    return [pytest.param(DATA / name, id="folder"), pytest.param(DATA / f"{name}.zip", id="zip")]


# --------------------------------------------------------------- catalyst 1.1 full


@pytest.mark.parametrize("path", both("catalyst_Test_full_data_set"))
def test_catalyst_full_loads_every_row(path):
    # Every row of this set is valid 1.1: 1 org, 5 sessions (tobedeleted and inactive
    # statuses are kept as statuses, not rejected), 2 classes ("Scheduled" is accepted as
    # "scheduled"), 6 users, 6 enrollments whose classes and users all exist.
    # The manifest says courses are absent, and there is no courses.csv.
    roster = read_roster(path)
    assert roster.version == "1.1"
    assert counts(roster) == {
        "orgs": 1,
        "sessions": 5,
        "courses": 0,
        "classes": 2,
        "users": 6,
        "enrollments": 6,
    }
    assert roster.errors == []
    assert {k: roster.modes[k] for k in CORE_MODES} == {
        "orgs.csv": "bulk",
        "academicSessions.csv": "bulk",
        "courses.csv": "absent",
        "classes.csv": "bulk",
        "users.csv": "bulk",
        "enrollments.csv": "bulk",
    }
    assert roster.manifest["source.systemName"] == "absent"
    # The org's parent org-sch-222-3456 is not in orgs.csv and the terms' parent school
    # year as-syr-222-2023 is not in academicSessions.csv: kept, with a warning.
    assert roster.warnings == [
        "orgs.csv: 1 reference in parentSourcedId to orgs not in orgs.csv "
        "(first: 'org-sch-222-3456'); kept without the link",
        "academicSessions.csv: 2 references in parentSourcedId to academic sessions not in "
        "academicSessions.csv (first: 'as-syr-222-2023'); kept without the link",
        "classes.csv: values accepted in another capitalisation: classType 'Scheduled'",
        "classes.csv refers to courses but courses.csv is absent",
    ]


def test_catalyst_full_typed_values():
    roster = read_roster(DATA / "catalyst_Test_full_data_set")
    assert roster.orgs[0] == Org(
        sourced_id="org-sch-222-456",
        status="active",
        date_last_modified=datetime(2023, 5, 1, 18, 25, 43, 511000, tzinfo=UTC),
        name="History Department",
        type="department",
        identifier="History",
        parent_sourced_id="org-sch-222-3456",
    )
    assert roster.sessions[0] == AcademicSession(
        sourced_id="as-grp-222-23456",
        status="tobedeleted",
        title="2st Quarter",
        type="gradingPeriod",
        start_date=date(2022, 10, 2),
        end_date=date(2022, 12, 24),
        parent_sourced_id="as-trm-222-1234",
        school_year="2023",
    )
    assert [s.status for s in roster.sessions] == [
        "tobedeleted",
        "active",
        "inactive",
        "active",
        "active",
    ]
    assert roster.classes[0] == Class(
        sourced_id="cls-222-123456",
        status="active",
        title="Introduction to Physics",
        grades=("09", "10", "11"),
        course_sourced_id="crs-222-2023-456-12345",
        class_code="Phys 100 - 1",
        class_type="scheduled",
        location="Room 2-B",
        school_sourced_id="org-sch-222-456",
        term_sourced_ids=("as-trm-222-1234",),
        subjects=("Science", "Physics", "Biology"),
        periods=("1",),
    )
    assert roster.classes[1].term_sourced_ids == ("as-trm-222-1234", "as-trm-222-1235")
    assert roster.classes[1].periods == ("1", "2", "3")
    assert roster.users[2] == User(
        sourced_id="usr-222-1234561",
        status="active",
        enabled=True,
        org_sourced_ids=("org-sch-222-456",),
        role="parent",
        username="thomas.joness",
        user_ids=(("LDAP", "12"), ("LTI", "15"), ("Fed", "23")),
        given_name="Thomas",
        family_name="Jones",
        middle_name="Paul",
        identifier="thomas.joness",
        email="thomas.jones@testemail.com",
        sms="6039876543",
        phone="6039876543",
        grades=("10",),
    )
    # Blank status in a bulk file stays blank (= active) rather than being invented.
    assert roster.users[1].status == ""
    assert roster.enrollments[0] == Enrollment(
        sourced_id="enr-t-222-12345-123456",
        status="active",
        class_sourced_id="cls-222-123456",
        school_sourced_id="org-sch-222-456",
        user_sourced_id="usr-222-123456",
        role="teacher",
        primary=False,
        begin_date=date(2022, 3, 15),
        end_date=date(2022, 6, 15),
    )


def test_plaintext_password_is_never_kept():
    # users.csv holds "Password1-" for every user; no field of any row may carry it.
    roster = read_roster(DATA / "catalyst_Test_full_data_set")
    assert not hasattr(roster.users[0], "password")
    for user in roster.users:
        assert "Password1-" not in repr(user)


# ------------------------------------------------------------ catalyst 1.1 minimal


@pytest.mark.parametrize("path", both("catalyst_Test_minimal_data_set"))
def test_catalyst_minimal_loads_every_row(path):
    # Same rows as the full set with every optional value blank: still all valid.
    roster = read_roster(path)
    assert counts(roster) == {
        "orgs": 1,
        "sessions": 5,
        "courses": 0,
        "classes": 2,
        "users": 6,
        "enrollments": 6,
    }
    assert roster.errors == []
    assert roster.classes[0].grades == ()
    assert roster.enrollments[0].primary is None
    assert roster.enrollments[0].begin_date is None
    assert roster.orgs[0].date_last_modified is None
    assert roster.users[0].identifier == "jogn.doe"  # the sample's own typo, kept as sent


# -------------------------------------------------------------- oat-sa "v1p1" (messy)


def test_oat_sa_v1p1():
    # Manifest says 1.1, files use 1.0 names. orgs: both load ("2017-05-06 08:01:05" is an
    # accepted timestamp; metadata.* and ext_* columns are ignored). users: both load
    # (userId/agents are 1.0 names; userId "abc" is not {type:id}, kept with an empty type).
    # classes: all three have an empty courseSourcedId, which 1.1 requires -> rejected.
    # enrollments: each points at one of those rejected classes -> rejected.
    # academicSessions and courses are header-only; academicSessions lacks 1.1's
    # schoolYear column, which only warns because there is no row to reject.
    roster = read_roster(DATA / "oat-sa_v1p1_OneRosterv1p1BaseCSV")
    assert roster.version == "1.1"
    assert counts(roster) == {
        "orgs": 2,
        "sessions": 0,
        "courses": 0,
        "classes": 0,
        "users": 2,
        "enrollments": 0,
    }
    assert errors(roster) == [
        ("classes.csv", 2, "missing required value for 'courseSourcedId'"),
        ("classes.csv", 3, "missing required value for 'courseSourcedId'"),
        ("classes.csv", 4, "missing required value for 'courseSourcedId'"),
        (
            "enrollments.csv",
            2,
            "classSourcedId refers to class 'class1', which was rejected (classes.csv line 2)",
        ),
        (
            "enrollments.csv",
            3,
            "classSourcedId refers to class 'class2', which was rejected (classes.csv line 3)",
        ),
        (
            "enrollments.csv",
            4,
            "classSourcedId refers to class 'class3', which was rejected (classes.csv line 4)",
        ),
    ]
    assert [e.sourced_id for e in roster.errors] == [
        "class1",
        "class2",
        "class3",
        "enrol1",
        "enrol2",
        "enrol3",
    ]
    assert roster.orgs[0].date_last_modified == datetime(2017, 5, 6, 8, 1, 5, tzinfo=UTC)
    assert roster.orgs[0].parent_sourced_id == "54321"
    assert roster.users[0].user_ids == (("", "abc"),)
    assert roster.users[0].status == ""
    assert roster.users[0].enabled is True
    w = roster.warnings
    assert (
        "OneRoster 1.0 column names accepted in users.csv: userId → userIds, "
        "agents → agentSourcedIds"
    ) in w
    assert (
        "vendor extension columns ignored in users.csv: ext_imagineLearning_databaseId, "
        "ext_imagineLearning_ssoId, ext_imagineLearning_studentPassword, "
        "ext_imagineLearning_studentGrade, ext_imagineLearning_Language, "
        "ext_tao_userMotherName, ext_tao_userFatherName"
    ) in w
    assert (
        "vendor extension columns ignored in orgs.csv: metadata.classification, "
        "metadata.gender, metadata.boarding, ext_imagineLearning_databaseId"
    ) in w
    assert (
        "academicSessions.csv has no rows and its header is missing required column 'schoolYear'"
    ) in w
    assert "files not read: demographics.csv (Shelfwise keeps no demographics)" in w


def test_oat_sa_v1p0_without_manifest():
    # No manifest: read as 1.0, every file bulk. users.csv has no enabledUser (1.0 had
    # none): both users load, enabled. classes use 1.0's singular termSourcedId. Same
    # rejections as the v1p1 copy, for the same reasons.
    roster = read_roster(DATA / "oat-sa_v1p0_oneRoster1.0")
    assert roster.version == "1.0"
    assert roster.manifest == {}
    assert {k: roster.modes[k] for k in CORE_MODES} == dict.fromkeys(CORE_MODES, "bulk")
    assert counts(roster) == {
        "orgs": 2,
        "sessions": 0,
        "courses": 0,
        "classes": 0,
        "users": 2,
        "enrollments": 0,
    }
    assert [(e.file, e.line) for e in roster.errors] == [
        ("classes.csv", 2),
        ("classes.csv", 3),
        ("classes.csv", 4),
        ("enrollments.csv", 2),
        ("enrollments.csv", 3),
        ("enrollments.csv", 4),
    ]
    assert all(u.enabled for u in roster.users)
    assert (
        roster.warnings[0] == "no manifest.csv: read as OneRoster 1.0, every file present as bulk"
    )
    assert (
        "OneRoster 1.0 column names accepted in classes.csv: grade → grades, "
        "termSourcedId → termSourcedIds"
    ) in roster.warnings


# ---------------------------------------------------------------- catalyst 1.2 sets


@pytest.mark.parametrize("path", both("catalyst_v1p2_full_dataset"))
def test_catalyst_v1p2_full(path):
    # 1.2: users.csv has no role/orgSourcedIds; roles.csv supplies them. Five users carry
    # dateLastModified as D/MM/YYYY ("1/05/2023", "15/06/2023"): rejected, not guessed.
    # Only usr-222-66778899 (blank dateLastModified) loads, as a student of its org.
    # roles.csv: its header ends with two unnamed columns that rows leave out (tolerated);
    # the six roles of rejected users are rejected; siteAdministrator maps to administrator.
    # enrollments: all six point at rejected users -> rejected.
    roster = read_roster(path)
    assert roster.version == "1.2"
    assert counts(roster) == {
        "orgs": 1,
        "sessions": 5,
        "courses": 0,
        "classes": 2,
        "users": 1,
        "enrollments": 0,
    }
    bad_date = "dateLastModified '{}' is not an ISO 8601 date or date-time"

    def rejected_user(uid: str, line: int) -> str:
        return f"userSourcedId refers to user '{uid}', which was rejected (users.csv line {line})"

    assert errors(roster) == [
        ("users.csv", 2, bad_date.format("1/05/2023")),
        ("users.csv", 4, bad_date.format("1/05/2023")),
        ("users.csv", 5, bad_date.format("1/05/2023")),
        ("users.csv", 6, bad_date.format("1/05/2023")),
        ("users.csv", 7, bad_date.format("15/06/2023")),
        ("roles.csv", 2, rejected_user("usr-222-123456", 2)),
        ("roles.csv", 4, rejected_user("usr-222-1234561", 4)),
        ("roles.csv", 5, rejected_user("usr-222-987654", 5)),
        ("roles.csv", 6, rejected_user("usr-222-1234561232", 6)),
        ("roles.csv", 7, rejected_user("usr-222-567891", 7)),
        ("roles.csv", 8, rejected_user("usr-222-123456", 2)),
        ("enrollments.csv", 2, rejected_user("usr-222-123456", 2)),
        ("enrollments.csv", 3, rejected_user("usr-222-987654", 5)),
        ("enrollments.csv", 4, rejected_user("usr-222-1234561232", 6)),
        ("enrollments.csv", 5, rejected_user("usr-222-123456", 2)),
        ("enrollments.csv", 6, rejected_user("usr-222-987654", 5)),
        ("enrollments.csv", 7, rejected_user("usr-222-1234561232", 6)),
    ]
    (mary,) = roster.users
    assert (mary.sourced_id, mary.role, mary.org_sourced_ids) == (
        "usr-222-66778899",
        "student",
        ("org-sch-222-456",),
    )
    w = roster.warnings
    assert "roles.csv: OneRoster 1.2 roles read as 'administrator': 'siteAdministrator'" in w
    assert "roles.csv: the header ends with 2 unnamed columns; ignored" in w
    assert "unknown columns ignored in roles.csv: dataLastModified" in w
    assert (
        "unknown columns ignored in users.csv: prefferedGivenName, prefferedMiddleName, "
        "prefferedFamilyName"
    ) in w
    assert "files not read: userprofiles.csv (login profiles are not used)" in w


@pytest.mark.parametrize("path", both("catalyst_oneroster_test_data"))
def test_catalyst_oneroster_test_data(path):
    # A clean one-row-per-file 1.2 delta set: everything loads; the user's role and school
    # come from roles.csv; the plaintext password "Batman.Ru1ez" is dropped.
    roster = read_roster(path)
    assert counts(roster) == dict.fromkeys(
        ("orgs", "sessions", "courses", "classes", "users", "enrollments"), 1
    )
    assert roster.errors == []
    assert roster.modes["users.csv"] == "delta"
    (bruce,) = roster.users
    assert (bruce.role, bruce.org_sourced_ids, bruce.given_name) == ("student", ("ORG_1",), "Bruce")
    assert "Batman" not in repr(bruce)
    assert roster.courses[0].org_sourced_id == "ORG_1"
    assert roster.courses[0].subjects == ("subject1",)
    assert roster.warnings == [
        "OneRoster 1.2 set: read as 1.1 where the files map (roles from roles.csv)",
        "files not read: demographics.csv (Shelfwise keeps no demographics), "
        "userprofiles.csv (login profiles are not used)",
    ]
