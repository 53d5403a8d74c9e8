"""Writes for programs and leadership: each in one transaction with its audit entry.

Bad input raises `django.core.exceptions.ValidationError` with a message for the
person, before anything is written.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shelfwise.audit.services import audit_log
from shelfwise.circulation.services import grade_band
from shelfwise.people.language_profiles import to_marc_language
from shelfwise.people.models import Membership, Person
from shelfwise.people.roles import Role
from shelfwise.people.services import membership_set
from shelfwise.programs import selectors
from shelfwise.programs.models import (
    AideApplication,
    Expectation,
    GradeBand,
    LeaderPosition,
    LeaderProject,
    LeaderRole,
    NormText,
    Program,
    ProgramAttendance,
    ProgramPhoto,
    Shift,
    ShiftDuty,
    Visit,
)
from shelfwise.schools.models import BellPeriod

# --- Programs -----------------------------------------------------------------

PROGRAM_FIELDS = (
    "title", "kind", "description", "audience", "grades", "partners", "starts_at", "ends_at",
    "location", "materials", "published",
)  # fmt: skip


def languages_parse(text: str) -> list[str]:
    """'es, ara; English' → ['spa', 'ara', 'eng'] (MARC codes), or a ValidationError naming
    what was not understood."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[,;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        code = to_marc_language(part) or _language_by_name(part)
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError(
            _("Unknown language: %(names)s. Use a name or a code such as es, spa or Spanish.")
            % {"names": ", ".join(unknown)}
        )
    return codes


def _language_by_name(name: str) -> str | None:
    """'English', 'español', 'العربية' → the MARC code, through langcodes' name data."""
    import langcodes

    from shelfwise.marc.languages import normalize_language_code

    try:
        return normalize_language_code(langcodes.find(name).to_alpha3(variant="B"))
    except (LookupError, ValueError):
        return None


def program_save(
    *, school, by, program: Program | None = None, languages: list[str], **fields: Any
) -> Program:
    """Create (program=None) or update a program of `school`."""
    if program is not None and program.school_id != school.pk:
        raise PermissionDenied("program of another school")
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    ends_at, starts_at = fields.get("ends_at"), fields.get("starts_at")
    if ends_at and starts_at and ends_at < starts_at:
        raise ValidationError(_("A program cannot end before it starts."))
    with transaction.atomic():
        created = program is None
        program = program or Program(school=school, created_by=by)
        for name, value in fields.items():
            setattr(program, name, value)
        program.languages = languages
        program.full_clean(exclude=["created_by"])
        program.save()
        audit_log(
            actor=by,
            action="programs.program_create" if created else "programs.program_update",
            obj=program,
            school=school,
            title=program.title,
        )
    return program


def program_attendance_set(*, program: Program, counts: dict[str, int], by) -> int:
    """Replace the program's attendance counts (by grade band); returns the total."""
    bands = set(GradeBand.values)
    for band, count in counts.items():
        if band not in bands:
            raise ValidationError(_("Unknown grade band: %(band)s") % {"band": band})
        if count is None or count < 0:
            raise ValidationError(_("Attendance counts must be zero or more."))
    with transaction.atomic():
        ProgramAttendance.objects.filter(program=program).delete()
        ProgramAttendance.objects.bulk_create(
            ProgramAttendance(program=program, grade_band=band, count=count)
            for band, count in counts.items()
            if count
        )
        total = sum(counts.values())
        audit_log(
            actor=by,
            action="programs.attendance_set",
            obj=program,
            school=program.school,
            total=total,
        )
    return total


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def program_photo_add(*, program: Program, upload, alt_text: str, by) -> ProgramPhoto:
    """Check that `upload` is a real JPEG/PNG/WebP image under 5 MB, then store it."""
    from PIL import Image, UnidentifiedImageError

    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ValidationError(_("Describe the photo for people who cannot see it."))
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("That file is not a photo Shelfwise can read.")) from exc
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("Photos must be JPEG, PNG or WebP."))
    upload.seek(0)
    with transaction.atomic():
        photo = ProgramPhoto(
            program=program, alt_text=alt_text, uploaded_by=by, content_type=PHOTO_FORMATS[kind]
        )
        photo.image.save(f"photo.{kind.lower()}", upload, save=False)
        photo.save()
        audit_log(actor=by, action="programs.photo_add", obj=photo, school=program.school)
    return photo


