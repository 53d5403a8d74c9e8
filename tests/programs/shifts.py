"""A shift for the test aide around the present moment: an aide holds the desk only
during one of their shifts (issue 7), so tests that use the desk as the aide give
them one (tests/circulation/conftest.py `aide_on_shift`, tests/browser/seed.py)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone


def give_current_shift(aide, school, now: datetime | None = None):
    from shelfwise.programs.services import shift_create

    local = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(school.timezone))
    before, after = local - timedelta(hours=1), local + timedelta(hours=1)
    starts_at = before.time() if before.date() == local.date() else time(0, 0)
    ends_at = after.time() if after.date() == local.date() else time(23, 59, 59, 999999)
    return shift_create(
        school=school,
        aide=aide,
        role="desk_aide",
        on=local.date(),
        starts_at=starts_at,
        ends_at=ends_at,
        by=None,
    )
