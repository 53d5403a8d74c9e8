"""The pages: the role table (granted and denied, per persona), forms, PDFs and calendars."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from shelfwise.learning import services
from shelfwise.learning.models import Feedback, Registration, Session

pytestmark = pytest.mark.django_db

PARTICIPANTS = ["librarian", "district_admin", "teacher", "ell"]
NOBODY = ["aide", "student"]


def _as(client, personas, name):
    client.force_login(getattr(personas, name))
    return client


@pytest.mark.parametrize("name", PARTICIPANTS)
def test_staff_see_the_session_list(client, personas, make_session, name):
    make_session(title="Citing sources")
    response = _as(client, personas, name).get(reverse("learning:list"))
    assert response.status_code == 200
    assert "Citing sources" in response.content.decode()


@pytest.mark.parametrize("name", NOBODY)
@pytest.mark.parametrize(
    "url",
    ["learning:list", "learning:mine", "learning:signin", "learning:create", "learning:hours"],
)
def test_students_and_aides_see_none_of_it(client, personas, make_session, name, url):
    response = _as(client, personas, name).get(reverse(url))
    assert response.status_code == 403


@pytest.mark.parametrize("name", NOBODY)
def test_students_and_aides_cannot_open_or_register_for_a_session(
    client, personas, make_session, name
):
    session = make_session()
    client = _as(client, personas, name)
    assert client.get(reverse("learning:detail", args=[session.pk])).status_code == 403
    assert client.post(reverse("learning:register", args=[session.pk])).status_code == 403
    assert not Registration.objects.exists()


def test_anonymous_is_sent_to_log_in(client, make_session):
    session = make_session()
    response = client.get(reverse("learning:detail", args=[session.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", ["teacher", "ell"])
@pytest.mark.parametrize("url", ["learning:create", "learning:hours"])
def test_teachers_cannot_design_sessions_or_see_everyones_hours(client, personas, name, url):
    assert _as(client, personas, name).get(reverse(url)).status_code == 403


@pytest.mark.parametrize("name", ["teacher", "ell"])
def test_teachers_get_no_roster_code_or_feedback_of_others(client, personas, make_session, name):
    session = make_session()
    client = _as(client, personas, name)
    page = client.get(reverse("learning:detail", args=[session.pk])).content.decode()
    assert session.signin_code not in page
    assert 'id="roster-heading"' not in page
    assert client.get(reverse("learning:screen", args=[session.pk])).status_code == 403
    assert client.get(reverse("learning:edit", args=[session.pk])).status_code == 403
    response = client.post(
        reverse("learning:roster_mark", args=[session.pk]), {"registration": 1, "attended": "1"}
    )
    assert response.status_code == 403


def test_another_schools_librarian_cannot_see_our_session(client, personas, make_session):
    session = make_session()
    client = _as(client, personas, "outsider")
    assert client.get(reverse("learning:detail", args=[session.pk])).status_code == 404
    assert client.get(reverse("learning:screen", args=[session.pk])).status_code == 404


def _form(**overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
        hour=15, minute=30, second=0, microsecond=0
    )
    data = {
        "title": "Teaching with graphic novels",
        "objectives": "Choose graphic novels\nPlan a reading lesson",
        "audience": "ELA teachers",
        "format": "workshop",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Library",
        "link": "",
        "capacity": "12",
        "hours": "1",
        "series": "",
        "new_series": "Graphic novels PLC",
        "records_text": "",
    }
    data.update(overrides)
    return data


def test_librarian_creates_a_session_with_a_new_series_and_catalog_records(client, personas):
    from shelfwise.catalog.services import record_create
    from shelfwise.marc.build import build_record

    record = record_create(
        marc_record=build_record(title="New Kid", authors=["Craft, Jerry"]), by=None
    )
    client = _as(client, personas, "librarian")
    response = client.post(reverse("learning:create"), _form(records_text=str(record.pk)))
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.series.title == "Graphic novels PLC"
    assert list(session.records.all()) == [record]
    assert session.facilitator == personas.librarian
    assert session.school == personas.school


def test_bad_session_form_says_why_and_saves_nothing(client, personas):
    client = _as(client, personas, "librarian")
    data = _form(records_text="9780000000000 123456", capacity="0", location="")
    data["ends_at"] = data["starts_at"]
    response = client.post(reverse("learning:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not in the catalog" in page
    assert "must end after it starts" in page
    assert "Give a location, an online link, or both." in page
    assert not Session.objects.exists()
    from shelfwise.learning.models import Series

    assert not Series.objects.exists()


def test_register_waitlist_and_double_registration_messages(client, personas, make_session):
    session = make_session(capacity=1)
    services.registration_create(session=session, person=personas.ell)
    client = _as(client, personas, "teacher")
    url = reverse("learning:register", args=[session.pk])
    page = client.post(url, follow=True).content.decode()
    assert "you are on the waitlist" in page
    page = client.post(url, follow=True).content.decode()
    assert "already on the waitlist" in page
    assert Registration.objects.filter(person=personas.teacher).count() == 1


def test_signin_page_refuses_a_reused_code_clearly(client, personas, make_session):
    session = make_session(starts_at=timezone.now() - timedelta(days=1))
    client = _as(client, personas, "teacher")
    response = client.post(reverse("learning:signin"), {"code": session.signin_code})
    assert response.status_code == 400
    assert "its sign-in code no longer works" in response.content.decode()
    assert not Registration.objects.exists()


def test_signin_feedback_and_certificate_by_the_pages(client, personas, make_session):
    session = make_session(starts_at=timezone.now() - timedelta(minutes=10))
    client = _as(client, personas, "teacher")
    assert client.get(reverse("learning:certificate", args=[session.pk])).status_code == 404
    response = client.get(reverse("learning:signin") + f"?code={session.signin_code}")
    assert session.signin_code in response.content.decode()  # prefilled from the QR link
    response = client.post(reverse("learning:signin"), {"code": session.signin_code})
    assert response.status_code == 302
    response = client.post(
        reverse("learning:feedback", args=[session.pk]),
        {"clarity": "5", "relevance": "4", "intent_to_use": "5", "comments": "Great"},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().relevance == 4
    response = client.get(reverse("learning:certificate", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_feedback_form_requires_each_statement(client, personas, make_session):
    session = make_session(starts_at=timezone.now() - timedelta(minutes=10))
    services.registration_create(session=session, person=personas.teacher)
    services.attendance_mark(
        session=session, person=personas.teacher, by=personas.librarian, attended=True
    )
    client = _as(client, personas, "teacher")
    response = client.post(reverse("learning:feedback", args=[session.pk]), {"clarity": "9"})
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_certificate_of_someone_else_only_for_the_librarian(client, personas, make_session):
    session = make_session()
    services.registration_create(session=session, person=personas.ell)
    services.attendance_mark(session=session, person=personas.ell, by=None, attended=True)
    url = reverse("learning:certificate", args=[session.pk]) + f"?person={personas.ell.pk}"
    assert _as(client, personas, "teacher").get(url).status_code == 403
    client.logout()
    response = _as(client, personas, "librarian").get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_certificate_pdf_has_the_name_title_and_hours(personas, make_session):
    from shelfwise.learning.certificates import certificate_for, certificate_pdf

    session = make_session(title="Databases for research")
    services.registration_create(session=session, person=personas.teacher)
    registration = services.attendance_mark(
        session=session, person=personas.teacher, by=None, attended=True
    )
    certificate = certificate_for(registration)
    assert certificate.person == "Tom Baker"
    assert str(certificate.hours) == "1.50"
    pdf = certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_screen_shows_code_and_an_svg_qr_of_the_signin_link(client, personas, make_session):
    session = make_session()
    page = _as(client, personas, "librarian").get(reverse("learning:screen", args=[session.pk]))
    html = page.content.decode()
    assert session.signin_code in html
    assert "<svg" in html
    assert f"/learning/sign-in/?code={session.signin_code}" in html


def test_roster_check_off_by_the_librarian(client, personas, make_session):
    session = make_session()
    r = services.registration_create(session=session, person=personas.teacher).registration
    client = _as(client, personas, "librarian")
    client.post(
        reverse("learning:roster_mark", args=[session.pk]),
        {"registration": r.pk, "attended": "1"},
    )
    r.refresh_from_db()
    assert r.attendance_method == "roster"


def test_session_ics_and_personal_feed(client, personas, make_session):
    session = make_session(title="Coaching: inquiry")
    other = make_session(title="Not mine")
    services.registration_create(session=session, person=personas.teacher)
    client = _as(client, personas, "teacher")
    response = client.get(reverse("learning:ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "Coaching: inquiry"
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)

    page = client.get(reverse("learning:mine")).content.decode()
    assert reverse("instruction:feeds") in page
    client.logout()
    # The person's scheduling feed (secret URL, no login) carries their seats too.
    from shelfwise.instruction.feeds import feed_token_for

    token = feed_token_for(person=personas.teacher).token
    feed = client.get(reverse("instruction:feed", args=[token]))
    assert feed.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == ["Coaching: inquiry"]
    assert other.title not in feed.content.decode()


def test_waitlisted_and_cancelled_sessions_are_not_in_the_feed(personas, make_session):
    from shelfwise.learning.ical import add_person_sessions

    seat, waiting, cancelled = (make_session(capacity=1, title=t) for t in ("A", "B", "C"))
    services.registration_create(session=waiting, person=personas.ell)
    for session in (seat, waiting, cancelled):
        services.registration_create(session=session, person=personas.teacher)
    services.registration_cancel(session=cancelled, person=personas.teacher)
    calendar = Calendar()
    assert add_person_sessions(calendar, person=personas.teacher) == 1
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["A"]


def test_hours_page_and_csv(client, personas, make_session):
    session = make_session()
    services.registration_create(session=session, person=personas.teacher)
    services.attendance_mark(session=session, person=personas.teacher, by=None, attended=True)
    from shelfwise.lib.school_years import school_year_of

    year = school_year_of(timezone.localdate(session.starts_at))
    client = _as(client, personas, "librarian")
    page = client.get(reverse("learning:hours") + f"?year={year}").content.decode()
    assert "Tom Baker" in page
    csv = client.get(reverse("learning:hours") + f"?year={year}&format=csv").content.decode()
    assert "Tom Baker,teacher,1,1.50" in csv


def test_librarian_sees_the_feedback_summary_masked(client, personas, make_session):
    session = make_session()
    services.registration_create(session=session, person=personas.teacher)
    services.attendance_mark(session=session, person=personas.teacher, by=None, attended=True)
    services.feedback_submit(
        session=session, person=personas.teacher, clarity=5, relevance=5, intent_to_use=5
    )
    page = _as(client, personas, "librarian").get(reverse("learning:detail", args=[session.pk]))
    html = page.content.decode()
    assert "Feedback forms: &lt;5 from &lt;5 attendees." in html


def test_session_list_query_count_does_not_grow(
    client, personas, make_session, django_assert_max_num_queries
):
    client = _as(client, personas, "teacher")
    for n in range(3):
        make_session(title=f"S{n}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("learning:list"))
    for n in range(10):
        make_session(title=f"T{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("learning:list"))


def test_session_links_only_its_own_schools_guides(client, personas):
    from shelfwise.guides.services import guide_create

    ours = guide_create(school=personas.school, by=personas.librarian, title="Research guide")
    theirs = guide_create(school=personas.other_school, by=personas.outsider, title="Not ours")
    client = _as(client, personas, "librarian")
    response = client.post(reverse("learning:create"), _form(guides=[theirs.pk]))
    assert response.status_code == 400
    assert not Session.objects.exists()
    response = client.post(reverse("learning:create"), _form(guides=[ours.pk]))
    assert response.status_code == 302
    session = Session.objects.get()
    assert list(session.guides.all()) == [ours]
    page = client.get(reverse("learning:detail", args=[session.pk])).content.decode()
    assert reverse("guides:detail", args=[ours.pk]) in page


def test_malformed_ids_are_not_found_not_errors(client, personas, make_session):
    session = make_session()
    client = _as(client, personas, "librarian")
    url = reverse("learning:certificate", args=[session.pk]) + "?person=abc"
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("learning:roster_mark", args=[session.pk]), {"registration": "x", "attended": "1"}
    )
    assert response.status_code == 404
