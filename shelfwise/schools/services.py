"""Writes for schools: creating one (from the `add-school` command or the admin)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.schools.models import School


def school_create(
    *, code: str, name: str, timezone: str = "America/New_York", actor: Any = None
) -> School:
    """Create a school; a code already in use is a ValidationError, never a silent update."""
    school = School(code=code.strip(), name=name.strip(), timezone=timezone.strip())
    # full_clean checks the code's pattern and uniqueness and the time zone.
    school.full_clean()
    with transaction.atomic():
        if School.objects.select_for_update().filter(code__iexact=school.code).exists():
            raise ValidationError(
                {"code": _("A school with the code %(code)s already exists.") % {"code": code}}
            )
        school.save()
        audit_log(
            actor=actor,
            action="school.create",
            obj=school,
            school=school,
            code=school.code,
            name=school.name,
            timezone=school.timezone,
        )
    return school
