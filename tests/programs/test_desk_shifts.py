"""An aide holds the circulation desk only during one of their shifts (issue 7).

The rule is one hook in people.permissions (roles.CONDITIONAL_GRANTS); the
shift check is programs.selectors.aide_on_shift. Librarians and district
admins are untouched by it.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from shelfwise.audit.models import AuditEntry
from shelfwise.people.permissions import has_perm
from shelfwise.programs.models import Shift, ShiftDuty
from shelfwise.programs.services import shift_create, shift_create_weekly
from shelfwise.schools.models import BellPeriod, ClosedDay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
NY = zoneinfo.ZoneInfo("America/New_York")
THURSDAY = date(2026, 11, 5)


def at(hour: int, minute: int = 0, day: date = THURSDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=NY)


@pytest.fixture
def period3(personas):
    return BellPeriod.objects.create(
        school=personas.school,
        name="Period 3",
        order=3,
        starts_at=time(9, 40),
        ends_at=time(10, 30),
    )


@pytest.fixture
def shift(personas, period3):
    return shift_create(
        school=personas.school, aide=personas.aide, role="desk_aide", on=THURSDAY,
        period=period3, by=personas.librarian,
    )  # fmt: skip


def desk(person, school, when):
    with time_machine.travel(when, tick=False):
        return has_perm(person, "circulation.desk", school)


def test_aide_holds_the_desk_during_the_shift_only(personas, shift):
    school = personas.school
    assert desk(personas.aide, school, at(10, 0)) is True
    assert desk(personas.aide, school, at(9, 35)) is True  # 5 minutes early: setting up
    assert desk(personas.aide, school, at(10, 35)) is True  # 5 minutes late: finishing a scan
    assert desk(personas.aide, school, at(9, 34)) is False
    assert desk(personas.aide, school, at(10, 36)) is False
    assert desk(personas.aide, school, at(10, 0, day=date(2026, 11, 6))) is False  # next day


def test_shift_time_is_the_schools_local_time(personas, shift):
    # 10:00 in New York is 15:00 UTC: a UTC reading of the clock must not decide.
    assert desk(
        personas.aide,
        personas.school,
        datetime(2026, 11, 5, 15, 0, tzinfo=zoneinfo.ZoneInfo("UTC")),
    )
    assert not desk(
        personas.aide,
        personas.school,
        datetime(2026, 11, 5, 10, 0, tzinfo=zoneinfo.ZoneInfo("UTC")),
    )


def test_librarian_and_district_admin_are_unaffected(personas, shift):
    for when in (at(10, 0), at(3, 0), at(22, 0)):
        assert desk(personas.librarian, personas.school, when)
        assert desk(personas.district_admin, personas.school, when)


def test_the_shift_grants_nothing_else_and_nobody_else(personas, shift):
    with time_machine.travel(at(10, 0), tick=False):
        assert has_perm(personas.aide, "catalog.view_staff", personas.school)  # unconditional
        assert not has_perm(personas.aide, "circulation.manage", personas.school)
        assert not has_perm(personas.aide, "circulation.desk", personas.other_school)
        for name in ("teacher", "ell", "student", "outsider"):
            assert not has_perm(getattr(personas, name), "circulation.desk", personas.school)


def test_a_shift_in_another_school_does_not_open_this_desk(personas):
    from shelfwise.people.models import Membership

    Membership.objects.create(person=personas.aide, school=personas.other_school, role="aide")
    shift_create(
        school=personas.other_school, aide=personas.aide, role="desk_aide", on=THURSDAY,
        starts_at=time(9, 0), ends_at=time(11, 0), by=personas.outsider,
    )  # fmt: skip
    assert desk(personas.aide, personas.other_school, at(10, 0))
    assert not desk(personas.aide, personas.school, at(10, 0))


def test_the_desk_page_follows_the_shift(personas, shift, client):
    client.force_login(personas.aide)
    with time_machine.travel(at(10, 0), tick=False):
        assert client.get("/circulation/desk/").status_code == 200
        home = client.get("/").content.decode()
        assert 'href="/circulation/desk/"' in home
    with time_machine.travel(at(12, 0), tick=False):
        assert client.get("/circulation/desk/").status_code == 403
        assert client.post("/circulation/desk/scan/", {"code": "P0001"}).status_code == 403
        assert 'href="/circulation/desk/"' not in client.get("/").content.decode()


def test_overlapping_shift_is_refused_and_nothing_changes(personas, shift, period3):
    before = (Shift.objects.count(), ShiftDuty.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        shift_create(
            school=personas.school, aide=personas.aide, role="shelver", on=THURSDAY,
            starts_at=time(10, 15), ends_at=time(11, 0), by=personas.librarian,
        )  # fmt: skip
    assert "already has a shift on 2026-11-05 from 09:40 to 10:30" in refused.value.messages[0]
    assert (Shift.objects.count(), ShiftDuty.objects.count(), AuditEntry.objects.count()) == before
    # Back to back is not an overlap.
    shift_create(
        school=personas.school, aide=personas.aide, role="shelver", on=THURSDAY,
        starts_at=time(10, 30), ends_at=time(11, 0), by=personas.librarian,
    )  # fmt: skip


def test_bad_shifts_are_refused(personas, period3):
    base = {
        "school": personas.school,
        "role": "desk_aide",
        "on": THURSDAY,
        "by": personas.librarian,
    }
    with pytest.raises(ValidationError, match="end after it starts"):
        shift_create(aide=personas.aide, starts_at=time(11, 0), ends_at=time(10, 0), **base)
    with pytest.raises(ValidationError, match="bell period or give"):
        shift_create(aide=personas.aide, **base)
    with pytest.raises(ValidationError, match="not a library aide"):
        shift_create(aide=personas.student, period=period3, **base)
    other = BellPeriod.objects.create(
        school=personas.other_school, name="P1", order=1, starts_at=time(8), ends_at=time(9)
    )
    with pytest.raises(ValidationError, match="another school"):
        shift_create(aide=personas.aide, period=other, **base)
    assert not Shift.objects.exists()


def test_weekly_series_skips_closed_days_and_is_all_or_nothing(personas, period3):
    ClosedDay.objects.create(school=personas.school, date=date(2026, 11, 26), reason="Thanksgiving")
    made = shift_create_weekly(
        first=THURSDAY, until=date(2026, 12, 3), school=personas.school, aide=personas.aide,
        role="desk_aide", period=period3, by=personas.librarian,
    )  # fmt: skip
    assert [s.date for s in made] == [
        date(2026, 11, 5),
        date(2026, 11, 12),
        date(2026, 11, 19),
        date(2026, 12, 3),
    ]
    # Default duties come with each shift.
    assert ShiftDuty.objects.filter(shift=made[0]).count() == 3
    # A second series that clashes in its last week adds nothing at all.
    shift_create(
        school=personas.school, aide=personas.aide, role="shelver", on=date(2026, 12, 17),
        starts_at=time(10, 0), ends_at=time(10, 20), by=personas.librarian,
    )  # fmt: skip
    count = Shift.objects.count()
    with pytest.raises(ValidationError):
        shift_create_weekly(
            first=date(2026, 12, 10), until=date(2026, 12, 17), school=personas.school,
            aide=personas.aide, role="desk_aide", period=period3, by=personas.librarian,
        )  # fmt: skip
    assert Shift.objects.count() == count


def test_the_shift_form_reports_an_overlap_clearly(personas, shift, period3, client):
    client.force_login(personas.librarian)
    response = client.post(
        "/programs/aides/shifts/",
        {"aide": personas.aide.pk, "role": "shelver", "date": "2026-11-05", "period": period3.pk},
    )
    assert response.status_code == 200
    assert "shifts cannot overlap" in response.content.decode()
    assert Shift.objects.count() == 1


def test_the_hook_fails_closed_and_accepts_only_declared_conditions(personas, shift, monkeypatch):
    from shelfwise.people import permissions

    monkeypatch.setattr(permissions, "_conditions", {})  # as if programs had not registered
    assert not desk(personas.aide, personas.school, at(10, 0))
    assert desk(personas.librarian, personas.school, at(10, 0))
    with pytest.raises(KeyError):
        permissions.grant_condition("teacher", "circulation.desk", lambda person, school: True)


def test_the_aide_home_says_when_the_desk_opens(personas, shift, client):
    client.force_login(personas.aide)
    with time_machine.travel(at(12, 0), tick=False):
        html = client.get("/").content.decode()
    assert "The circulation desk opens to you during your shifts." in html
    assert 'href="/programs/my-shifts/"' in html
    with time_machine.travel(at(10, 0), tick=False):
        html = client.get("/").content.decode()
    assert "Open the circulation desk" in html
    assert "opens to you during your shifts" not in html
