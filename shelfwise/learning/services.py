"""Writes for professional learning: design a session, register, cancel, sign in, give feedback.

Every function is keyword-only, runs in one transaction and writes its audit
entry there. Seats are counted under a lock on the session row
(`select_for_update`; on SQLite the IMMEDIATE transaction takes the write
lock up front), so two registrations racing for the last seat get one seat
and one waitlist place, and a cancellation promotes exactly one person.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.learning.models import Feedback, Registration, Session

# Decision: sign-in opens 15 minutes before a session starts (people arrive
# early) and closes 15 minutes after it ends (the code on the screen is still
# up while people pack). Outside that window the code is refused.
SIGNIN_OPENS_BEFORE = timedelta(minutes=15)
SIGNIN_CLOSES_AFTER = timedelta(minutes=15)

# No 0/O, 1/I/L: the code is read off a projector and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class LearningError(ValidationError):
    """A rule said no: the message is for the person, and nothing was changed."""


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


SESSION_FIELDS = (
    "series",
    "title",
    "objectives",
    "audience",
    "format",
    "starts_at",
    "ends_at",
    "location",
    "link",
    "capacity",
    "hours",
)


def session_create(
    *, school: Any, by: Any, records: Any = (), guides: Any = (), **fields: Any
) -> Session:
    """A new session facilitated by `by`, with a fresh sign-in code."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                session = Session(school=school, facilitator=by, signin_code=_code(), **fields)
                session.full_clean()
                session.save()
                session.records.set(records)
                session.guides.set(guides)
                audit_log(actor=by, action="learning.session_create", obj=session, school=school)
                return session
        except IntegrityError:
            # A code already taken (one in a billion): draw again.
            if Session.objects.filter(signin_code=session.signin_code).exists():
                continue
            raise
    raise RuntimeError("could not draw a free sign-in code")


