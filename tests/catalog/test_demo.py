"""`shelfwise demo`: schools, people and a generated catalog through the real importer."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from shelfwise.catalog.models import ImportJob, Item, Record
from shelfwise.core.management.commands.demo import DEFAULT_PASSWORD, PEOPLE, closed_days
from shelfwise.people.models import Membership, Person
from shelfwise.schools.models import BellPeriod, ClosedDay, School


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return (
        Record.objects.count(),
        Item.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        ClosedDay.objects.count(),
        BellPeriod.objects.count(),
    )


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_loads_once_and_reloads_only_with_force():
    """One test on purpose: loading imports 2,400 records, so it is done once."""
    output = _demo()

    lms, oak = School.objects.get(code="LMS"), School.objects.get(code="OAK")
    assert lms.name == "Lincoln Middle School" and lms.timezone == "America/New_York"
    assert oak.name == "Oak Elementary"
    assert lms.bell_periods.count() == 7
    assert lms.closed_days.filter(reason="Thanksgiving").count() == 1
    assert lms.closed_days.filter(reason="Winter break").count() >= 5

    assert Record.objects.count() >= 2000
    assert Item.objects.filter(school=lms).count() >= Record.objects.count()
    assert Item.objects.filter(school=oak).exists()
    languages = {lang for langs in Record.objects.values_list("languages", flat=True)
                 for lang in langs}  # fmt: skip
    assert {"eng", "spa", "ara", "vie", "som", "chi", "hat"} <= languages
    assert not ImportJob.objects.exclude(status=ImportJob.Status.DONE).exists()
    assert not ImportJob.objects.filter(rejected__gt=0).exists()

    for username, code, role, *_ in PEOPLE:
        person = Person.objects.get(username=username)
        assert person.is_active and person.check_password(DEFAULT_PASSWORD), username
        membership = person.memberships.get()
        assert (membership.school.code, membership.role) == (code, role)
        assert username in output
    students = Person.objects.filter(memberships__role="student")
    assert students.count() >= 5
    assert {lang for s in students for lang in s.home_languages} >= {"spa", "ara", "vie", "som"}
    assert all(s.patron_barcode.startswith("P") and s.grade in ("06", "07", "08") for s in students)
    assert students.filter(english_learner=True).exists()

    # A second run says so and changes nothing.
    before, jobs = _counts(), ImportJob.objects.count()
    assert "already loaded" in _demo()
    assert _counts() == before
    assert ImportJob.objects.count() == jobs

    # --force imports the catalog again: the importer matches every record and copy.
    assert "Importing" in _demo("--force")
    assert _counts() == before
    assert ImportJob.objects.count() == jobs + 2
    assert [job.created for job in ImportJob.objects.order_by("-pk")[:2]] == [0, 0]


def test_closed_days_fall_in_the_school_year_on_weekdays():
    days = dict(closed_days(datetime.date(2025, 10, 1)))
    assert days[datetime.date(2025, 11, 27)] == "Thanksgiving"
    assert days[datetime.date(2026, 1, 19)] == "Martin Luther King Jr. Day"
    assert datetime.date(2025, 12, 25) in days and datetime.date(2025, 12, 27) not in days
    assert all(d.weekday() < 5 for d in days)
    assert min(days) >= datetime.date(2025, 8, 1) and max(days) < datetime.date(2026, 8, 1)
    # In spring the school year is the one that started the autumn before.
    assert min(dict(closed_days(datetime.date(2026, 3, 1)))) == min(days)
