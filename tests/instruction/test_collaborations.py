"""Collaboration services: request, status flow, notifications, plan history, tasks, visibility."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from shelfwise.audit.models import AuditEntry
from shelfwise.instruction import selectors, services
from shelfwise.instruction.models import Notification, Participant, StatusChange
from shelfwise.instruction.workflow import TransitionError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_request_records_everything_and_tells_the_librarian(personas, roster, collab):
    assert collab.status == "requested"
    assert list(collab.classes.all()) == [roster["class"]]
    assert collab.participants.get().role == Participant.Role.REQUESTER
    assert StatusChange.objects.filter(collaboration=collab, to_status="requested").count() == 1
    assert AuditEntry.objects.filter(
        action="instruction.request", object_id=str(collab.pk)
    ).exists()
    # The librarian hears about it in the app and by e-mail; the requester does not.
    assert Notification.objects.filter(person=personas.librarian, collaboration=collab).count() == 1
    assert not Notification.objects.filter(person=personas.teacher).exists()
    assert [m.to for m in mail.outbox] == [["librarian@example.org"]]
    assert "Ecosystems research" in mail.outbox[0].subject


def test_co_teachers_are_added_and_told(personas, roster):
    collab = services.collaboration_request(
        school=personas.school,
        by=personas.teacher,
        title="Poetry unit",
        kind="unit",
        co_teachers=[personas.ell],
    )
    assert {p.person for p in collab.participants.all()} == {personas.teacher, personas.ell}
    assert Notification.objects.filter(person=personas.ell, collaboration=collab).exists()


@pytest.mark.parametrize("who", ["student", "aide", "outsider"])
def test_only_staff_of_the_school_can_be_co_teachers(personas, who):
    with pytest.raises(ValidationError, match="cannot take part"):
        services.collaboration_request(
            school=personas.school,
            by=personas.teacher,
            title="X",
            kind="lesson",
            co_teachers=[getattr(personas, who)],
        )


@pytest.mark.parametrize("who", ["student", "aide", "outsider"])
def test_students_aides_and_outsiders_cannot_request(personas, who):
    with pytest.raises(ValidationError):
        services.collaboration_request(
            school=personas.school, by=getattr(personas, who), title="X", kind="lesson"
        )


def test_classes_of_another_school_are_refused(personas, roster):
    with pytest.raises(ValidationError, match="this school"):
        services.collaboration_request(
            school=personas.school,
            by=personas.teacher,
            title="X",
            kind="lesson",
            classes=[roster["other_class"]],
        )


def test_dates_in_the_wrong_order_are_refused(personas):
    from datetime import date

    with pytest.raises(ValidationError, match="before the start"):
        services.collaboration_request(
            school=personas.school,
            by=personas.teacher,
            title="X",
            kind="lesson",
            starts_on=date(2026, 3, 5),
            ends_on=date(2026, 3, 1),
        )


def test_full_flow_notifies_each_step(personas, collab):
    mail.outbox.clear()
    services.collaboration_transition(collaboration=collab, by=personas.librarian, to="planning")
    collab.refresh_from_db()
    assert collab.status == "planning"
    # The accepting librarian joins the collaboration.
    assert collab.participants.filter(person=personas.librarian, role="librarian").exists()
    assert Notification.objects.filter(person=personas.teacher, collaboration=collab).count() == 1
    assert ["teacher@example.org"] in [m.to for m in mail.outbox]

    services.collaboration_transition(collaboration=collab, by=personas.teacher, to="scheduled")
    services.collaboration_transition(collaboration=collab, by=personas.teacher, to="taught")
    with pytest.raises(TransitionError, match="reflection"):
        services.collaboration_transition(collaboration=collab, by=personas.teacher, to="reflected")
    services.reflection_save(
        collaboration=collab,
        by=personas.teacher,
        worked="Graphic organizers",
        evidence="Annotated bibliographies",
        next_time="More time for databases",
    )
    services.collaboration_transition(collaboration=collab, by=personas.teacher, to="reflected")
    collab.refresh_from_db()
    assert collab.status == "reflected"
    steps = list(
        StatusChange.objects.filter(collaboration=collab).values_list("to_status", flat=True)
    )
    assert steps == ["requested", "planning", "scheduled", "taught", "reflected"]
    # The librarian heard about each of the teacher's steps.
    assert Notification.objects.filter(person=personas.librarian, collaboration=collab).count() == 4


def test_teacher_cannot_accept_own_request(personas, collab):
    with pytest.raises(TransitionError, match="Only the librarian"):
        services.collaboration_transition(collaboration=collab, by=personas.teacher, to="planning")
    collab.refresh_from_db()
    assert collab.status == "requested"


def test_decline_keeps_the_reason_and_tells_the_teacher(personas, collab):
    with pytest.raises(TransitionError, match="reason"):
        services.collaboration_transition(
            collaboration=collab, by=personas.librarian, to="declined"
        )
    services.collaboration_transition(
        collaboration=collab,
        by=personas.librarian,
        to="declined",
        reason="Library closed for testing",
    )
    collab.refresh_from_db()
    assert collab.status == "declined"
    assert collab.decline_reason == "Library closed for testing"
    note = Notification.objects.get(person=personas.teacher, collaboration=collab)
    assert "Library closed for testing" in note.body


def test_notification_in_the_recipients_language(personas, collab):
    personas.teacher.preferred_language = "es"
    personas.teacher.save()
    services.collaboration_transition(collaboration=collab, by=personas.librarian, to="planning")
    note = Notification.objects.get(person=personas.teacher)
    assert note.subject == "Colaboración (En planificación): Ecosystems research"
    assert mail.outbox[-1].subject == note.subject
    # The librarian's own copy (none: the actor is not told) and others stay in English.
    services.collaboration_transition(collaboration=collab, by=personas.teacher, to="scheduled")
    assert Notification.objects.filter(person=personas.librarian).first().subject == (
        "Collaboration Scheduled: Ecosystems research"
    )


def test_plan_revisions_keep_history_and_refuse_a_stale_save(personas, collab):
    first = services.plan_save(
        collaboration=collab, by=personas.teacher, body="Day 1: questions", based_on=None
    )
    second = services.plan_save(
        collaboration=collab,
        by=personas.librarian,
        body="Day 1: questions\nDay 2: databases",
        based_on=1,
    )
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError, match="while you were editing"):
        services.plan_save(collaboration=collab, by=personas.teacher, body="overwrite", based_on=1)
    with pytest.raises(ValidationError, match="No change"):
        services.plan_save(collaboration=collab, by=personas.teacher, body=second.body, based_on=2)
    assert list(collab.plan_revisions.values_list("number", flat=True)) == [2, 1]


def test_tasks_have_owners_in_the_collaboration(personas, collab):
    from datetime import date

    task = services.task_add(
        collaboration=collab,
        by=personas.teacher,
        title="Pull books",
        owner=personas.librarian,
        due_on=date(2026, 12, 1),
    )
    assert task.owner == personas.librarian
    with pytest.raises(ValidationError, match="owner"):
        services.task_add(
            collaboration=collab, by=personas.teacher, title="X", owner=personas.ell, due_on=None
        )
    with pytest.raises(ValidationError, match="Describe"):
        services.task_add(
            collaboration=collab,
            by=personas.teacher,
            title="  ",
            owner=personas.teacher,
            due_on=None,
        )
    services.task_set_done(task=task, by=personas.librarian, done=True)
    task.refresh_from_db()
    assert task.done_at is not None


def test_reflection_only_once_taught(personas, collab):
    with pytest.raises(ValidationError, match="once the collaboration is taught"):
        services.reflection_save(
            collaboration=collab, by=personas.teacher, worked="x", evidence="", next_time=""
        )


# --- who sees what (DESIGN.md §1) --------------------------------------------------------


@pytest.mark.parametrize(
    "who,sees",
    [
        ("librarian", True),
        ("district_admin", True),
        ("teacher", True),  # the requester
        ("ell", False),  # staff, but not in this collaboration
        ("aide", False),
        ("student", False),
        ("outsider", False),  # librarian of another school
    ],
)
def test_visibility_per_role(personas, collab, who, sees):
    person = getattr(personas, who)
    assert selectors.collaboration_can_view(person, collab) is sees
    listed = selectors.collaborations_visible(person=person, school=personas.school)
    assert (collab in listed) is sees


def test_a_co_teacher_gains_access_when_added(personas, collab):
    assert not selectors.collaboration_can_view(personas.ell, collab)
    services.participant_add(collaboration=collab, by=personas.teacher, person=personas.ell)
    assert selectors.collaboration_can_view(personas.ell, collab)
    assert Notification.objects.filter(person=personas.ell, subject__contains="added").exists()


def test_an_inactive_participant_loses_access(personas, collab):
    personas.teacher.is_active = False
    personas.teacher.save()
    assert not selectors.collaboration_can_view(personas.teacher, collab)