def program_photo_delete(*, photo: ProgramPhoto, by) -> None:
    with transaction.atomic():
        audit_log(actor=by, action="programs.photo_delete", obj=photo, school=photo.program.school)
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- The REAL norms -------------------------------------------------------------


def norms_save(*, school, language: str, texts: dict[str, tuple[str, str]], by) -> None:
    """Set a school's wording of the four expectations in `language` ({letter: (heading, body)})."""
    if set(texts) != set(Expectation.values):
        raise ValidationError(_("All four expectations need a wording."))
    for heading, body in texts.values():
        if not heading.strip() or not body.strip():
            raise ValidationError(_("Each expectation needs a heading and at least one line."))
    with transaction.atomic():
        for letter, (heading, body) in texts.items():
            NormText.objects.update_or_create(
                school=school,
                language=language,
                letter=letter,
                defaults={"heading": heading.strip(), "body": body.strip(), "updated_by": by},
            )
        audit_log(actor=by, action="programs.norms_save", school=school, language=language)


# --- Recognition notes ------------------------------------------------------------

# Positive by design. The form asks "What did they do well?" and offers only the
# four REAL tags; there is no negative category to pick. This list catches the
# obvious disciplinary words that would turn a note into a write-up, and points the
# writer to the school's discipline process instead. Decision: a word list, not a
# sentiment model; it is a nudge that catches the common case, not a guarantee, and
# the student reading every note is the stronger check.
DISCIPLINARY_WORDS = [
    # English
    "detention", "suspend", "suspension", "referral", "consequence", "warning", "warned",
    "punish", "misbehav", "disrespect", "rude", "lazy", "infraction", "violation",
    "demerit", "written up", "write-up", "bad behavior", "bad behaviour", "caught",
    # Spanish
    "castigo", "castigad", "suspendid", "suspensión", "advertencia", "mala conducta",
    "mal comportamiento", "grosero", "grosera", "perezos", "falta de respeto",
    # Arabic
    "عقوبة", "عقاب", "إنذار", "تحذير", "سلوك سيء", "وقح", "كسول",
]  # fmt: skip

RECOGNITION_MAX = 1000


def _disciplinary_word(text: str) -> str | None:
    lowered = text.casefold()
    for word in DISCIPLINARY_WORDS:
        if re.search(r"(?<!\w)" + re.escape(word.casefold()), lowered):
            return word
    return None


def recognition_create(*, school, student: Person, author, tags: Iterable[str], text: str):
    """A note of what `student` did well, by a member of their staff."""
    from shelfwise.programs.models import RecognitionNote

    if not selectors.may_recognize(author=author, student=student, school=school):
        raise PermissionDenied("not this student's staff")
    tags = list(tags or [])
    if not tags or any(tag not in Expectation.values for tag in tags):
        raise ValidationError(
            _("Choose at least one of Respect, Engagement, Accountability or Leadership.")
        )
    tags = sorted(set(tags), key=Expectation.values.index)
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError(_("Say in a sentence what the student did well."))
    if len(text) > RECOGNITION_MAX:
        raise ValidationError(_("Keep the note under 1000 characters."))
    word = _disciplinary_word(text)
    if word is not None:
        raise ValidationError(
            _(
                "Recognition notes are for what a student did well; “%(word)s” belongs in "
                "the school's discipline process, not here."
            )
            % {"word": word}
        )
    with transaction.atomic():
        note = RecognitionNote.objects.create(
            school=school, student=student, author=author, tags=tags, text=text
        )
        audit_log(
            actor=author,
            action="programs.recognition_create",
            obj=note,
            school=school,
            student=student.pk,
            tags=tags,
        )
    return note


