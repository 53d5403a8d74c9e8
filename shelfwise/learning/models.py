"""Professional learning: the sessions the librarian designs, who registers and attends, feedback.

A Session belongs to one school and may be part of a Series (a PLC that
meets monthly, a coaching cycle). A Registration is one person's seat (or
place on the waitlist) in one session; attendance and feedback hang off it,
so a certificate, an hour count and a feedback form all need a registration.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shelfwise.schools.models import School


class Series(models.Model):
    """Sessions that belong together: a monthly PLC, a coaching cycle, a workshop strand."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pd_series")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    class Format(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        PLC = "plc", _("Professional learning community (PLC)")
        COACHING = "coaching", _("Coaching cycle")
        ONE_TO_ONE = "one_to_one", _("One-to-one")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pd_sessions")
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), help_text=_("One learning objective a line."))
    audience = models.CharField(
        _("audience"),
        max_length=200,
        help_text=_("Who it is for, e.g. “Grade 6 ELA and ELL staff”."),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    hours = models.DecimalField(
        _("hours credited"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("40"))],
    )
    records = models.ManyToManyField(
        "catalog.Record", verbose_name=_("catalog records"), blank=True, related_name="+"
    )
    guides = models.ManyToManyField(
        "guides.Guide", verbose_name=_("resource guides"), blank=True, related_name="+"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="pd_sessions_led",
    )
    # Shown on the facilitator's screen; globally unique so a code names one session.
    signin_code = models.CharField(_("sign-in code"), max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["school", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="pd_session_positive"
            ),
        ]
        verbose_name = _("professional learning session")
        verbose_name_plural = _("professional learning sessions")

    def __str__(self) -> str:
        return self.title


def _material_path(instance: Material, filename: str) -> str:
    return f"learning/{instance.session_id}/{filename}"


class Material(models.Model):
    """A file handed out in a session (slides, an organizer, a handout)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_material_path, max_length=300)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    class Method(models.TextChoices):
        CODE = "code", _("Session code")
        ROSTER = "roster", _("Facilitator's roster")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pd_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # When the person took their current place: the waitlist is served in this order.
    queued_at = models.DateTimeField()
    attended_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    attendance_method = models.CharField(max_length=8, choices=Method.choices, blank=True)

    class Meta:
        ordering = ["session", "queued_at", "pk"]
        constraints = [
            # One row per person and session: re-registering reuses it, so a
            # double registration can never make two seats.
            models.UniqueConstraint(fields=["session", "person"], name="pd_registration_unique"),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.person} — {self.session} ({self.status})"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


LIKERT = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neutral")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]
_LIKERT_RANGE = [MinValueValidator(1), MaxValueValidator(5)]


class Feedback(models.Model):
    """One attendee's answers for one session (one form per attendee)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    clarity = models.PositiveSmallIntegerField(
        _("The session was clear."), choices=LIKERT, validators=_LIKERT_RANGE
    )
    relevance = models.PositiveSmallIntegerField(
        _("The session was relevant to my teaching."), choices=LIKERT, validators=_LIKERT_RANGE
    )
    intent_to_use = models.PositiveSmallIntegerField(
        _("I will use what I learned with my students."), choices=LIKERT, validators=_LIKERT_RANGE
    )
    comments = models.TextField(_("comments"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clarity__range=(1, 5))
                & models.Q(relevance__range=(1, 5))
                & models.Q(intent_to_use__range=(1, 5)),
                name="pd_feedback_likert",
            ),
        ]
