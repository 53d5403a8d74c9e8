"""Row and file validation, each case made by editing one thing in a copy of the real
catalyst 1.1 full set (whose rows are otherwise all valid: see test_samples)."""

from __future__ import annotations

import zipfile

from shelfwise.oneroster import read_roster
from tests.oneroster.conftest import counts, edit, errors

USER_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)


def test_missing_required_value_and_unknown_role(full_copy):
    users = full_copy / "users.csv"
    # line 4 (thomas.joness): role parent -> wizard; line 5 (jim.smith): no username.
    edit(users, "org-sch-222-456,parent,thomas.joness", "org-sch-222-456,wizard,thomas.joness")
    edit(users, "org-sch-222-456,teacher,jim.smith,", "org-sch-222-456,teacher,,")
    roster = read_roster(full_copy)
    assert errors(roster)[:2] == [
        ("users.csv", 4, "unknown role 'wizard'"),
        ("users.csv", 5, "missing required value for 'username'"),
    ]
    assert roster.errors[0].sourced_id == "usr-222-1234561"
    # jim.smith (usr-222-987654) is in two classes: both enrollments go with him.
    assert errors(roster)[2:] == [
        (
            "enrollments.csv",
            3,
            "userSourcedId refers to user 'usr-222-987654', which was rejected (users.csv line 5)",
        ),
        (
            "enrollments.csv",
            6,
            "userSourcedId refers to user 'usr-222-987654', which was rejected (users.csv line 5)",
        ),
    ]
    assert counts(roster)["users"] == 4
    assert counts(roster)["enrollments"] == 4


def test_every_problem_of_a_row_is_in_one_error(full_copy):
    edit(
        full_copy / "users.csv",
        "usr-222-567891,active,2023-06-15,TRUE,org-sch-222-456,student,anna.brown",
        "usr-222-567891,active,2023-06-15,yes,org-sch-222-456,wizard,anna.brown",
    )
    roster = read_roster(full_copy)
    assert errors(roster) == [
        ("users.csv", 7, "enabledUser 'yes' is not true or false; unknown role 'wizard'")
    ]


def test_duplicate_sourced_id(full_copy):
    edit(full_copy / "users.csv", "usr-222-567891,", "usr-222-66778899,")
    roster = read_roster(full_copy)
    assert errors(roster) == [
        ("users.csv", 7, "duplicate sourcedId 'usr-222-66778899' (first on line 3)")
    ]
    assert [u.username for u in roster.users if u.sourced_id == "usr-222-66778899"] == [
        "mary.jones"
    ]


def test_unknown_org_rejects_user(full_copy):
    edit(
        full_copy / "users.csv",
        "TRUE,org-sch-222-456,student,anna.brown",
        "TRUE,x,student,anna.brown",
    )
    roster = read_roster(full_copy)
    assert errors(roster) == [("users.csv", 7, "orgSourcedIds refers to unknown org 'x'")]


def test_unknown_org_is_not_checked_when_orgs_is_delta(full_copy):
    # In a delta set the org may already be in the database: not the reader's call.
    edit(full_copy / "manifest.csv", "file.orgs,bulk", "file.orgs,delta")
    edit(
        full_copy / "users.csv",
        "TRUE,org-sch-222-456,student,anna.brown",
        "TRUE,x,student,anna.brown",
    )
    # A delta orgs.csv needs status and dateLastModified on each row; this one has them.
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert roster.users[-1].org_sourced_ids == ("x",)


def test_class_school_must_be_a_known_org(full_copy):
    edit(full_copy / "classes.csv", "Room 2-B,org-sch-222-456", "Room 2-B,org-nowhere")
    roster = read_roster(full_copy)
    assert errors(roster)[0] == (
        "classes.csv",
        2,
        "schoolSourcedId refers to unknown org 'org-nowhere'",
    )
    # The three enrollments in that class (lines 2-4) go with it.
    assert [(e.file, e.line) for e in roster.errors[1:]] == [
        ("enrollments.csv", 2),
        ("enrollments.csv", 3),
        ("enrollments.csv", 4),
    ]


def test_bad_dates(full_copy):
    sessions = full_copy / "academicSessions.csv"
    edit(sessions, "gradingPeriod,2022-10-02", "gradingPeriod,foo")
    edit(sessions, "term,2022-09-01,2022-12-24", "term,2022-02-30,2022-12-24")
    edit(sessions, "semester,2022-10-02,2022-12-24", "semester,2/10/2022,2022-12-24")
    edit(sessions, "schoolYear,2022-10-02,2022-12-24", "schoolYear,2022-12-25,2022-12-24")
    roster = read_roster(full_copy)
    assert errors(roster) == [
        ("academicSessions.csv", 2, "startDate 'foo' is not YYYY-MM-DD"),
        ("academicSessions.csv", 3, "startDate '2022-02-30' is not a real date"),
        ("academicSessions.csv", 4, "startDate '2/10/2022' is not YYYY-MM-DD"),
        ("academicSessions.csv", 5, "startDate 2022-12-25 is after endDate 2022-12-24"),
    ]


