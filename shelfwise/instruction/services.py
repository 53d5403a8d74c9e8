"""Collaboration writes: request, move through the status flow, plan, tasks, reflection.

Each function runs in one transaction, writes its audit entry there, and
tells everyone involved (in-app + e-mail, in each person's language) what
happened. Who may see or change a collaboration is decided by
`selectors.collaboration_can_edit`; views check it before calling here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shelfwise.audit.services import audit_log
from shelfwise.instruction.models import (
    Booking,
    Collaboration,
    Notification,
    Participant,
    PlanRevision,
    StatusChange,
    Task,
)
from shelfwise.instruction.workflow import Status, check_transition
from shelfwise.people.models import Membership, Person, SchoolClass
from shelfwise.people.permissions import has_perm
from shelfwise.people.roles import Role

log = logging.getLogger(__name__)

# Who can take part in a collaboration: staff of the school (not aides or students).
COLLABORATOR_ROLES = (Role.LIBRARIAN, Role.TEACHER, Role.ELL_SPECIALIST)


def _language(person: Person) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return person.preferred_language if person.preferred_language in codes else "en"


def involved_people(collaboration: Collaboration) -> list[Person]:
    """Participants plus the school's librarians: everyone told about each step."""
    ids = set(collaboration.participants.values_list("person_id", flat=True))
    ids |= set(
        Membership.objects.filter(
            school=collaboration.school, role=Role.LIBRARIAN, person__is_active=True
        ).values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notify(
    *,
    collaboration: Collaboration,
    actor: Person | None,
    subject: str,
    body: str,
    params: dict[str, Any] | None = None,
    recipients: Iterable[Person] | None = None,
) -> list[Notification]:
    """In-app notification + e-mail to everyone involved except `actor`.

    `subject` and `body` are untranslated msgids (gettext_noop); each is
    translated into the recipient's own language here.
    """
    people = list(recipients) if recipients is not None else involved_people(collaboration)
    url = reverse("instruction:detail", args=[collaboration.pk])
    made = []
    for person in people:
        if actor is not None and person.pk == actor.pk:
            continue
        values = {
            "title": collaboration.title,
            "actor": (actor.full_name or actor.username) if actor else "",
            **(params or {}),
        }
        with translation.override(_language(person)):
            text_subject = (_(subject) % values)[:200]
            text_body = _(body) % values + "\n\n" + url
        note = Notification.objects.create(
            person=person, collaboration=collaboration, subject=text_subject, body=text_body
        )
        if person.email:
            try:
                send_mail(text_subject, text_body, settings.DEFAULT_FROM_EMAIL, [person.email])
                note.emailed_at = timezone.now()
                note.save(update_fields=["emailed_at"])
            except OSError:
                log.warning("notification %s: e-mail failed; it stays in the app", note.pk)
        made.append(note)
    return made


def _staff_of(school, people: Iterable[Person]) -> list[Person]:
    people = list(people)
    ok = set(
        Membership.objects.filter(
            school=school, role__in=COLLABORATOR_ROLES, person__in=people
        ).values_list("person_id", flat=True)
    )
    bad = [p for p in people if p.pk not in ok]
    if bad:
        raise ValidationError(
            _("%(names)s cannot take part: not staff of this school.")
            % {"names": ", ".join(str(p) for p in bad)}
        )
    return people


def _bump_bookings(collaboration: Collaboration) -> None:
    # Calendar events show the collaboration: a subscribed calendar must refetch them.
    Booking.objects.filter(collaboration=collaboration).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )


