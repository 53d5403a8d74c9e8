"""What the librarian writes into the annual report: one narrative per section and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shelfwise.schools.models import School


class ReportSection(models.TextChoices):
    """The annual report's sections (reports/annual.py lays them out under REAL)."""

    INTRODUCTION = "introduction", _("Introduction")
    EQUITY = "equity", _("Equity of the collection")
    CIRCULATION = "circulation", _("Circulation and visits")
    PROGRAMS = "programs", _("Programs and events")
    COLLECTION = "collection", _("Collection change")
    COLLABORATIONS = "collaborations", _("Collaborations with teachers")
    LEARNING = "learning", _("Professional learning")
    LEADERSHIP = "leadership", _("Student leadership")


class AnnualReportNarrative(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.CharField(_("school year"), max_length=7)  # "2026-27"
    section = models.CharField(_("section"), max_length=20, choices=ReportSection.choices)
    text = models.TextField(_("narrative"), blank=True, max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "section"], name="annual_narrative_unique"
            )
        ]
        verbose_name = _("annual report narrative")
        verbose_name_plural = _("annual report narratives")

    def __str__(self) -> str:
        return f"{self.school_id} {self.year} {self.section}"
