from __future__ import annotations

import pytest
from django.core import mail

from shelfwise.instruction.demo import demo_instruction
from shelfwise.instruction.models import Booking, Collaboration, Space

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_demo_loads_once_through_the_services(personas, roster):
    people = {"librarian": personas.librarian, "teacher": personas.teacher, "ell": personas.ell}
    assert demo_instruction(school=personas.school, people=people) is True
    assert Space.objects.filter(school=personas.school).count() == 4
    statuses = dict(Collaboration.objects.values_list("title", "status"))
    assert statuses == {
        "Ecosystems research project": "planning",
        "Poetry across our languages": "requested",
        "Digital citizenship: citing images": "reflected",
    }
    assert Booking.objects.filter(collaboration__title="Ecosystems research project").count() == 3
    assert mail.outbox == []  # fictional addresses are not mailed
    assert demo_instruction(school=personas.school, people=people) is False
    assert Collaboration.objects.count() == 3
