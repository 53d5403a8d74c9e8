"""Collaborations between teachers and the librarian, standards, library spaces and bookings.

The status rules live in `instruction.workflow` (plain Python, no Django);
writes go through `instruction.services`, reads through `instruction.selectors`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shelfwise.instruction.workflow import Status
from shelfwise.people.models import SchoolClass
from shelfwise.schools.models import BellPeriod, School


class Framework(models.Model):
    """A set of standards: AASL Shared Foundations, Common Core ELA, a state set…"""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("standards framework")
        verbose_name_plural = _("standards frameworks")

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    """One standard (or a grouping level such as a Shared Foundation) of a framework."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(_("code"), max_length=60)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField(_("level"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    grade_band = models.CharField(_("grade band"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="standard_code_unique"),
        ]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        label = self.name or self.description[:60]
        return f"{self.code} {label}"


class Collaboration(models.Model):
    """A lesson, unit, project or research experience planned with the librarian."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson")
        UNIT = "unit", _("Unit")
        PROJECT = "project", _("Project")
        RESEARCH = "research", _("Research experience")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="collaborations")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="collaborations_requested",
        verbose_name=_("requested by"),
    )
    classes = models.ManyToManyField(
        SchoolClass, blank=True, related_name="collaborations", verbose_name=_("classes")
    )
    grade = models.CharField(_("grade"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    starts_on = models.DateField(_("proposed start"), null=True, blank=True)
    ends_on = models.DateField(_("proposed end"), null=True, blank=True)
    learning_goals = models.TextField(_("learning goals"), blank=True)
    ml_supports = models.TextField(_("supports for multilingual learners"), blank=True)
    standards = models.ManyToManyField(
        Standard, blank=True, related_name="collaborations", verbose_name=_("standards")
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    reflection_worked = models.TextField(_("what worked"), blank=True)
    reflection_evidence = models.TextField(_("student evidence"), blank=True)
    reflection_next = models.TextField(_("next time"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="collaboration_dates_ordered",
            ),
        ]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """Who belongs to a collaboration: the requester, co-teachers, librarians."""

    class Role(models.TextChoices):
        REQUESTER = "requester", _("Requester")
        CO_TEACHER = "co_teacher", _("Co-teacher")
        LIBRARIAN = "librarian", _("Librarian")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaboration_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "person"], name="participant_unique"),
        ]


class StatusChange(models.Model):
    """The history of a collaboration's status."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class PlanRevision(models.Model):
    """One saved version of the shared planning notes; the newest is the current plan."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="plan_revisions"
    )
    number = models.PositiveIntegerField()
    body = models.TextField(_("planning notes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "number"], name="plan_revision_number_unique"
            ),
        ]


class Task(models.Model):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="instruction_tasks",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]


class Notification(models.Model):
    """An in-app message to a staff member about a collaboration (also e-mailed).

    Decision: not circulation's Notice, which is a reader's notice shown on
    the student's page with a fixed set of kinds and a once-per-key rule.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instruction_notifications"
    )
    collaboration = models.ForeignKey(
        Collaboration, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"])]


class Space(models.Model):
    """A bookable space of a school library."""

    class Kind(models.TextChoices):
        INSTRUCTION = "instruction", _("Instruction area")
        MAKERSPACE = "makerspace", _("Makerspace")
        COMPUTER_LAB = "computer_lab", _("Computer lab")
        QUIET_STUDY = "quiet_study", _("Quiet study")
        OTHER = "other", _("Other")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="library_spaces")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    capacity = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="space_name_unique"),
        ]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return self.name


class BookingSeries(models.Model):
    """Bookings made together as one weekly-repeating request (all or none)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    weeks = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class Booking(models.Model):
    """A space booked for a time on one day, by bell period or by time range."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="bookings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    period = models.ForeignKey(
        BellPeriod,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("period"),
    )
    collaboration = models.ForeignKey(
        Collaboration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("collaboration"),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_bookings",
        verbose_name=_("class visit"),
    )
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="library_bookings",
        verbose_name=_("booked by"),
    )
    # iCalendar SEQUENCE: bumped at every change so subscribed calendars update.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "space"]
        indexes = [models.Index(fields=["space", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_positive"
            ),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.title} ({self.space})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret in a calendar feed's URL, one per person or per space; reset makes a new one."""

    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    space = models.OneToOneField(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(space__isnull=True))
                | (Q(person__isnull=True) & Q(space__isnull=False)),
                name="feed_token_one_owner",
            ),
        ]