def session_update(
    *, session: Session, by: Any, records: Any = None, guides: Any = None, **fields: Any
) -> Session:
    """Change a session's design; raising the capacity promotes people off the waitlist."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        seated = _seated(locked)
        if locked.capacity < seated:
            raise LearningError(
                _(
                    "%(seated)s people already hold a seat: the capacity cannot go below that. "
                    "Cancel registrations first."
                )
                % {"seated": seated}
            )
        locked.save()
        if records is not None:
            locked.records.set(records)
        if guides is not None:
            locked.guides.set(guides)
        promoted = _promote(locked)
        audit_log(
            actor=by,
            action="learning.session_update",
            obj=locked,
            school=locked.school,
            fields=sorted(fields),
            promoted=[r.person_id for r in promoted],
        )
    return locked


def _seated(session: Session) -> int:
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


def _promote(session: Session) -> list[Registration]:
    """Seat the first waitlisted people while seats are free (caller holds the session lock)."""
    free = session.capacity - _seated(session)
    if free <= 0:
        return []
    waiting = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "queued_at", "pk"
        )[:free]
    )
    for registration in waiting:
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
    return waiting


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    waitlisted: bool


def registration_create(*, session: Session, person: Any, by: Any = None) -> RegistrationResult:
    """A seat in `session`, or a place at the end of its waitlist when it is full.

    Registering twice is refused with a message and changes nothing; after a
    cancellation, registering again takes a new place (the end of the line).
    """
    by = by or person
    now = timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.ends_at <= now:
            raise LearningError(_("This session is over: registration is closed."))
        existing = Registration.objects.filter(session=locked, person=person).first()
        if existing is not None and existing.status != Registration.Status.CANCELLED:
            if existing.status == Registration.Status.WAITLISTED:
                raise LearningError(_("You are already on the waitlist for this session."))
            raise LearningError(_("You are already registered for this session."))
        full = _seated(locked) >= locked.capacity
        status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
        if existing is None:
            registration = Registration.objects.create(
                session=locked, person=person, status=status, queued_at=now
            )
        else:
            existing.status, existing.queued_at = status, now
            existing.attended_at, existing.attendance_method = None, ""
            existing.save()
            registration = existing
        audit_log(
            actor=by,
            action="learning.register",
            obj=registration,
            school=locked.school,
            status=status,
        )
    return RegistrationResult(registration=registration, waitlisted=full)


def registration_cancel(*, session: Session, person: Any, by: Any = None) -> Registration | None:
    """Give up a seat or a waitlist place; the first waitlisted person gets the seat.

    Returns the registration promoted to a seat, if any.
    """
    by = by or person
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        registration = Registration.objects.filter(
            session=locked,
            person=person,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        ).first()
        if registration is None:
            raise LearningError(_("You are not registered for this session."))
        if registration.attended_at is not None:
            raise LearningError(_("You attended this session: the registration stays."))
        if locked.ends_at <= timezone.now():
            raise LearningError(_("This session is over: registrations can no longer change."))
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status"])
        promoted = _promote(locked)
        audit_log(
            actor=by,
            action="learning.cancel",
            obj=registration,
            school=locked.school,
            promoted=promoted[0].person_id if promoted else None,
        )
    return promoted[0] if promoted else None


def signin_window(session: Session) -> tuple[datetime, datetime]:
    return session.starts_at - SIGNIN_OPENS_BEFORE, session.ends_at + SIGNIN_CLOSES_AFTER


def _local(moment: datetime, session: Session) -> str:
    zone = session.school.timezone
    try:
        import zoneinfo

        moment = moment.astimezone(zoneinfo.ZoneInfo(zone))
    except (ValueError, KeyError):
        pass
    return formats.date_format(moment, "DATETIME_FORMAT")


def attendance_signin(
    *, code: str, person: Any, schools: Any, now: datetime | None = None
) -> Registration:
    """Sign `person` in with the code on the facilitator's screen.

    `schools` are the ids of the schools the person belongs to: a code of
    another school's session is unknown to them. Someone who did not register
    (or was waitlisted) and is in the room is signed in all the same: being
    there is what attendance records.
    """
    now = now or timezone.now()
    code = normalize_code(code)
    if not code:
        raise LearningError(_("Type the code shown on the facilitator's screen."))
    session = Session.objects.filter(signin_code=code, school_id__in=schools).first()
    if session is None:
        raise LearningError(
            _("No session has the code %(code)s. Check the screen and try again.") % {"code": code}
        )
    opens, closes = signin_window(session)
    if now < opens:
        raise LearningError(
            _("Sign-in for “%(title)s” opens at %(time)s.")
            % {"title": session.title, "time": _local(opens, session)}
        )
    if now > closes:
        raise LearningError(
            _("“%(title)s” ended at %(time)s: its sign-in code no longer works.")
            % {"title": session.title, "time": _local(session.ends_at, session)}
        )
    return _mark_attended(
        session=session, person=person, by=person, method=Registration.Method.CODE, now=now
    )


def attendance_mark(*, session: Session, person: Any, by: Any, attended: bool) -> Registration:
    """The facilitator's roster check-off (or taking a mark back)."""
    now = timezone.now()
    if attended:
        return _mark_attended(
            session=session, person=person, by=by, method=Registration.Method.ROSTER, now=now
        )
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(session=session, person=person)
        if hasattr(registration, "feedback"):
            raise LearningError(
                _("%(person)s has given feedback for this session: the attendance stays.")
                % {"person": registration.person}
            )
        registration.attended_at, registration.attendance_method = None, ""
        registration.save(update_fields=["attended_at", "attendance_method"])
        audit_log(
            actor=by,
            action="learning.attendance_unmark",
            obj=registration,
            school=session.school,
        )
    return registration


def _mark_attended(
    *, session: Session, person: Any, by: Any, method: str, now: datetime
) -> Registration:
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        registration = Registration.objects.filter(session=locked, person=person).first()
        if registration is not None and registration.attended_at is not None:
            raise LearningError(
                _("%(person)s is already signed in to “%(title)s”.")
                % {"person": registration.person, "title": locked.title}
            )
        if registration is None:
            registration = Registration(session=locked, person=person, queued_at=now)
        was = registration.status
        # In the room means in a seat: a walk-in or someone off the waitlist.
        registration.status = Registration.Status.REGISTERED
        registration.attended_at = now
        registration.attendance_method = method
        registration.save()
        audit_log(
            actor=by,
            action="learning.attendance",
            obj=registration,
            school=locked.school,
            method=method,
            was=was or "walk-in",
        )
    return registration


def feedback_submit(
    *,
    session: Session,
    person: Any,
    clarity: int,
    relevance: int,
    intent_to_use: int,
    comments: str = "",
) -> Feedback:
    """One feedback form per attendee; only people who attended may give it."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(session=session, person=person, attended_at__isnull=False)
            .first()
        )
        if registration is None:
            raise LearningError(_("Only people who attended this session can give feedback."))
        if Feedback.objects.filter(registration=registration).exists():
            raise LearningError(_("You have already given feedback for this session. Thank you!"))
        feedback = Feedback(
            registration=registration,
            clarity=clarity,
            relevance=relevance,
            intent_to_use=intent_to_use,
            comments=(comments or "").strip(),
        )
        feedback.full_clean()
        feedback.save()
        audit_log(actor=person, action="learning.feedback", obj=registration, school=session.school)
    return feedback
