"""Standards from CSV: the shipped AASL set, broken rows reported by line, non-standards files."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shelfwise.instruction import selectors, services
from shelfwise.instruction.models import Framework, Standard
from shelfwise.instruction.standards import AASL_CSV, standards_import_text

pytestmark = pytest.mark.django_db

HEADER = "framework,framework_name,code,parent,level,name,description,grade_band,subject\n"


def test_aasl_shared_foundations_ship_with_the_migration():
    fw = Framework.objects.get(code="AASL")
    tops = list(fw.standards.filter(parent=None).values_list("name", flat=True))
    assert tops == ["Inquire", "Include", "Collaborate", "Curate", "Explore", "Engage"]
    for top in fw.standards.filter(parent=None):
        assert list(top.children.values_list("name", flat=True)) == [
            "Think",
            "Create",
            "Share",
            "Grow",
        ]


def test_reimporting_the_shipped_file_changes_nothing():
    before = list(Standard.objects.values_list("pk", "code", "description", "parent_id"))
    result = standards_import_text(AASL_CSV.read_text())
    assert (result.created, result.updated, result.errors) == (0, 30, [])
    assert list(Standard.objects.values_list("pk", "code", "description", "parent_id")) == before


def test_broken_rows_reported_with_line_and_reason_the_rest_lands(tmp_path, capsys):
    path = tmp_path / "ccss.csv"
    path.write_text(
        HEADER
        + "CCSS.ELA,Common Core ELA,RI.7,,Strand,Reading info,Reading informational text,7,ELA\n"
        + "CCSS.ELA,,RI.7.1,RI.7,Standard,,Cite several pieces of evidence,7,ELA\n"  # 3 ok
        + "CCSS.ELA,,RI.7.2,,Standard,,,7,ELA\n"  # 4 no description
        + "CCSS.ELA,,RI.7.9,RI.7.X,Standard,,Compare two authors,7,ELA\n"  # 5 unknown parent
        + "CCSS.ELA,,RI.7.1,RI.7,Standard,,Duplicate,7,ELA\n"  # 6 duplicate
        + "CCSS.ELA,,W.7.8,W.7,Standard,,Gather relevant information,7,ELA\n"  # 7 parent later
        + "CCSS.ELA,,W.7,,Strand,Writing,Writing,7,ELA\n"  # 8
        + "CCSS.ELA,,X,X,Standard,,Self parent,7,ELA\n"  # 9
        + "CCSS.ELA,,Y,,Standard,,too,many,values,here\n"  # 10
    )
    call_command("import_standards", str(path))
    out = capsys.readouterr().out
    assert "created 4, updated 0, rejected 5" in out
    assert "line 4: empty description" in out
    assert "line 5: parent RI.7.X not found" in out
    assert "line 6: code RI.7.1 already on line 3" in out
    assert "line 9: a standard cannot be its own parent" in out
    assert "line 10: more values than columns" in out
    fw = Framework.objects.get(code="CCSS.ELA")
    assert fw.name == "Common Core ELA"
    assert Standard.objects.get(framework=fw, code="W.7.8").parent.code == "W.7"
    assert Standard.objects.get(framework=fw, code="RI.7.1").grade_band == "7"


def test_a_file_that_is_not_standards_changes_nothing(tmp_path):
    before = Standard.objects.count()
    path = tmp_path / "users.csv"
    path.write_text("sourcedId,givenName,familyName\n1,Ana,Ruiz\n")
    with pytest.raises(CommandError, match="missing column"):
        call_command("import_standards", str(path))
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x81")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_standards", str(binary))
    assert Standard.objects.count() == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_gives_a_report_or_a_clear_refusal(text):
    """Whatever follows the header: rows land or are reported, never an exception."""
    before = Standard.objects.count()
    result = standards_import_text(HEADER + text)
    assert Standard.objects.count() == before + result.created
    for line, reason in result.errors:
        assert line >= 2 and reason


def test_standards_taught_report_by_grade_and_subject(personas, roster):
    inquire = Standard.objects.get(framework__code="AASL", code="I")
    curate = Standard.objects.get(framework__code="AASL", code="IV.B")
    a = services.collaboration_request(
        school=personas.school,
        by=personas.teacher,
        title="A",
        kind="research",
        grade="07",
        subject="Science",
        standards=[inquire, curate],
    )
    b = services.collaboration_request(
        school=personas.school,
        by=personas.teacher,
        title="B",
        kind="lesson",
        grade="07",
        subject="Science",
        standards=[curate],
    )
    services.collaboration_request(
        school=personas.school,
        by=personas.teacher,
        title="Not taught",
        kind="lesson",
        grade="06",
        subject="ELA",
        standards=[inquire],
    )
    for c in (a, b):
        for step in ("planning", "scheduled", "taught"):
            services.collaboration_transition(collaboration=c, by=personas.librarian, to=step)
    rows = selectors.standards_taught(school=personas.school)
    assert [(r.code, r.grade, r.subject, r.count) for r in rows] == [
        ("I", "07", "Science", 1),
        ("IV.B", "07", "Science", 2),
    ]
    assert selectors.standards_taught(school=personas.other_school) == []
