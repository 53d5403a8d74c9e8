"""A session factory on top of the personas of tests/conftest.py."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def make_session(personas):
    from shelfwise.learning.services import session_create

    def make(**fields):
        start = fields.pop("starts_at", timezone.now() + timedelta(days=2))
        values = {
            "title": "Inquiry with primary sources",
            "objectives": "Plan an inquiry lesson\nUse the library's databases",
            "audience": "Grade 6 ELA and ELL staff",
            "format": "workshop",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1, minutes=30),
            "location": "Library classroom",
            "capacity": 20,
            "hours": Decimal("1.5"),
        }
        values.update(fields)
        school = values.pop("school", personas.school)
        by = values.pop("by", personas.librarian)
        return session_create(school=school, by=by, **values)

    return make