def collaboration_request(
    *,
    school,
    by: Person,
    title: str,
    kind: str,
    classes: Iterable[SchoolClass] = (),
    grade: str = "",
    subject: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    learning_goals: str = "",
    ml_supports: str = "",
    standards: Iterable[Any] = (),
    co_teachers: Iterable[Person] = (),
) -> Collaboration:
    if not has_perm(by, "instruction.collaborate", school):
        raise ValidationError(_("You cannot request a collaboration in this school."))
    classes = list(classes)
    if any(c.school_id != school.pk for c in classes):
        raise ValidationError(_("Classes must belong to this school."))
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The end date is before the start date."))
    co_teachers = _staff_of(school, [p for p in co_teachers if p.pk != by.pk])
    with transaction.atomic():
        collab = Collaboration(
            school=school,
            requested_by=by,
            title=title,
            kind=kind,
            grade=grade,
            subject=subject,
            starts_on=starts_on,
            ends_on=ends_on,
            learning_goals=learning_goals,
            ml_supports=ml_supports,
            status=Status.REQUESTED,
            status_changed_at=timezone.now(),
        )
        collab.full_clean(exclude=["requested_by", "school"])
        collab.save()
        collab.classes.set(classes)
        collab.standards.set(list(standards))
        Participant.objects.create(collaboration=collab, person=by, role=Participant.Role.REQUESTER)
        for person in co_teachers:
            Participant.objects.create(
                collaboration=collab, person=person, role=Participant.Role.CO_TEACHER
            )
        StatusChange.objects.create(
            collaboration=collab, from_status="", to_status=Status.REQUESTED, by=by
        )
        audit_log(actor=by, action="instruction.request", obj=collab, school=school)
        notify(
            collaboration=collab,
            actor=by,
            subject=gettext_noop("New collaboration request: %(title)s"),
            body=gettext_noop(
                "%(actor)s requested a collaboration: “%(title)s”. Open it to plan it together."
            ),
        )
    return collab


def collaboration_update(*, collaboration: Collaboration, by: Person, **fields: Any) -> None:
    """Change the details (title, dates, goals…); classes and standards by their own keys."""
    classes = fields.pop("classes", None)
    standards = fields.pop("standards", None)
    allowed = {
        "title",
        "kind",
        "grade",
        "subject",
        "starts_on",
        "ends_on",
        "learning_goals",
        "ml_supports",
    }
    if set(fields) - allowed:
        raise ValueError(f"not editable: {set(fields) - allowed}")
    if classes is not None and any(c.school_id != collaboration.school_id for c in classes):
        raise ValidationError(_("Classes must belong to this school."))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(collaboration, name, value)
        collaboration.full_clean(exclude=["requested_by", "school"])
        collaboration.save()
        if classes is not None:
            collaboration.classes.set(classes)
        if standards is not None:
            collaboration.standards.set(standards)
        _bump_bookings(collaboration)
        audit_log(
            actor=by, action="instruction.update", obj=collaboration, school=collaboration.school
        )
        notify(
            collaboration=collaboration,
            actor=by,
            subject=gettext_noop("Collaboration updated: %(title)s"),
            body=gettext_noop("%(actor)s changed the details of “%(title)s”."),
        )


def collaboration_transition(
    *, collaboration: Collaboration, by: Person, to: str, reason: str = ""
) -> Collaboration:
    """Move to status `to`; raises workflow.TransitionError with a message when refused."""
    is_librarian = has_perm(by, "instruction.manage", collaboration.school)
    with transaction.atomic():
        # Lock the row: two people pressing "accept" and "decline" at once get one answer.
        collab = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
        has_reflection = bool(
            collab.reflection_worked.strip() or collab.reflection_evidence.strip()
        )
        check_transition(
            collab.status,
            to,
            is_librarian=is_librarian,
            reason=reason,
            has_reflection=has_reflection,
        )
        previous = collab.status
        collab.status = to
        collab.status_changed_at = timezone.now()
        if to == Status.DECLINED:
            collab.decline_reason = reason.strip()
        collab.save(update_fields=["status", "status_changed_at", "decline_reason", "updated_at"])
        if is_librarian and to == Status.PLANNING:
            Participant.objects.get_or_create(
                collaboration=collab, person=by, defaults={"role": Participant.Role.LIBRARIAN}
            )
        StatusChange.objects.create(
            collaboration=collab, from_status=previous, to_status=to, by=by, reason=reason.strip()
        )
        _bump_bookings(collab)
        audit_log(
            actor=by,
            action="instruction.status",
            obj=collab,
            school=collab.school,
            previous=previous,
            status=to,
        )
        if to == Status.DECLINED:
            body = gettext_noop("%(actor)s declined “%(title)s”. Reason: %(reason)s")
        else:
            body = gettext_noop("%(actor)s moved “%(title)s” to: %(status)s.")
        notify(
            collaboration=collab,
            actor=by,
            subject=gettext_noop("Collaboration %(status)s: %(title)s"),
            body=body,
            params={"status": Status(to).label, "reason": reason.strip()},
        )
    collaboration.refresh_from_db()
    return collab