# --- Aides: applications, roster, shifts ------------------------------------------


def application_submit(
    *, school, student: Person, role: str, statement: str, teacher: Person
) -> AideApplication:
    if role not in LeaderRole.values:
        raise ValidationError(_("Choose a role."))
    if not statement.strip():
        raise ValidationError(_("Tell the librarian why you would like to help."))
    if not Membership.objects.filter(
        person=teacher, school=school, role__in=[Role.TEACHER, Role.ELL_SPECIALIST]
    ).exists():
        raise ValidationError(_("Choose a teacher of your school to recommend you."))
    with transaction.atomic():
        if AideApplication.objects.filter(
            school=school,
            student=student,
            role=role,
            status__in=[AideApplication.Status.AWAITING_RECOMMENDATION, "recommended"],
        ).exists():
            raise ValidationError(_("You have already applied for this role."))
        application = AideApplication.objects.create(
            school=school,
            student=student,
            role=role,
            statement=statement.strip(),
            teacher=teacher,
        )
        audit_log(
            actor=student, action="programs.application_submit", obj=application, school=school
        )
    return application


def application_recommend(*, application: AideApplication, teacher, text: str) -> AideApplication:
    if application.teacher_id != teacher.pk:
        raise PermissionDenied("not the recommending teacher")
    if application.status != AideApplication.Status.AWAITING_RECOMMENDATION:
        raise ValidationError(_("This application has already been recommended or decided."))
    if len(text.strip()) < 10:
        raise ValidationError(_("Write a sentence or two about the student."))
    with transaction.atomic():
        application.recommendation = text.strip()
        application.recommended_at = timezone.now()
        application.status = AideApplication.Status.RECOMMENDED
        application.save(update_fields=["recommendation", "recommended_at", "status"])
        audit_log(
            actor=teacher,
            action="programs.application_recommend",
            obj=application,
            school=application.school,
        )
    return application


def application_decide(*, application: AideApplication, by, accept: bool) -> AideApplication:
    """Accepting puts the student on the roster in that role and makes them a library aide."""
    if application.status != AideApplication.Status.RECOMMENDED:
        raise ValidationError(_("Only a recommended application can be decided."))
    with transaction.atomic():
        application.status = (
            AideApplication.Status.ACCEPTED if accept else AideApplication.Status.DECLINED
        )
        application.decided_by = by
        application.save(update_fields=["status", "decided_by"])
        if accept:
            position_grant(
                school=application.school,
                student=application.student,
                role=application.role,
                by=by,
            )
        audit_log(
            actor=by,
            action="programs.application_decide",
            obj=application,
            school=application.school,
            accepted=accept,
        )
    return application


def position_grant(*, school, student: Person, role: str, by) -> LeaderPosition:
    """Put `student` on the roster in `role`; a student becomes a library aide of the school.

    The aide role holds the desk only during the aide's shifts (people.permissions).
    """
    membership = Membership.objects.filter(person=student, school=school).first()
    if membership is None or membership.role not in (Role.STUDENT, Role.AIDE):
        raise ValidationError(_("Only a student of this school can be an aide or leader."))
    with transaction.atomic():
        position, _created = LeaderPosition.objects.update_or_create(
            school=school,
            student=student,
            role=role,
            defaults={"active": True, "since": timezone.localdate()},
        )
        if membership.role == Role.STUDENT:
            membership_set(person=student, school=school, role=Role.AIDE, actor=by)
        audit_log(
            actor=by, action="programs.position_grant", obj=position, school=school, role=role
        )
    return position


def position_end(*, position: LeaderPosition, by) -> None:
    """Take a leader off the roster; with no active position left they are a student again."""
    with transaction.atomic():
        position.active = False
        position.save(update_fields=["active"])
        still = LeaderPosition.objects.filter(
            school=position.school, student=position.student, active=True
        ).exists()
        if not still:
            membership_set(
                person=position.student, school=position.school, role=Role.STUDENT, actor=by
            )
        audit_log(actor=by, action="programs.position_end", obj=position, school=position.school)


