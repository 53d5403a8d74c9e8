"""Programs and student leadership: library programs and events, the REAL norms,
recognition notes, aides and their shifts, student-led projects, library visits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shelfwise.schools.models import BellPeriod, School


class GradeBand(models.TextChoices):
    """The bands attendance and visits are counted by: no names, no single grades."""

    K2 = "K-2", _("Grades K–2")
    G35 = "3-5", _("Grades 3–5")
    G68 = "6-8", _("Grades 6–8")
    G912 = "9-12", _("Grades 9–12")
    FAMILY = "family", _("Families and community")
    STAFF = "staff", _("Staff")


# --- Programs and events ------------------------------------------------------


class Program(models.Model):
    class Kind(models.TextChoices):
        BOOK_CLUB = "book_club", _("Book club")
        AUTHOR_VISIT = "author_visit", _("Author visit")
        HERITAGE_MONTH = "heritage_month", _("Heritage month")
        FAMILY_LITERACY = "family_literacy", _("Family literacy night")
        MAKERSPACE = "makerspace", _("Makerspace")
        OTHER = "other", pgettext_lazy("program kind", "Other")

    class Audience(models.TextChoices):
        STUDENTS = "students", _("Students")
        FAMILIES = "families", _("Students and families")
        STAFF = "staff", _("Staff")
        EVERYONE = "everyone", _("Everyone")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="programs")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.STUDENTS
    )
    grades = models.CharField(
        _("grades"), max_length=50, blank=True, help_text=_("For example: 6–8, or all grades.")
    )
    languages = models.JSONField(
        _("languages offered"), default=list, blank=True, help_text=_("MARC language codes")
    )
    partners = models.CharField(
        _("partners"),
        max_length=300,
        blank=True,
        help_text=_("For example: the ELL department, the public library, the PTA."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Books, supplies, handouts: one per line.")
    )
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public program list.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["school", "published", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="program_ends_after_start",
            )
        ]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.title

    @property
    def total_attendance(self) -> int:
        return sum(a.count for a in self.attendance.all())


class ProgramAttendance(models.Model):
    """How many came, by grade band: counts only, never names."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="attendance")
    grade_band = models.CharField(_("grade band"), max_length=8, choices=GradeBand.choices)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["program", "grade_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "grade_band"], name="program_attendance_band_unique"
            )
        ]


def _photo_path(instance: ProgramPhoto, filename: str) -> str:
    # The stored name is ours, never the uploader's (no path tricks, no personal names).
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"programs/{instance.program.school_id}/{uuid.uuid4().hex}.{ext}"


class ProgramPhoto(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    content_type = models.CharField(max_length=40)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "pk"]


# --- The REAL expectations ----------------------------------------------------


class Expectation(models.TextChoices):
    RESPECT = "R", _("Respect")
    ENGAGEMENT = "E", _("Engagement")
    ACCOUNTABILITY = "A", _("Accountability")
    LEADERSHIP = "L", _("Leadership")


class NormText(models.Model):
    """A school's wording of one REAL expectation in one language.

    Missing rows fall back to the school's English wording, then to the
    product's default wording (translated through gettext).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="norm_texts")
    language = models.CharField(_("language"), max_length=8)
    letter = models.CharField(max_length=1, choices=Expectation.choices)
    heading = models.CharField(_("heading"), max_length=100)
    body = models.TextField(_("what it looks like"), help_text=_("One behavior per line."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "language", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "language", "letter"], name="norm_text_unique"
            )
        ]


class RecognitionNote(models.Model):
    """A staff member's note of something a student did well, tagged with REAL letters.

    Seen by the student, their teachers (through enrollments) and the
    librarian; never by other students. Positive by design (services.py).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognitions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.JSONField(_("expectations"), default=list)
    text = models.TextField(_("what they did"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["student", "school"])]


# --- Aides and leaders -------------------------------------------------------


class LeaderRole(models.TextChoices):
    DESK_AIDE = "desk_aide", _("Desk aide")
    SHELVER = "shelver", _("Shelver")
    TECH_HELPER = "tech_helper", _("Tech helper")
    BOOK_CLUB_LEADER = "book_club_leader", _("Book club leader")
    AMBASSADOR = "ambassador", _("Library ambassador")


class AideApplication(models.Model):
    class Status(models.TextChoices):
        AWAITING_RECOMMENDATION = "awaiting", _("Waiting for the teacher's recommendation")
        RECOMMENDED = "recommended", _("Recommended")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not accepted this time")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aide_applications"
    )
    role = models.CharField(_("role"), max_length=20, choices=LeaderRole.choices)
    statement = models.TextField(_("why you would like to help"))
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aide_recommendations",
        verbose_name=_("recommending teacher"),
    )
    recommendation = models.TextField(_("recommendation"), blank=True)
    recommended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.AWAITING_RECOMMENDATION
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open application per student, school and role.
            models.UniqueConstraint(
                fields=["school", "student", "role"],
                condition=Q(status__in=["awaiting", "recommended"]),
                name="aide_application_one_open",
            )
        ]


class LeaderPosition(models.Model):
    """The roster: a student holding a leadership role in the library."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_positions"
    )
    role = models.CharField(_("role"), max_length=20, choices=LeaderRole.choices)
    since = models.DateField(_("since"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["school", "student__last_name", "student__first_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "role"], name="leader_position_unique"
            )
        ]


class Shift(models.Model):
    """One dated shift of a student aide: a bell period (or set times) on a day.

    Decision: shifts are dated rows, not a weekly rule, so each one carries its
    own duties checklist, hours and reflection; "every Tuesday, 3rd period,
    until June" is created as many rows at once (services.shift_create_series).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    aide = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aide_shifts"
    )
    role = models.CharField(_("role"), max_length=20, choices=LeaderRole.choices)
    date = models.DateField(_("date"))
    period = models.ForeignKey(
        BellPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bell period"),
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    completed = models.BooleanField(_("worked"), default=False)
    reflection = models.TextField(_("reflection"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        indexes = [models.Index(fields=["aide", "school", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_positive")
        ]

    @property
    def hours(self) -> float:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return round((end - start) / 60, 2)


class ShiftDuty(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="duties")
    label = models.CharField(_("duty"), max_length=200)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["shift", "pk"]


class LeaderProject(models.Model):
    """A student-led project: the team, its goals, a staff sponsor, the outcomes."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    goals = models.TextField(_("goals"))
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff sponsor"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="leader_projects", verbose_name=_("student team")
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


# --- Library visits ----------------------------------------------------------


class Visit(models.Model):
    """One sign-in at the library's kiosk: when, why, and a grade band.

    Decision: no link to the person. The kiosk counts engagement; who came
    when would be a movement log of children, which nobody asked for.
    """

    class Purpose(models.TextChoices):
        CLASS = "class", _("With my class")
        CHECKOUT = "checkout", _("Check out or return books")
        STUDY = "study", _("Study or read")
        CLUB = "club", _("Club or program")
        AIDE_SHIFT = "aide_shift", _("Aide shift")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    on = models.DateField()
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    grade_band = models.CharField(max_length=8, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "on"])]