def participant_add(*, collaboration: Collaboration, by: Person, person: Person) -> Participant:
    _staff_of(collaboration.school, [person])
    with transaction.atomic():
        part, created = Participant.objects.get_or_create(
            collaboration=collaboration,
            person=person,
            defaults={"role": Participant.Role.CO_TEACHER},
        )
        if created:
            audit_log(
                actor=by,
                action="instruction.participant_add",
                obj=collaboration,
                school=collaboration.school,
                person=person.pk,
            )
            notify(
                collaboration=collaboration,
                actor=by,
                subject=gettext_noop("You were added to: %(title)s"),
                body=gettext_noop("%(actor)s added you to the collaboration “%(title)s”."),
                recipients=[person],
            )
    return part


def plan_save(
    *, collaboration: Collaboration, by: Person, body: str, based_on: int | None
) -> PlanRevision:
    """Save a new version of the shared planning notes.

    `based_on` is the revision number the editor started from; if someone
    saved in between, the save is refused rather than silently overwriting
    their words.
    """
    with transaction.atomic():
        Collaboration.objects.select_for_update().filter(pk=collaboration.pk).first()
        latest = collaboration.plan_revisions.aggregate(n=Max("number"))["n"] or 0
        if (based_on or 0) != latest:
            raise ValidationError(
                _(
                    "Someone saved the planning notes while you were editing. "
                    "Copy your text, reload the page and add it to the newest version."
                )
            )
        if latest and collaboration.plan_revisions.get(number=latest).body == body:
            raise ValidationError(_("No change to save."))
        revision = PlanRevision.objects.create(
            collaboration=collaboration, number=latest + 1, body=body, author=by
        )
        audit_log(
            actor=by,
            action="instruction.plan",
            obj=collaboration,
            school=collaboration.school,
            revision=revision.number,
        )
        notify(
            collaboration=collaboration,
            actor=by,
            subject=gettext_noop("Planning notes updated: %(title)s"),
            body=gettext_noop("%(actor)s updated the planning notes of “%(title)s”."),
        )
    return revision


def task_add(
    *, collaboration: Collaboration, by: Person, title: str, owner: Person, due_on: date | None
) -> Task:
    if not collaboration.participants.filter(person=owner).exists() and not has_perm(
        owner, "instruction.manage", collaboration.school
    ):
        raise ValidationError(_("A task's owner must take part in the collaboration."))
    if not title.strip():
        raise ValidationError(_("Describe the task."))
    with transaction.atomic():
        task = Task.objects.create(
            collaboration=collaboration,
            title=title.strip(),
            owner=owner,
            due_on=due_on,
            created_by=by,
        )
        audit_log(
            actor=by, action="instruction.task_add", obj=collaboration, school=collaboration.school
        )
        notify(
            collaboration=collaboration,
            actor=by,
            subject=gettext_noop("New task in %(title)s"),
            body=gettext_noop("%(actor)s added a task for %(owner)s: %(task)s"),
            params={"owner": str(owner), "task": task.title},
        )
    return task


def task_set_done(*, task: Task, by: Person, done: bool) -> Task:
    with transaction.atomic():
        task.done_at = timezone.now() if done else None
        task.save(update_fields=["done_at"])
        audit_log(
            actor=by,
            action="instruction.task_done" if done else "instruction.task_reopen",
            obj=task.collaboration,
            school=task.collaboration.school,
            task=task.pk,
        )
    return task


def reflection_save(
    *, collaboration: Collaboration, by: Person, worked: str, evidence: str, next_time: str
) -> None:
    if collaboration.status not in (Status.TAUGHT, Status.REFLECTED):
        raise ValidationError(_("The reflection is written once the collaboration is taught."))
    if not (worked.strip() or evidence.strip()):
        raise ValidationError(_("Say what worked or what the students showed."))
    with transaction.atomic():
        collaboration.reflection_worked = worked.strip()
        collaboration.reflection_evidence = evidence.strip()
        collaboration.reflection_next = next_time.strip()
        collaboration.save(
            update_fields=[
                "reflection_worked",
                "reflection_evidence",
                "reflection_next",
                "updated_at",
            ]
        )
        audit_log(
            actor=by,
            action="instruction.reflection",
            obj=collaboration,
            school=collaboration.school,
        )


def notifications_mark_read(*, person: Person, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(person=person, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