# Marked for translation here, translated when a shift is made (in the librarian's language).
DEFAULT_DUTIES: dict[str, list[str]] = {
    LeaderRole.DESK_AIDE: [
        gettext_noop("Check in the book drop"),
        gettext_noop("Help readers at the desk"),
        gettext_noop("Tidy the desk"),
    ],
    LeaderRole.SHELVER: [
        gettext_noop("Shelve the returns cart"),
        gettext_noop("Read a shelf for order"),
        gettext_noop("Face out new books"),
    ],
    LeaderRole.TECH_HELPER: [
        gettext_noop("Charge and count the devices"),
        gettext_noop("Help with a log-in or printing"),
    ],
    LeaderRole.BOOK_CLUB_LEADER: [
        gettext_noop("Prepare the discussion questions"),
        gettext_noop("Lead the meeting"),
    ],
    LeaderRole.AMBASSADOR: [
        gettext_noop("Greet visitors"),
        gettext_noop("Update a display or give a book talk"),
    ],
}


def default_duties(role: str) -> list[str]:
    return [_(label) for label in DEFAULT_DUTIES.get(role, [])]


def shift_create(
    *,
    school,
    aide: Person,
    role: str,
    on: date,
    period: BellPeriod | None = None,
    starts_at: time | None = None,
    ends_at: time | None = None,
    duties: list[str] | None = None,
    by,
) -> Shift:
    """One shift on the bell schedule (a period) or at set times (before school, lunch).

    A shift that overlaps another of the same aide (in any school) is refused and
    nothing is written.
    """
    if role not in LeaderRole.values:
        raise ValidationError(_("Choose a role."))
    if period is not None:
        if period.school_id != school.pk:
            raise ValidationError(_("That bell period belongs to another school."))
        starts_at, ends_at = period.starts_at, period.ends_at
    if starts_at is None or ends_at is None:
        raise ValidationError(_("Choose a bell period or give a start and an end time."))
    if ends_at <= starts_at:
        raise ValidationError(_("A shift must end after it starts."))
    if not Membership.objects.filter(person=aide, school=school, role=Role.AIDE).exists():
        raise ValidationError(_("%(name)s is not a library aide of this school.") % {"name": aide})
    with transaction.atomic():
        # Lock the aide's row so two librarians adding shifts at once cannot both pass
        # the overlap check.
        Person.objects.select_for_update().filter(pk=aide.pk).first()
        clash = (
            Shift.objects.filter(aide=aide, date=on, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("school")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _(
                    "%(name)s already has a shift on %(date)s from %(start)s to %(end)s; "
                    "shifts cannot overlap."
                )
                % {
                    "name": aide,
                    "date": on.isoformat(),
                    "start": clash.starts_at.strftime("%H:%M"),
                    "end": clash.ends_at.strftime("%H:%M"),
                }
            )
        shift = Shift.objects.create(
            school=school,
            aide=aide,
            role=role,
            date=on,
            period=period,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=by,
        )
        labels = default_duties(role) if duties is None else duties
        ShiftDuty.objects.bulk_create(
            ShiftDuty(shift=shift, label=label.strip()[:200]) for label in labels if label.strip()
        )
        audit_log(actor=by, action="programs.shift_create", obj=shift, school=school, aide=aide.pk)
    return shift


def shift_create_weekly(*, first: date, until: date, **kwargs: Any) -> list[Shift]:
    """The same shift every week from `first` to `until`, skipping closed days.

    All or nothing: one overlapping week refuses the whole series.
    """
    if until < first:
        raise ValidationError(_("The last date is before the first."))
    if (until - first).days > 366:
        raise ValidationError(_("A series can run for a school year at most."))
    school = kwargs["school"]
    closed = set(school.closed_days.values_list("date", flat=True))
    shifts = []
    with transaction.atomic():
        day = first
        while day <= until:
            if day not in closed:
                shifts.append(shift_create(on=day, **kwargs))
            day += timedelta(days=7)
    return shifts


def shift_delete(*, shift: Shift, by) -> None:
    with transaction.atomic():
        audit_log(actor=by, action="programs.shift_delete", obj=shift, school=shift.school)
        shift.delete()


def shift_duty_set(*, duty: ShiftDuty, done: bool, by) -> ShiftDuty:
    if duty.shift.aide_id != by.pk:
        raise PermissionDenied("not this aide's shift")
    duty.done = done
    duty.save(update_fields=["done"])
    return duty


def shift_reflect(*, shift: Shift, text: str, by, now: datetime | None = None) -> Shift:
    """The aide's short reflection on a shift that has started."""
    if shift.aide_id != by.pk:
        raise PermissionDenied("not this aide's shift")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a sentence or two about your shift."))
    if len(text) > 1000:
        raise ValidationError(_("Keep your reflection under 1000 characters."))
    local = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(shift.school.timezone))
    if (shift.date, shift.starts_at) > (local.date(), local.time()):
        raise ValidationError(_("You can reflect on a shift once it has started."))
    shift.reflection = text
    shift.save(update_fields=["reflection"])
    return shift


