"""Registration, waitlist, sign-in, feedback and hours: the rules, without HTTP."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from shelfwise.learning import selectors, services
from shelfwise.learning.models import Registration
from shelfwise.lib.privacy import masked_count
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _teachers(personas, n):
    return [
        make_person(f"t{i}", personas.school, "teacher", last_name=f"T{i:02d}") for i in range(n)
    ]


def test_session_gets_a_readable_unique_code_and_an_audit_entry(personas, make_session):
    from shelfwise.audit.models import AuditEntry

    a, b = make_session(), make_session()
    assert a.signin_code != b.signin_code
    assert len(a.signin_code) == services.CODE_LENGTH
    assert not set(a.signin_code) & set("01OIL")
    assert AuditEntry.objects.filter(action="learning.session_create", object_id=str(a.pk)).exists()


def test_register_until_full_then_waitlist_in_order(personas, make_session):
    session = make_session(capacity=2)
    t = _teachers(personas, 4)
    results = [services.registration_create(session=session, person=p) for p in t]
    assert [r.waitlisted for r in results] == [False, False, True, True]
    assert selectors.waitlist_position(registration=results[2].registration) == 1
    assert selectors.waitlist_position(registration=results[3].registration) == 2


def test_double_registration_is_refused_and_changes_nothing(personas, make_session):
    session = make_session()
    first = services.registration_create(session=session, person=personas.teacher).registration
    with pytest.raises(services.LearningError, match="already registered"):
        services.registration_create(session=session, person=personas.teacher)
    assert Registration.objects.filter(session=session).count() == 1
    first_again = Registration.objects.get(pk=first.pk)
    assert first_again.queued_at == first.queued_at
    assert first_again.status == "registered"


def test_double_waitlist_registration_is_refused(personas, make_session):
    session = make_session(capacity=1)
    services.registration_create(session=session, person=personas.ell)
    services.registration_create(session=session, person=personas.teacher)
    with pytest.raises(services.LearningError, match="already on the waitlist"):
        services.registration_create(session=session, person=personas.teacher)


def test_cancellation_promotes_the_first_waitlisted(personas, make_session):
    session = make_session(capacity=1)
    a, b, c = _teachers(personas, 3)
    for p in (a, b, c):
        services.registration_create(session=session, person=p)
    promoted = services.registration_cancel(session=session, person=a)
    assert promoted.person == b
    statuses = dict(Registration.objects.filter(session=session).values_list("person", "status"))
    assert statuses == {a.pk: "cancelled", b.pk: "registered", c.pk: "waitlisted"}


def test_leaving_the_waitlist_promotes_nobody(personas, make_session):
    session = make_session(capacity=1)
    a, b = _teachers(personas, 2)
    services.registration_create(session=session, person=a)
    services.registration_create(session=session, person=b)
    assert services.registration_cancel(session=session, person=b) is None
    assert Registration.objects.get(session=session, person=a).status == "registered"


def test_registering_again_after_cancelling_goes_to_the_end_of_the_line(personas, make_session):
    session = make_session(capacity=1)
    a, b = _teachers(personas, 2)
    services.registration_create(session=session, person=a)
    services.registration_cancel(session=session, person=a)
    services.registration_create(session=session, person=b)
    again = services.registration_create(session=session, person=a)
    assert again.waitlisted
    assert Registration.objects.filter(session=session, person=a).count() == 1


def test_cancelling_without_a_registration_is_refused(personas, make_session):
    session = make_session()
    with pytest.raises(services.LearningError, match="not registered"):
        services.registration_cancel(session=session, person=personas.teacher)


def test_raising_capacity_promotes_and_lowering_below_seats_is_refused(personas, make_session):
    session = make_session(capacity=1)
    a, b, c = _teachers(personas, 3)
    for p in (a, b, c):
        services.registration_create(session=session, person=p)
    services.session_update(session=session, by=personas.librarian, capacity=2)
    assert Registration.objects.get(session=session, person=b).status == "registered"
    assert Registration.objects.get(session=session, person=c).status == "waitlisted"
    with pytest.raises(services.LearningError, match="cannot go below"):
        services.session_update(session=session, by=personas.librarian, capacity=1)
    session.refresh_from_db()
    assert session.capacity == 2


def test_registration_closes_when_the_session_is_over(personas, make_session):
    session = make_session(starts_at=timezone.now() - timedelta(hours=3))
    with pytest.raises(services.LearningError, match="over"):
        services.registration_create(session=session, person=personas.teacher)
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_at_once_get_one_seat(personas, make_session):
    session = make_session(capacity=1)
    a, b = _teachers(personas, 2)
    barrier = threading.Barrier(2)
    errors = []

    def register(person):
        try:
            barrier.wait()
            services.registration_create(session=session, person=person)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["registered", "waitlisted"]


# ---- Sign-in ------------------------------------------------------------------


def _schools(person):
    return [m.school_id for m in person.memberships.all()]


def test_signin_by_code_during_the_window(personas, make_session):
    start = timezone.now() + timedelta(minutes=5)
    session = make_session(starts_at=start)
    services.registration_create(session=session, person=personas.teacher)
    r = services.attendance_signin(
        code=session.signin_code.lower(),
        person=personas.teacher,
        schools=_schools(personas.teacher),
    )
    assert r.attended_at is not None
    assert r.attendance_method == "code"


def test_signin_code_reused_after_the_session_is_refused(personas, make_session):
    session = make_session()
    services.registration_create(session=session, person=personas.teacher)
    later = session.ends_at + timedelta(hours=2)
    with pytest.raises(services.LearningError, match="no longer works"):
        services.attendance_signin(
            code=session.signin_code,
            person=personas.teacher,
            schools=_schools(personas.teacher),
            now=later,
        )
    assert Registration.objects.get(session=session).attended_at is None


def test_signin_before_the_window_is_refused(personas, make_session):
    session = make_session()
    with pytest.raises(services.LearningError, match="opens at"):
        services.attendance_signin(
            code=session.signin_code,
            person=personas.teacher,
            schools=_schools(personas.teacher),
            now=session.starts_at - timedelta(hours=1),
        )
    assert not Registration.objects.exists()


def test_signin_twice_is_refused_and_keeps_the_first_time(personas, make_session):
    session = make_session()
    now = session.starts_at + timedelta(minutes=1)
    first = services.attendance_signin(
        code=session.signin_code,
        person=personas.teacher,
        schools=_schools(personas.teacher),
        now=now,
    )
    with pytest.raises(services.LearningError, match="already signed in"):
        services.attendance_signin(
            code=session.signin_code,
            person=personas.teacher,
            schools=_schools(personas.teacher),
            now=now + timedelta(minutes=5),
        )
    assert Registration.objects.get(pk=first.pk).attended_at == now


def test_unknown_code_and_another_schools_code_are_refused(personas, make_session):
    theirs = make_session(school=personas.other_school, by=personas.outsider)
    with pytest.raises(services.LearningError, match="No session has the code"):
        services.attendance_signin(
            code="ZZZZZZ", person=personas.teacher, schools=_schools(personas.teacher)
        )
    with pytest.raises(services.LearningError, match="No session has the code"):
        services.attendance_signin(
            code=theirs.signin_code,
            person=personas.teacher,
            schools=_schools(personas.teacher),
            now=theirs.starts_at,
        )


def test_walk_in_and_waitlisted_people_who_sign_in_get_a_seat(personas, make_session):
    session = make_session(capacity=1)
    services.registration_create(session=session, person=personas.ell)
    services.registration_create(session=session, person=personas.teacher)  # waitlisted
    now = session.starts_at
    services.attendance_signin(
        code=session.signin_code,
        person=personas.teacher,
        schools=_schools(personas.teacher),
        now=now,
    )
    services.attendance_signin(
        code=session.signin_code, person=personas.librarian, schools=[personas.school.pk], now=now
    )
    rows = dict(Registration.objects.filter(session=session).values_list("person", "status"))
    assert rows[personas.teacher.pk] == "registered"
    assert rows[personas.librarian.pk] == "registered"


def test_roster_check_off_and_undo(personas, make_session):
    session = make_session()
    services.registration_create(session=session, person=personas.teacher)
    r = services.attendance_mark(
        session=session, person=personas.teacher, by=personas.librarian, attended=True
    )
    assert r.attendance_method == "roster"
    r = services.attendance_mark(
        session=session, person=personas.teacher, by=personas.librarian, attended=False
    )
    assert r.attended_at is None


# ---- Feedback, summaries, hours ------------------------------------------------


def _attend(session, person):
    services.registration_create(session=session, person=person)
    services.attendance_mark(session=session, person=person, by=None, attended=True)


def test_feedback_only_from_attendees_and_only_once(personas, make_session):
    session = make_session()
    services.registration_create(session=session, person=personas.teacher)
    answers = {"clarity": 4, "relevance": 5, "intent_to_use": 3, "comments": " Useful "}
    with pytest.raises(services.LearningError, match="Only people who attended"):
        services.feedback_submit(session=session, person=personas.teacher, **answers)
    services.attendance_mark(
        session=session, person=personas.teacher, by=personas.librarian, attended=True
    )
    feedback = services.feedback_submit(session=session, person=personas.teacher, **answers)
    assert feedback.comments == "Useful"
    with pytest.raises(services.LearningError, match="already given feedback"):
        services.feedback_submit(session=session, person=personas.teacher, **answers)
    with pytest.raises(services.LearningError, match="attendance stays"):
        services.attendance_mark(
            session=session, person=personas.teacher, by=personas.librarian, attended=False
        )


def test_feedback_out_of_range_is_refused(personas, make_session):
    from django.core.exceptions import ValidationError

    session = make_session()
    _attend(session, personas.teacher)
    with pytest.raises(ValidationError):
        services.feedback_submit(
            session=session, person=personas.teacher, clarity=6, relevance=1, intent_to_use=1
        )
    from shelfwise.learning.models import Feedback

    assert not Feedback.objects.exists()


def test_summary_masks_small_counts_and_hides_means_under_five(personas, make_session):
    session = make_session()
    people = _teachers(personas, 3)
    for p, value in zip(people, (5, 5, 4), strict=True):
        _attend(session, p)
        services.feedback_submit(
            session=session, person=p, clarity=value, relevance=value, intent_to_use=value
        )
    summary = selectors.feedback_summary(sessions=[session])
    assert summary.responses == 3
    assert summary.responses_shown == "<5"
    assert summary.attendees_shown == "<5"
    clarity = summary.items[0]
    assert clarity.mean is None
    assert clarity.distribution == [(1, "0"), (2, "0"), (3, "0"), (4, "<5"), (5, "<5")]


def test_summary_over_a_series_with_hand_worked_means(personas, make_session):
    from shelfwise.learning.models import Series

    series = Series.objects.create(school=personas.school, title="Research PLC")
    one = make_session(series=series)
    two = make_session(series=series, starts_at=timezone.now() + timedelta(days=9))
    people = _teachers(personas, 6)
    # clarity answers: 5,5,5,4 in session one and 2,3 in two → mean 24/6 = 4.0
    for p, (session, clarity) in zip(
        people, [(one, 5), (one, 5), (one, 5), (one, 4), (two, 2), (two, 3)], strict=True
    ):
        _attend(session, p)
        services.feedback_submit(
            session=session, person=p, clarity=clarity, relevance=4, intent_to_use=3, comments="ok"
        )
    summary = selectors.feedback_summary(sessions=[one, two])
    assert summary.responses == 6 and summary.responses_shown == "6"
    assert summary.items[0].mean == 4.0
    assert summary.items[1].mean == 4.0
    assert summary.items[1].distribution[3] == (4, "6")
    assert summary.items[0].distribution == [(1, "0"), (2, "<5"), (3, "<5"), (4, "<5"), (5, "<5")]
    assert summary.comments == ["ok"] * 6


def test_hours_per_person_per_school_year(personas, make_session):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    # 2026-27: two sessions (1.5 + 2); 30 June 2026 belongs to 2025-26.
    s1 = make_session(starts_at=datetime(2026, 9, 10, 15, 30, tzinfo=ny))
    s2 = make_session(starts_at=datetime(2027, 6, 30, 15, 0, tzinfo=ny), hours=Decimal("2"))
    s0 = make_session(starts_at=datetime(2026, 6, 30, 15, 0, tzinfo=ny), hours=Decimal("3"))
    for session in (s1, s2, s0):
        Registration.objects.create(
            session=session,
            person=personas.teacher,
            status="registered",
            queued_at=session.starts_at,
            attended_at=session.starts_at,
            attendance_method="roster",
        )
    Registration.objects.create(  # registered, never came: no hours
        session=s1, person=personas.ell, status="registered", queued_at=s1.starts_at
    )
    rows = selectors.hours_by_person(school=personas.school, school_year="2026-27")
    assert [(r.person, r.sessions, r.hours) for r in rows] == [
        (personas.teacher, 2, Decimal("3.5"))
    ]
    assert selectors.hours_of(
        person=personas.teacher, school=personas.school, school_year="2025-26"
    ) == Decimal("3")
    totals = selectors.year_totals(school=personas.school, school_year="2026-27")
    assert totals == {"sessions": 2, "attendances": 2, "attendees": 1, "hours": Decimal("3.5")}


def test_masked_count():
    assert [masked_count(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
