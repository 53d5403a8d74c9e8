"""Language-profile pages: the list of a school's students with home languages and EL status,
its CSV, and loading the CSV ELL staff keep, for every persona (grants and denials).

Role table: "people.view_language_profile" and "people.edit_language_profile"
belong to the librarian and the ELL specialist (the district administrator
holds everything). Teachers, aides and students never see this data. The
outsider (OAK's librarian) sees OAK's students only: the page has no school
in its URL, and nothing lets them work in LMS.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from shelfwise.audit.models import AuditEntry
from shelfwise.people.middleware import SESSION_KEY
from shelfwise.people.models import Person
from tests.conftest import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

LIST = "/people/roster/languages/"
CSV = "/people/roster/languages/export.csv"
IMPORT = "/people/roster/languages/import/"
VIEWERS = ["librarian", "district_admin", "ell"]
NOT_VIEWERS = ["teacher", "aide", "student"]
HEADER = "sourcedId,home_languages,english_learner,el_entry_date\n"


@pytest.fixture
def students(personas):
    """Sami (Arabic, EL), María (Spanish and English, not EL), Kim (nothing recorded) at LMS;
    Hodan (Somali, EL) at OAK."""
    sami = personas.student
    sami.sourced_id = "s-sami"
    sami.save()
    maria = make_person(
        "maria",
        personas.school,
        "student",
        first_name="María",
        last_name="López",
        grade="07",
        sourced_id="s-maria",
        home_languages=["spa", "eng"],
        english_learner=False,
    )
    kim = make_person(
        "kim", personas.school, "student", first_name="Kim", last_name="Tran", sourced_id="s-kim"
    )
    hodan = make_person(
        "hodan",
        personas.other_school,
        "student",
        first_name="Hodan",
        last_name="Warsame",
        sourced_id="s-hodan",
        home_languages=["som"],
        english_learner=True,
    )
    return {"sami": sami, "maria": maria, "kim": kim, "hodan": hodan}


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def csv_upload(text: str, name: str = "profiles.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# --- the list --------------------------------------------------------------------------


@pytest.mark.parametrize("who", VIEWERS)
def test_viewers_see_the_schools_students_with_languages_and_el_status(
    personas, students, client, who
):
    client.force_login(getattr(personas, who))
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sami Haddad" in html and "Arabic" in html
    assert escape("María López") in html and "Spanish, English" in html
    assert "Kim Tran" in html and "Not recorded" in html
    assert "Hodan" not in html and "Somali" not in html  # another school's student
    assert "Tom Baker" not in html  # staff are not listed
    # The summary: speakers and English learners per language.
    summary = response.context["summary"]
    assert {(r["code"], r["students"], r["learners"]) for r in summary} == {
        ("ara", 1, 1),
        ("spa", 1, 0),
        ("eng", 1, 0),
    }


@pytest.mark.parametrize("who", NOT_VIEWERS)
def test_teachers_aides_and_students_are_refused(personas, students, client, who):
    client.force_login(getattr(personas, who))
    assert client.get(LIST).status_code == 403
    assert client.get(CSV).status_code == 403
    assert not AuditEntry.objects.filter(action__contains="language_profiles").exists()


def test_the_outsider_sees_only_their_own_schools_students(personas, students, client):
    client.force_login(personas.outsider)
    session = client.session
    session[SESSION_KEY] = personas.school.pk  # try to work in LMS
    session.save()
    html = client.get(LIST).content.decode()
    assert "Hodan Warsame" in html and "Somali" in html
    assert "Sami" not in html and "María" not in html and "Arabic" not in html
    rows = csv_rows(client.get(CSV))
    assert [r["sourcedId"] for r in rows] == ["s-hodan"]


def test_anonymous_is_sent_to_login(client):
    for url in (LIST, CSV, IMPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_view_is_audited(personas, students, client):
    client.force_login(personas.ell)
    client.get(LIST)
    client.get(LIST + "?el=yes")
    entries = list(AuditEntry.objects.filter(action="people.view_language_profiles"))
    assert len(entries) == 2
    newest = entries[0]
    assert newest.actor == personas.ell and newest.school == personas.school
    assert newest.detail["el"] == "yes" and newest.detail["shown"] == [students["sami"].pk]


def test_language_names_in_the_readers_language(personas, students, client):
    client.force_login(personas.librarian)
    client.cookies["django_language"] = "es"
    html = client.get(LIST).content.decode()
    assert "árabe" in html and "español" in html
    client.cookies["django_language"] = "ar"
    html = client.get(LIST).content.decode()
    assert "العربية" in html and 'dir="rtl"' in html


def test_filters_by_language_and_el_status(personas, students, client):
    client.force_login(personas.librarian)
    by_language = client.get(LIST + "?language=spa").context["page"].object_list
    assert [s["name"] for s in by_language] == ["María López"]
    learners = client.get(LIST + "?el=yes").context["page"].object_list
    assert [s["name"] for s in learners] == ["Sami Haddad"]
    unknown = client.get(LIST + "?el=unknown").context["page"].object_list
    assert {s["name"] for s in unknown} == {"Kim Tran", "Ava"}  # the aide is a student too
    nobody = client.get(LIST + "?language=som")
    assert "No student matches these choices." in nobody.content.decode()


def test_deactivated_students_are_not_listed(personas, students, client):
    Person.objects.filter(pk=students["maria"].pk).update(is_active=False)
    client.force_login(personas.librarian)
    assert "María" not in client.get(LIST).content.decode()


def test_query_count_does_not_grow_with_students(personas, students, client):
    client.force_login(personas.librarian)
    client.get(LIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(40):
        make_person(f"kid{n}", personas.school, "student", home_languages=["vie"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) > 40
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pages_of_a_hundred(personas, client):
    for n in range(105):
        make_person(f"kid{n:03d}", personas.school, "student", last_name=f"K{n:03d}")
    client.force_login(personas.librarian)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 100
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(LIST + "?page=2")
    assert len(second.context["page"].object_list) == 7  # 105 + the aide + Sami


# --- the CSV ---------------------------------------------------------------------------


def test_csv_export_is_audited_and_loads_back_unchanged(personas, students, client, tmp_path):
    client.force_login(personas.ell)
    response = client.get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    assert "language-profiles-LMS.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    by_id = {r["sourcedId"]: r for r in rows}
    assert set(by_id) == {"s-sami", "s-maria", "s-kim", ""}  # the aide has no sourcedId
    assert by_id["s-maria"]["home_languages"] == "spa eng"
    assert by_id["s-maria"]["english_learner"] == "false"
    assert by_id["s-sami"]["english_learner"] == "true"
    assert by_id["s-kim"]["english_learner"] == ""
    assert AuditEntry.objects.filter(action="people.export_language_profiles").count() == 1

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(r for r in rows if r["sourcedId"])
    result = client.post(IMPORT, {"file": csv_upload(out.getvalue())}).context["result"]
    assert (result.updated, result.unchanged, result.errors) == (0, 3, [])


def test_csv_export_follows_the_filters(personas, students, client):
    client.force_login(personas.librarian)
    rows = csv_rows(client.get(CSV + "?language=ara"))
    assert [r["sourcedId"] for r in rows] == ["s-sami"]


def test_csv_cells_cannot_become_spreadsheet_formulas(personas, client):
    make_person("evil", personas.school, "student", last_name="=HYPERLINK(1)", sourced_id="@x")
    client.force_login(personas.librarian)
    rows = csv_rows(client.get(CSV))
    evil = next(r for r in rows if r["last_name"].endswith("HYPERLINK(1)"))
    assert evil["last_name"] == "'=HYPERLINK(1)" and evil["sourcedId"] == "'@x"


# --- loading the CSV --------------------------------------------------------------------

EDITORS = ["librarian", "district_admin", "ell"]
NOT_EDITORS = ["teacher", "aide", "student"]


@pytest.mark.parametrize("who", EDITORS)
def test_editors_load_profiles_and_see_every_rejected_line(personas, students, client, who):
    client.force_login(getattr(personas, who))
    assert client.get(IMPORT).status_code == 200
    text = HEADER + (
        "s-kim,vi,true,2025-09-02\n"  # updated
        "s-maria,es en,false,\n"  # unchanged
        "s-kim2,klingon,true,\n"  # line 4: unknown code
        "s-nobody,es,true,\n"  # line 5: no such person
        "s-sami,ar,maybe,\n"  # line 6: bad flag
    )
    response = client.post(IMPORT, {"file": csv_upload(text)})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.updated, result.unchanged) == (1, 1)
    assert [line for line, _ in result.errors] == [4, 5, 6]
    html = response.content.decode()
    assert "1 updated, 1 unchanged, 3 rejected." in html
    for line, reason in result.errors:
        assert f"<td>{line}</td><td>{escape(reason)}</td>" in html
    kim = Person.objects.get(sourced_id="s-kim")
    assert kim.home_languages == ["vie"] and kim.english_learner is True
    assert AuditEntry.objects.filter(action="people.import_language_profiles").exists()


@pytest.mark.parametrize("who", NOT_EDITORS)
def test_non_editors_may_not_load_profiles(personas, students, client, who):
    client.force_login(getattr(personas, who))
    assert client.get(IMPORT).status_code == 403
    response = client.post(IMPORT, {"file": csv_upload(HEADER + "s-kim,vi,true,\n")})
    assert response.status_code == 403
    assert Person.objects.get(sourced_id="s-kim").home_languages == []


def test_the_outsider_may_not_set_profiles_of_another_schools_students(personas, students, client):
    client.force_login(personas.outsider)
    assert client.get(IMPORT).status_code == 200  # for their own school's students
    text = HEADER + "s-hodan,so ar,true,\ns-kim,vi,true,\n"
    response = client.post(IMPORT, {"file": csv_upload(text)})
    html = response.content.decode()
    assert "1 row(s) name people of other schools: line 3 (s-kim)" in html
    assert "Nothing was changed." in html
    assert Person.objects.get(sourced_id="s-kim").home_languages == []
    assert Person.objects.get(sourced_id="s-hodan").home_languages == ["som"]
    # Their own school's rows load.
    response = client.post(IMPORT, {"file": csv_upload(HEADER + "s-hodan,so ar,true,\n")})
    assert response.context["result"].updated == 1
    assert Person.objects.get(sourced_id="s-hodan").home_languages == ["som", "ara"]


def test_the_district_admin_loads_a_district_wide_file(personas, students, client):
    client.force_login(personas.district_admin)
    text = HEADER + "s-hodan,so,false,\ns-kim,vi,true,\n"
    result = client.post(IMPORT, {"file": csv_upload(text)}).context["result"]
    assert result.updated == 2


@pytest.mark.parametrize(
    ("text", "encoding", "message"),
    [
        ("id,lang\n1,es\n", "utf-8", "missing column(s): sourcedId, home_languages"),
        (HEADER + "s-kim,es,true,\nx,ñ,,\n", "latin-1", "the file is not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_a_profile_file_changes_nothing(
    personas, students, client, text, encoding, message
):
    client.force_login(personas.ell)
    response = client.post(IMPORT, {"file": csv_upload(text, encoding=encoding)})
    assert response.status_code == 200 and "result" not in response.context
    html = response.content.decode()
    assert escape(message) in html and "Nothing was changed." in html
    assert Person.objects.get(sourced_id="s-kim").home_languages == []


def test_an_empty_file_is_refused(personas, client):
    client.force_login(personas.ell)
    response = client.post(IMPORT, {"file": csv_upload("")})
    assert response.context["form"].errors["file"]
