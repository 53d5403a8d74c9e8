"""Aides and leaders: application with a teacher's recommendation, the librarian's decision,
the roster, the aide's own shifts (duties, reflection) and hours; projects."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shelfwise.audit.models import AuditEntry
from shelfwise.people.models import Membership
from shelfwise.programs.models import AideApplication, LeaderPosition, LeaderProject, Shift
from shelfwise.programs.selectors import roster
from shelfwise.programs.services import (
    application_submit,
    position_end,
    shift_create,
    shift_duty_set,
    shift_mark_worked,
    shift_reflect,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
NY = zoneinfo.ZoneInfo("America/New_York")
STATEMENT = "I love helping people find books and I know the shelves well."


def role_of(person, school) -> str:
    return Membership.objects.get(person=person, school=school).role


def test_application_recommendation_and_acceptance(personas, client):
    client.force_login(personas.student)
    response = client.post(
        "/programs/aides/apply/",
        {"role": "shelver", "statement": STATEMENT, "teacher": personas.teacher.pk},
    )
    assert response.status_code == 302
    application = AideApplication.objects.get()
    assert application.status == "awaiting"
    # A second one for the same role is refused clearly.
    again = client.post(
        "/programs/aides/apply/",
        {"role": "shelver", "statement": STATEMENT, "teacher": personas.teacher.pk},
    )
    assert "already applied for this role" in again.content.decode()
    assert AideApplication.objects.count() == 1

    # Only the named teacher recommends.
    client.force_login(personas.ell)
    url = f"/programs/aides/applications/{application.pk}/recommend/"
    assert client.get(url).status_code == 404
    client.force_login(personas.teacher)
    assert "Sami Haddad" in client.get("/programs/aides/recommendations/").content.decode()
    text = "Sami is reliable, kind and organised; a great shelver."
    assert client.post(url, {"recommendation": text}).status_code == 302
    application.refresh_from_db()
    assert application.status == "recommended" and application.recommendation == text

    # The librarian accepts: on the roster, and an aide of the school.
    client.force_login(personas.librarian)
    assert text in client.get("/programs/aides/").content.decode()
    client.post(f"/programs/aides/applications/{application.pk}/decide/", {"decision": "accept"})
    application.refresh_from_db()
    assert application.status == "accepted"
    assert LeaderPosition.objects.get(student=personas.student).role == "shelver"
    assert role_of(personas.student, personas.school) == "aide"
    assert "Sami Haddad" in client.get("/programs/aides/").content.decode()
    assert AuditEntry.objects.filter(
        action="programs.view_applications", actor=personas.librarian
    ).exists()


def test_an_application_must_be_recommended_before_a_decision(personas, client):
    application = application_submit(
        school=personas.school, student=personas.student, role="ambassador",
        statement=STATEMENT, teacher=personas.teacher,
    )  # fmt: skip
    client.force_login(personas.librarian)
    client.post(f"/programs/aides/applications/{application.pk}/decide/", {"decision": "accept"})
    application.refresh_from_db()
    assert application.status == "awaiting"
    assert role_of(personas.student, personas.school) == "student"


def test_recommender_must_be_a_teacher_of_the_school(personas):
    with pytest.raises(ValidationError):
        application_submit(
            school=personas.school, student=personas.student, role="shelver",
            statement=STATEMENT, teacher=personas.outsider,
        )  # fmt: skip
    assert not AideApplication.objects.exists()


def test_ending_the_last_position_makes_the_aide_a_student_again(personas):
    from shelfwise.programs.services import position_grant

    position = position_grant(
        school=personas.school, student=personas.student, role="desk_aide", by=personas.librarian
    )
    assert role_of(personas.student, personas.school) == "aide"
    position_end(position=position, by=personas.librarian)
    assert role_of(personas.student, personas.school) == "student"
    with pytest.raises(ValidationError):  # a teacher is not made an aide
        position_grant(
            school=personas.school, student=personas.teacher, role="shelver", by=personas.librarian
        )


@pytest.fixture
def shift(personas):
    return shift_create(
        school=personas.school, aide=personas.aide, role="desk_aide", on=date(2026, 11, 5),
        starts_at=time(12, 0), ends_at=time(12, 45), by=personas.librarian,
    )  # fmt: skip


def test_the_aide_ticks_duties_and_reflects_on_their_own_shift(personas, shift, client):
    duty = shift.duties.first()
    client.force_login(personas.aide)
    with time_machine.travel(datetime(2026, 11, 5, 12, 10, tzinfo=NY), tick=False):
        page = client.get("/programs/my-shifts/").content.decode()
        assert "Check in the book drop" in page and "You are on shift now" in page
        client.post(f"/programs/my-shifts/duties/{duty.pk}/", {"done": "1"})
        client.post(f"/programs/my-shifts/{shift.pk}/reflection/", {"reflection": "Busy lunch!"})
    duty.refresh_from_db()
    shift.refresh_from_db()
    assert duty.done and shift.reflection == "Busy lunch!"


def test_no_reflection_before_the_shift_and_no_one_elses_shift(personas, shift):
    with pytest.raises(ValidationError, match="once it has started"):
        shift_reflect(
            shift=shift, text="Early", by=personas.aide,
            now=datetime(2026, 11, 5, 11, 0, tzinfo=NY),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        shift_reflect(shift=shift, text="Mine now", by=personas.student)
    with pytest.raises(PermissionDenied):
        shift_duty_set(duty=shift.duties.first(), done=True, by=personas.student)


def test_hours_count_confirmed_shifts_only(personas, shift, client):
    shift_create(
        school=personas.school, aide=personas.aide, role="shelver", on=date(2026, 11, 6),
        starts_at=time(8, 0), ends_at=time(8, 30), by=personas.librarian,
    )  # fmt: skip
    from shelfwise.programs.services import position_grant

    position_grant(school=personas.school, student=personas.aide, role="desk_aide", by=None)
    assert roster(school=personas.school)[0]["hours"] == 0
    client.force_login(personas.librarian)
    client.post(f"/programs/aides/shifts/{shift.pk}/worked/", {"worked": "yes"})
    row = roster(school=personas.school)[0]
    assert row["hours"] == 0.75 and row["shifts"] == 1
    shift_mark_worked(shift=Shift.objects.get(date=date(2026, 11, 6)), worked=True, by=None)
    assert roster(school=personas.school)[0]["hours"] == 1.25


@pytest.mark.parametrize("who", ["teacher", "ell", "aide", "student", "outsider"])
def test_only_the_librarian_keeps_the_roster_and_shifts(personas, shift, client, who):
    client.force_login(getattr(personas, who))
    for url in ("/programs/aides/", "/programs/aides/shifts/", "/programs/projects/"):
        response = client.get(url)
        if who == "outsider":
            assert "Ava" not in response.content.decode()
        else:
            assert response.status_code == 403, (who, url)
    client.post(f"/programs/aides/shifts/{shift.pk}/delete/")
    assert Shift.objects.filter(pk=shift.pk).exists()


@pytest.mark.parametrize("who", ["teacher", "student", "librarian"])
def test_my_shifts_is_for_aides(personas, client, who):
    client.force_login(getattr(personas, who))
    assert client.get("/programs/my-shifts/").status_code == 403


def test_student_led_project(personas, client, classmate):
    client.force_login(personas.librarian)
    response = client.post(
        "/programs/projects/new/",
        {
            "title": "Multilingual displays", "goals": "A display a month.",
            "sponsor": personas.teacher.pk, "team": [personas.student.pk, classmate.pk],
            "outcomes": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    project = LeaderProject.objects.get()
    assert set(project.team.all()) == {personas.student, classmate}
    html = client.get("/programs/projects/").content.decode()
    assert "Multilingual displays" in html and "Tom Baker" in html
    # A teacher cannot be on the student team.
    bad = client.post(
        f"/programs/projects/{project.pk}/edit/",
        {"title": "X", "goals": "Y", "sponsor": personas.teacher.pk, "team": [personas.teacher.pk]},
    )
    assert bad.status_code == 200
    assert LeaderProject.objects.get().title == "Multilingual displays"
