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
    grade = models.CharField(_("grade"), max_length=8, blank=True, help_text=_("CEDS code: KG, 01 … 12"))
    homeroom = models.CharField(_("homeroom"), max_length=100, blank=True)
    home_languages = models.JSONField(
        _("home languages"), default=list, blank=True, help_text=_("ISO 639 codes")
    )
    english_learner = models.BooleanField(_("English learner"), null=True, blank=True)
    el_entry_date = models.DateField(_("EL program entry date"), null=True, blank=True)
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