def test_row_length_mismatch(full_copy):
    # Drop two values from anna.brown's row (line 7): the columns no longer line up.
    edit(
        full_copy / "users.csv",
        "6038885678,usr-222-987654,11,Password1-",
        "6038885678,usr-222-987654",
    )
    roster = read_roster(full_copy)
    assert errors(roster) == [("users.csv", 7, "row has 16 values but the header has 18")]
    assert roster.errors[0].sourced_id == "usr-222-567891"


def test_trailing_empty_values_are_tolerated(full_copy):
    # Spreadsheets add trailing commas; empty extra cells do not shift anything.
    edit(full_copy / "orgs.csv", "History,org-sch-222-3456", "History,org-sch-222-3456,,")
    assert read_roster(full_copy).errors == []


def test_lines_count_quoted_multiline_fields(full_copy):
    # Give thomas.joness (line 4) a middle name spanning three physical lines; the rows
    # after it then start two lines later.
    users = full_copy / "users.csv"
    edit(users, ",Thomas,Jones,Paul,", ',Thomas,Jones,"Paul\r\nA.\r\nB.",')
    edit(users, "TRUE,org-sch-222-456,student,anna.brown", "TRUE,x,student,anna.brown")
    edit(users, "TRUE,org-sch-222-456,teacher,jim.smith", "TRUE,y,teacher,jim.smith")
    roster = read_roster(full_copy)
    assert [(e.file, e.line, e.sourced_id) for e in roster.errors if e.file == "users.csv"] == [
        ("users.csv", 7, "usr-222-987654"),
        ("users.csv", 9, "usr-222-567891"),
    ]
    assert roster.users[2].middle_name == "Paul\r\nA.\r\nB."


def test_missing_required_column_rejects_file_once(full_copy):
    # Rename the username column: one error at line 1, no user loads, and users.csv is no
    # longer a bulk snapshot (nobody may be deactivated because of a broken header).
    edit(full_copy / "users.csv", ",username,", ",login,")
    roster = read_roster(full_copy)
    user_errors = [e for e in errors(roster) if e[0] == "users.csv"]
    assert user_errors == [
        ("users.csv", 1, "missing required column 'username'; no row of this file was loaded")
    ]
    assert roster.users == []
    assert roster.modes["users.csv"] == "absent"
    assert "unknown columns ignored in users.csv: login" in roster.warnings
    # With users.csv absent, enrollments are not checked against it: they still load.
    assert counts(roster)["enrollments"] == 6
    # Other files still load.
    assert counts(roster)["classes"] == 2


def test_header_whitespace_and_bom_are_tolerated(full_copy):
    orgs = full_copy / "orgs.csv"
    data = orgs.read_bytes().replace(b"sourcedId,status", b" sourcedId , status", 1)
    orgs.write_bytes(b"\xef\xbb\xbf" + data)
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert roster.orgs[0].sourced_id == "org-sch-222-456"


def test_headers_are_case_sensitive(full_copy):
    edit(
        full_copy / "orgs.csv",
        "sourcedId,status,dateLastModified,name,",
        "sourcedId,status,dateLastModified,Name,",
    )
    roster = read_roster(full_copy)
    assert (
        "orgs.csv",
        1,
        "missing required column 'name'; no row of this file was loaded",
    ) in errors(roster)


def test_windows_1252_file_is_read_with_a_warning(full_copy):
    users = full_copy / "users.csv"
    users.write_bytes(
        users.read_bytes().replace(b",Anna,Brown,", ",Ana\xefs,Brown,".encode("latin-1"))
    )
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert roster.users[-1].given_name == "Anaïs"
    assert "users.csv is not UTF-8; read as Windows-1252 (check accented names)" in roster.warnings


def test_bare_cr_line_endings_and_no_final_newline(full_copy):
    users = full_copy / "users.csv"
    users.write_bytes(users.read_bytes().replace(b"\r\n", b"\r").rstrip(b"\r"))
    edit(users, "TRUE,org-sch-222-456,student,anna.brown", "TRUE,x,student,anna.brown")
    roster = read_roster(full_copy)
    assert errors(roster) == [("users.csv", 7, "orgSourcedIds refers to unknown org 'x'")]


def test_blank_rows_are_skipped(full_copy):
    users = full_copy / "users.csv"
    users.write_bytes(users.read_bytes() + b"\r\n,,,,,,,,,,,,,,,,,\r\n")
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert "users.csv: 2 blank rows skipped" in roster.warnings


