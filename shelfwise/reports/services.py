"""Writes of the reports app: the librarian's narrative of an annual report section."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.lib.school_years import school_year_bounds
from shelfwise.reports.models import AnnualReportNarrative, ReportSection

MAX_NARRATIVE = 5000


def narrative_save(
    *, school: Any, year: str, section: str, text: str, by: Any
) -> AnnualReportNarrative:
    """Save (or clear) the narrative of one section of `school`'s report for `year`."""
    try:
        school_year_bounds(year)
    except ValueError as error:
        raise ValidationError(_("Choose a school year such as 2026-27.")) from error
    if section not in ReportSection.values:
        raise ValidationError(_("There is no such section in the annual report."))
    text = (text or "").strip()
    if len(text) > MAX_NARRATIVE:
        raise ValidationError(
            _("A narrative holds at most %(n)s characters.") % {"n": MAX_NARRATIVE}
        )
    with transaction.atomic():
        row, _created = AnnualReportNarrative.objects.update_or_create(
            school=school,
            year=year,
            section=section,
            defaults={"text": text, "updated_by": by},
        )
        audit_log(
            actor=by,
            action="reports.narrative_save",
            obj=row,
            school=school,
            year=year,
            section=section,
        )
    return row
