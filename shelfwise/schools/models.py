"""Schools: the tenant of almost everything, with the calendar circulation needs."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(tz)s is not a known time zone."), params={"tz": value})


class School(models.Model):
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Letters, digits, - and _ only."))],
        help_text=_("Short code, also the SIP2 institution id and the OneRoster org mapping."),
    )
    name = models.CharField(_("name"), max_length=200)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    ui_languages = models.JSONField(
        _("interface languages"),
        default=list,
        blank=True,
        help_text=_('Language codes offered in this school\'s interface, e.g. ["en", "es"].'),
    )
    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, default="", db_index=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class BellPeriod(models.Model):
    """One period of the school's bell schedule (e.g. "3rd period", 10:05–10:55)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="bell_periods")
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["school", "order"]
        constraints = [
            models.UniqueConstraint(fields=["school", "order"], name="bell_period_order_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="bell_period_positive"
            ),
        ]
        verbose_name = _("bell period")
        verbose_name_plural = _("bell periods")

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class ClosedDay(models.Model):
    """A day the school (and its library) is closed: holidays, breaks, snow days."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="closed_day_unique"),
        ]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"