def test_grades_are_normalised_to_ceds(full_copy):
    users = full_copy / "users.csv"
    # mary.jones (line 3) and anna.brown (line 7); agentSourcedIds precedes grades.
    edit(users, ",usr-222-123456,12,", ',usr-222-123456,"K,1,Kindergarten,pk,13",')
    edit(users, ",usr-222-987654,11,", ',usr-222-987654,"2nd, 11",')
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert roster.users[1].grades == ("KG", "01", "KG", "PK", "13")
    assert roster.users[5].grades == ("2nd", "11")
    assert "users.csv: grades kept as written, not CEDS codes: '2nd'" in roster.warnings


def test_delta_rows_need_status_and_date(full_copy):
    edit(full_copy / "manifest.csv", "file.users,bulk", "file.users,delta")
    roster = read_roster(full_copy)
    # Only usr-222-66778899 (line 3) has neither; in a bulk file that was fine.
    assert errors(roster) == [
        (
            "users.csv",
            3,
            "missing required value for 'status' (required in a delta file); "
            "missing required value for 'dateLastModified' (required in a delta file)",
        )
    ]


def test_unknown_status_and_timestamp_forms(full_copy):
    users = full_copy / "users.csv"
    edit(users, "usr-222-123456,active,2023-05-01,", "usr-222-123456,Active,2023-05-01 08:01:05,")
    edit(users, "usr-222-1234561,active,2023-05-01,", "usr-222-1234561,deleted,2023-05-01,")
    roster = read_roster(full_copy)
    assert errors(roster)[0] == ("users.csv", 4, "unknown status 'deleted'")
    assert roster.users[0].status == "active"


def test_manifest_names_a_missing_bulk_file(full_copy):
    (full_copy / "enrollments.csv").unlink()
    roster = read_roster(full_copy)
    assert roster.modes["enrollments.csv"] == "absent"
    assert "manifest.csv lists enrollments.csv as bulk but the file is missing" in roster.warnings


def test_file_the_manifest_does_not_mention_is_read_as_bulk(full_copy):
    edit(full_copy / "manifest.csv", "file.users,bulk\r\n", "")
    roster = read_roster(full_copy)
    assert roster.modes["users.csv"] == "bulk"
    assert len(roster.users) == 6
    assert "manifest.csv says nothing about users.csv; read as bulk" in roster.warnings


def test_empty_file(full_copy):
    (full_copy / "orgs.csv").write_bytes(b"")
    roster = read_roster(full_copy)
    assert ("orgs.csv", 1, "the file is empty: expected a header row") in errors(roster)
    assert roster.modes["orgs.csv"] == "absent"
    # With orgs absent, nothing can be checked against it: users still load.
    assert len(roster.users) == 6


def test_unreadable_rest_of_file_downgrades_bulk(full_copy):
    # A field past csv's size limit stops reading at that row: earlier rows still load,
    # and the file can no longer be trusted as a complete snapshot.
    users = full_copy / "users.csv"
    edit(users, ",Anna,Brown,", ",Anna," + "B" * 200_000 + ",")
    roster = read_roster(full_copy)
    (err,) = [e for e in roster.errors if e.file == "users.csv"]
    assert (err.line, err.reason.split(":")[0]) == (7, "cannot read the file from this line on")
    assert len(roster.users) == 5
    assert roster.modes["users.csv"] == "delta"


def test_zip_with_a_top_folder(tmp_path, full_copy):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(full_copy.iterdir()):
            zf.write(f, f"export-2024/{f.name}")
        zf.writestr("__MACOSX/export-2024/._users.csv", b"\x00\x05")
    roster = read_roster(archive)
    assert counts(roster)["users"] == 6
    assert roster.errors == []


def test_file_names_match_without_case(full_copy):
    (full_copy / "users.csv").rename(full_copy / "Users.CSV")
    assert len(read_roster(full_copy).users) == 6


def test_1_2_roles_map_to_administrator(full_copy):
    edit(
        full_copy / "users.csv",
        "org-sch-222-456,parent,thomas.joness",
        "org-sch-222-456,principal,thomas.joness",
    )
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert roster.users[2].role == "administrator"
    assert "users.csv: OneRoster 1.2 roles read as 'administrator': 'principal'" in roster.warnings


def test_blank_lines_above_the_header(full_copy):
    orgs = full_copy / "orgs.csv"
    orgs.write_bytes(b"\r\n\r\n" + orgs.read_bytes())
    roster = read_roster(full_copy)
    assert roster.errors == []
    assert roster.orgs[0].sourced_id == "org-sch-222-456"


def test_rejected_ids_for_the_importer(full_copy):
    # The importer must not deactivate a person whose row was sent but rejected.
    edit(
        full_copy / "users.csv",
        "org-sch-222-456,parent,thomas.joness",
        "org-sch-222-456,wizard,thomas.joness",
    )
    roster = read_roster(full_copy)
    assert roster.rejected_ids("users.csv") == {"usr-222-1234561"}
    assert roster.rejected_ids("orgs.csv") == set()