def shift_mark_worked(*, shift: Shift, worked: bool, by) -> Shift:
    """The librarian confirms the shift was worked: its hours count from then on."""
    with transaction.atomic():
        shift.completed = worked
        shift.save(update_fields=["completed"])
        audit_log(
            actor=by, action="programs.shift_worked", obj=shift, school=shift.school, worked=worked
        )
    return shift


# --- Student-led projects ---------------------------------------------------------


def project_save(
    *,
    school,
    by,
    title: str,
    goals: str,
    sponsor: Person,
    team: list[Person],
    outcomes: str = "",
    project: LeaderProject | None = None,
) -> LeaderProject:
    if not title.strip() or not goals.strip():
        raise ValidationError(_("A project needs a title and goals."))
    if not team:
        raise ValidationError(_("A project needs at least one student on its team."))
    staff_roles = [Role.LIBRARIAN, Role.TEACHER, Role.ELL_SPECIALIST]
    if not Membership.objects.filter(person=sponsor, school=school, role__in=staff_roles).exists():
        raise ValidationError(_("The sponsor must be a member of this school's staff."))
    students = set(
        Membership.objects.filter(
            school=school, person__in=team, role__in=[Role.STUDENT, Role.AIDE]
        ).values_list("person_id", flat=True)
    )
    if students != {p.pk for p in team}:
        raise ValidationError(_("The team must be students of this school."))
    with transaction.atomic():
        created = project is None
        project = project or LeaderProject(school=school)
        project.title, project.goals = title.strip(), goals.strip()
        project.sponsor, project.outcomes = sponsor, outcomes.strip()
        project.save()
        project.team.set(team)
        audit_log(
            actor=by,
            action="programs.project_create" if created else "programs.project_update",
            obj=project,
            school=school,
        )
    return project


# --- Library visits --------------------------------------------------------------


class UnknownCard(Exception):
    pass


def visit_record(*, school, barcode: str, purpose: str, now: datetime | None = None):
    """A card scanned at the sign-in kiosk: count the visit (no link to the person).

    Returns the person, so the kiosk can greet them by first name. An unknown card,
    or a card of another school, raises UnknownCard and records nothing.
    """
    if purpose not in Visit.Purpose.values:
        raise ValidationError(_("Choose why you came to the library."))
    barcode = (barcode or "").strip()
    person = (
        Person.objects.filter(
            patron_barcode=barcode, is_active=True, memberships__school=school
        ).first()
        if barcode and len(barcode) <= 64
        else None
    )
    if person is None:
        raise UnknownCard(barcode)
    now = now or timezone.now()
    local = now.astimezone(zoneinfo.ZoneInfo(school.timezone))
    Visit.objects.create(
        school=school,
        at=now,
        on=local.date(),
        purpose=purpose,
        grade_band=grade_band(person.grade) if person.grade else "",
    )
    return person
