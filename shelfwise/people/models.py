"""People: one account per person (staff or student) and their roles per school.

Person is the user model itself, with the patron profile of DESIGN.md §2
on the same row: one table to join at the desk, one to deactivate when a
student leaves. Home languages and English-learner status are sensitive:
read them only through `people.selectors`, which checks the role table.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from shelfwise.people.roles import Role
from shelfwise.schools.models import School


class Person(AbstractUser):
    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, null=True, blank=True, unique=True
    )
    patron_barcode = models.CharField(
        _("patron barcode"), max_length=64, null=True, blank=True, unique=True
    )
    display_name = models.CharField(_("preferred name"), max_length=200, blank=True)
    grade = models.CharField(
        _("grade"), max_length=8, blank=True, help_text=_("CEDS code: KG, 01 … 12")
    )
    homeroom = models.CharField(_("homeroom"), max_length=100, blank=True)
    home_languages = models.JSONField(
        _("home languages"), default=list, blank=True, help_text=_("ISO 639 codes")
    )
    english_learner = models.BooleanField(_("English learner"), null=True, blank=True)
    el_entry_date = models.DateField(_("EL program entry date"), null=True, blank=True)
    keeps_reading_history = models.BooleanField(
        _("keep my reading history"),
        default=False,
        help_text=_(
            "Off unless the student turns it on: returned books are then kept on "
            "their own page, visible to them and the librarian only."
        ),
    )
    preferred_language = models.CharField(
        _("interface language"), max_length=8, blank=True, help_text=_("en, es, ar …")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        first = self.display_name or self.first_name
        return f"{first} {self.last_name}".strip()


class Membership(models.Model):
    """A person's role in one school. One role per person per school."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "school"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["school", "role"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} @ {self.school.code}"


class SchoolClass(models.Model):
    """A class from the roster (OneRoster `classes.csv`): a section a teacher teaches."""

    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, unique=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    title = models.CharField(_("title"), max_length=255)
    class_code = models.CharField(_("class code"), max_length=100, blank=True)
    course_title = models.CharField(_("course"), max_length=255, blank=True)
    grades = models.JSONField(_("grades"), default=list, blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    periods = models.JSONField(_("periods"), default=list, blank=True)
    school_year = models.CharField(_("school year"), max_length=20, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["school", "title"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    """A person in a class, as student or teacher (OneRoster `enrollments.csv`)."""

    sourced_id = models.CharField(max_length=255, unique=True)
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="enrollments"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(_("role"), max_length=20)
    primary = models.BooleanField(null=True)

    class Meta:
        indexes = [models.Index(fields=["person", "role"])]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")


class RosterImport(models.Model):
    """One OneRoster import and what it did (the librarian's report)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    started_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at"]


class RosterIssue(models.Model):
    """A rejected roster row (file, line, reason), or a person deactivated with loans out."""

    job = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=20)  # rejected | left_with_loans
    file = models.CharField(max_length=64, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    sourced_id = models.CharField(max_length=255, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField()

    class Meta:
        ordering = ["file", "line", "pk"]
