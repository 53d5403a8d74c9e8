"""Recognition notes: positive by design, seen by the student, their own teachers and the
librarian; never by other students or teachers who do not teach them; no leaderboard."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shelfwise.audit.models import AuditEntry
from shelfwise.programs.models import RecognitionNote
from shelfwise.programs.selectors import may_view_recognitions
from shelfwise.programs.services import recognition_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
TEXT = "You helped a classmate find a book in Arabic and showed them the holds shelf."


def note(personas, author=None, **kw):
    return recognition_create(
        school=personas.school, student=personas.student, author=author or personas.librarian,
        tags=kw.get("tags", ["R", "L"]), text=kw.get("text", TEXT),
    )  # fmt: skip


def test_who_may_see_a_students_notes(personas, klass, classmate):
    may = {
        name: may_view_recognitions(viewer=p, student=personas.student, school=personas.school)
        for name, p in personas.all().items()
    }
    assert may == {
        "librarian": True, "district_admin": True, "teacher": True,  # Tom teaches Sami
        "ell": False,  # teaches no class of Sami's
        "aide": False, "student": True, "outsider": False,
    }  # fmt: skip
    assert not may_view_recognitions(
        viewer=classmate, student=personas.student, school=personas.school
    )
    # Tom does not teach the classmate.
    assert not may_view_recognitions(
        viewer=personas.teacher, student=classmate, school=personas.school
    )


def test_teacher_writes_a_note_for_their_student_through_the_page(personas, klass, client):
    client.force_login(personas.teacher)
    listing = client.get("/programs/recognition/").content.decode()
    assert "Sami Haddad" in listing
    url = f"/programs/recognition/students/{personas.student.pk}/"
    response = client.post(url, {"tags": ["E", "L"], "text": TEXT})
    assert response.status_code == 302
    saved = RecognitionNote.objects.get()
    assert saved.tags == ["E", "L"] and saved.author == personas.teacher
    html = client.get(url).content.decode()
    assert "Engagement" in html and TEXT in html


def test_staff_views_of_notes_are_audited(personas, klass, client):
    note(personas)
    client.force_login(personas.teacher)
    client.get(f"/programs/recognition/students/{personas.student.pk}/")
    entry = AuditEntry.objects.get(action="programs.view_recognitions")
    assert entry.actor == personas.teacher and entry.object_id == str(personas.student.pk)


@pytest.mark.parametrize("who", ["ell", "aide", "student", "outsider"])
def test_others_cannot_open_or_write_a_students_notes(personas, klass, client, who):
    note(personas)
    client.force_login(getattr(personas, who))
    url = f"/programs/recognition/students/{personas.student.pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"tags": ["R"], "text": TEXT}).status_code == 403
    assert RecognitionNote.objects.count() == 1


def test_another_student_never_sees_them(personas, classmate, client):
    note(personas)
    client.force_login(classmate)
    assert TEXT not in client.get("/programs/recognition/mine/").content.decode()
    assert client.get(f"/programs/recognition/students/{personas.student.pk}/").status_code == 403
    assert client.get("/programs/recognition/").status_code == 403


def test_the_student_reads_their_own_notes(personas, client):
    note(personas)
    client.force_login(personas.student)
    html = client.get("/programs/recognition/mine/").content.decode()
    assert TEXT in html and "Respect" in html and "Leadership" in html


def test_teacher_without_the_student_cannot_write(personas, classmate):
    with pytest.raises(PermissionDenied):
        recognition_create(
            school=personas.school, student=classmate, author=personas.teacher, tags=["R"],
            text=TEXT,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # a student never writes one
        recognition_create(
            school=personas.school, student=classmate, author=personas.student, tags=["R"],
            text=TEXT,
        )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Got a detention for talking in the library.",
        "Was rude to the aide at the desk.",
        "Recibió un castigo por llegar tarde.",
        "تلقى إنذار بسبب الضوضاء",
    ],
)
def test_notes_are_positive_by_design(personas, text):
    with pytest.raises(ValidationError, match="discipline process"):
        note(personas, text=text)
    assert not RecognitionNote.objects.exists()


def test_tags_and_length_are_checked(personas):
    with pytest.raises(ValidationError):
        note(personas, tags=[])
    with pytest.raises(ValidationError):
        note(personas, tags=["X"])
    with pytest.raises(ValidationError):
        note(personas, text="Nice.")
    with pytest.raises(ValidationError):
        note(personas, text="Great work. " * 100)
    # "Caring" contains no disciplinary word; "warmly" is not "warning".
    note(personas, text="Warmly welcomed a new student and was caring all week.")


def test_no_leaderboard_anywhere(personas, klass, classmate, client):
    """No page ranks or counts students' notes: the librarian's pages list names to pick
    from, never numbers of notes per student."""
    for _ in range(3):
        note(personas)
    client.force_login(personas.librarian)
    listing = client.get("/programs/recognition/").content.decode()
    assert "Sami Haddad" in listing and "Nadia Omar" in listing
    main = listing.split("<main")[1].split("</main>")[0]
    # The text people read (not URLs, whose ids may hold any digit) shows no count.
    text = re.sub(r"<[^>]*>", " ", main)
    assert not re.search(r"\b3\b", text)
