"""Pages: every persona allowed and denied, and the forms a teacher and the librarian use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from shelfwise.instruction import scheduling
from shelfwise.instruction.models import Collaboration, PlanRevision, Space, Task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

STAFF_PAGES = ["list", "new", "calendar", "booking_new", "feeds", "notifications"]
LIBRARIAN_PAGES = ["overview", "standards", "standards_report", "spaces"]


def _client(client, person):
    client.force_login(person)
    return client


@pytest.mark.parametrize("page", STAFF_PAGES)
@pytest.mark.parametrize(
    "who,status",
    [
        ("librarian", 200),
        ("district_admin", 200),
        ("teacher", 200),
        ("ell", 200),
        ("aide", 403),
        ("student", 403),
    ],
)
def test_staff_pages(client, personas, roster, page, who, status):
    response = _client(client, getattr(personas, who)).get(reverse(f"instruction:{page}"))
    assert response.status_code == status


@pytest.mark.parametrize("page", LIBRARIAN_PAGES)
@pytest.mark.parametrize(
    "who,status",
    [
        ("librarian", 200),
        ("district_admin", 200),
        ("teacher", 403),
        ("ell", 403),
        ("aide", 403),
        ("student", 403),
    ],
)
def test_librarian_pages(client, personas, roster, page, who, status):
    response = _client(client, getattr(personas, who)).get(reverse(f"instruction:{page}"))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(reverse("instruction:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "who,status",
    [
        ("librarian", 200),
        ("teacher", 200),
        ("ell", 403),
        ("aide", 403),
        ("student", 403),
        ("outsider", 403),
    ],
)
def test_detail_object_permission(client, personas, collab, who, status):
    response = _client(client, getattr(personas, who)).get(
        reverse("instruction:detail", args=[collab.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    "url_name,data",
    [
        ("plan", {"body": "sneaky", "based_on": 0}),
        ("transition", {"to": "planning"}),
        ("task_add", {"title": "x"}),
        ("reflection", {"worked": "x"}),
        ("edit", {"title": "hijacked", "kind": "lesson"}),
    ],
)
def test_a_teacher_outside_the_collaboration_changes_nothing(
    client, personas, collab, url_name, data
):
    response = _client(client, personas.ell).post(
        reverse(f"instruction:{url_name}", args=[collab.pk]), data
    )
    assert response.status_code == 403
    collab.refresh_from_db()
    assert collab.title == "Ecosystems research" and collab.status == "requested"
    assert not PlanRevision.objects.exists() and not Task.objects.exists()


def test_the_list_shows_a_teacher_only_their_own(client, personas, collab):
    from shelfwise.instruction.services import collaboration_request

    collaboration_request(
        school=personas.school, by=personas.ell, title="ELL newcomers unit", kind="unit"
    )
    page = _client(client, personas.teacher).get(reverse("instruction:list")).content.decode()
    assert "Ecosystems research" in page and "ELL newcomers unit" not in page
    client.logout()
    page = _client(client, personas.librarian).get(reverse("instruction:list")).content.decode()
    assert "Ecosystems research" in page and "ELL newcomers unit" in page


def test_request_by_form_then_librarian_accepts_and_declines(client, personas, roster):
    c = _client(client, personas.teacher)
    response = c.post(
        reverse("instruction:new"),
        {
            "title": "Research project",
            "kind": "research",
            "classes": [roster["class"].pk],
            "grade": "07",
            "subject": "Science",
            "learning_goals": "Evaluate sources",
            "ml_supports": "Glossary",
        },
    )
    collab = Collaboration.objects.get(title="Research project")
    assert response.status_code == 302 and response["Location"].endswith(f"/{collab.pk}/")
    # The teacher cannot accept it…
    response = c.post(reverse("instruction:transition", args=[collab.pk]), {"to": "planning"})
    assert response.status_code == 400 and "Only the librarian" in response.content.decode()
    client.logout()
    c = _client(client, personas.librarian)
    # …declining without a reason is refused with the message, nothing changes…
    response = c.post(reverse("instruction:transition", args=[collab.pk]), {"to": "declined"})
    assert response.status_code == 400 and "reason" in response.content.decode()
    collab.refresh_from_db()
    assert collab.status == "requested"
    # …and the librarian accepts it.
    response = c.post(reverse("instruction:transition", args=[collab.pk]), {"to": "planning"})
    assert response.status_code == 302
    collab.refresh_from_db()
    assert collab.status == "planning"


def test_form_refuses_bad_dates_and_keeps_nothing(client, personas):
    response = _client(client, personas.teacher).post(
        reverse("instruction:new"),
        {"title": "X", "kind": "lesson", "starts_on": "2026-05-10", "ends_on": "2026-05-01"},
    )
    assert response.status_code == 200 and "before the start" in response.content.decode()
    assert not Collaboration.objects.exists()


def test_plan_save_and_history(client, personas, collab):
    c = _client(client, personas.teacher)
    c.post(reverse("instruction:plan", args=[collab.pk]), {"body": "v1", "based_on": 0})
    c.post(reverse("instruction:plan", args=[collab.pk]), {"body": "v2", "based_on": 1})
    stale = c.post(reverse("instruction:plan", args=[collab.pk]), {"body": "v3", "based_on": 1})
    assert stale.status_code == 400 and "while you were editing" in stale.content.decode()
    page = c.get(reverse("instruction:plan_history", args=[collab.pk])).content.decode()
    assert "v1" in page and "v2" in page and "v3" not in page


def test_librarian_overview_lists_waiting_requests_and_reach(client, personas, collab):
    page = _client(client, personas.librarian).get(reverse("instruction:overview")).content.decode()
    assert "Ecosystems research" in page
    assert "1 request waiting" in page
    assert "Tom Baker" in page and "Science" in page


def test_home_page_shows_unread_notifications_to_staff(client, personas, collab):
    page = _client(client, personas.librarian).get(reverse("home")).content.decode()
    assert "New collaboration request: Ecosystems research" in page
    # Opening the collaboration marks its notifications read.
    client.get(reverse("instruction:detail", args=[collab.pk]))
    page = client.get(reverse("home")).content.decode()
    assert "New collaboration request: Ecosystems research" not in page


def test_booking_through_the_form_shows_the_conflict(client, personas, roster, collab):
    space = Space.objects.create(
        school=personas.school, name="Instruction area", kind="instruction"
    )
    day = date.today() + timedelta(days=14)
    while day.weekday() != 1:
        day += timedelta(days=1)
    period = roster["periods"][2]
    scheduling.booking_create(
        space=space, by=personas.librarian, title="Grade 6 orientation", day=day, period=period
    )
    response = _client(client, personas.teacher).post(
        reverse("instruction:booking_new"),
        {
            "space": space.pk,
            "title": "Ecosystems",
            "day": day.isoformat(),
            "period": period.pk,
            "weeks": 3,
            "collaboration": collab.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "already booked" in page and "Grade 6 orientation" in page
    assert space.bookings.count() == 1


@pytest.mark.parametrize("who,status", [("teacher", 302), ("ell", 403), ("student", 403)])
def test_booking_cancel_permission(client, personas, roster, who, status):
    space = Space.objects.create(school=personas.school, name="Lab", kind="computer_lab")
    day = date.today() + timedelta(days=10)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    booking = scheduling.booking_create(
        space=space, by=personas.teacher, title="Typing", day=day, period=roster["periods"][0]
    )[0]
    response = _client(client, getattr(personas, who)).post(
        reverse("instruction:booking_cancel", args=[booking.pk])
    )
    assert response.status_code == status
    assert space.bookings.exists() is (status != 302)


@pytest.mark.parametrize(
    "query", ["?view=day", "?view=day&date=2026-03-03", "?date=nonsense", "?space=x"]
)
def test_calendar_views(client, personas, roster, query):
    space = Space.objects.create(school=personas.school, name="Lab", kind="computer_lab")
    response = _client(client, personas.librarian).get(reverse("instruction:calendar") + query)
    assert response.status_code == 200
    assert space.name in response.content.decode()


def test_booking_detail_page(client, personas, roster):
    space = Space.objects.create(school=personas.school, name="Lab", kind="computer_lab")
    day = date.today() + timedelta(days=10)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    booking = scheduling.booking_create(
        space=space,
        by=personas.teacher,
        title="Typing",
        day=day,
        period=roster["periods"][0],
        weeks=2,
    )[0]
    page = _client(client, personas.teacher).get(reverse("instruction:booking", args=[booking.pk]))
    assert (
        page.status_code == 200
        and "Cancel this and the rest of the series" in page.content.decode()
    )
    client.force_login(personas.outsider)
    assert client.get(reverse("instruction:booking", args=[booking.pk])).status_code == 403


def test_list_and_calendar_queries_do_not_grow_with_rows(
    client, personas, roster, django_assert_max_num_queries
):
    from shelfwise.instruction.services import collaboration_request

    space = Space.objects.create(school=personas.school, name="Lab", kind="computer_lab")
    day = date.today() + timedelta(days=7)
    while day.weekday() != 0:
        day += timedelta(days=1)
    for n in range(12):
        collab = collaboration_request(
            school=personas.school,
            by=personas.teacher,
            title=f"Unit {n}",
            kind="unit",
            classes=[roster["class"]],
            co_teachers=[personas.ell],
        )
        scheduling.booking_create(
            space=space,
            by=personas.teacher,
            title=f"Visit {n}",
            day=day + timedelta(days=n % 5),
            period=roster["periods"][n % 4],
            collaboration=collab,
        )
    c = _client(client, personas.librarian)
    with django_assert_max_num_queries(14):
        assert c.get(reverse("instruction:list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(reverse("instruction:calendar") + f"?date={day}").status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(reverse("instruction:overview")).status_code == 200


def test_detail_links_to_resource_guides(client, personas, collab):
    page = _client(client, personas.teacher).get(reverse("instruction:detail", args=[collab.pk]))
    html = page.content.decode()
    assert f"{reverse('guides:create')}?collaboration={collab.pk}" in html


def test_standards_upload_reports_rows_and_refuses_other_files(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shelfwise.instruction.models import Standard

    csv_text = (
        "framework,code,description,parent\n"
        "NGSS,MS-LS2,Ecosystems,\n"
        "NGSS,MS-LS2-1,Analyze data on resources and populations,MS-LS2\n"
        "NGSS,,no code,\n"
    )
    c = _client(client, personas.librarian)
    page = c.post(
        reverse("instruction:standards"),
        {"file": SimpleUploadedFile("ngss.csv", csv_text.encode())},
    ).content.decode()
    assert "Created 2, updated 0, rejected 1." in page and "empty code" in page
    before = Standard.objects.count()
    page = c.post(
        reverse("instruction:standards"),
        {"file": SimpleUploadedFile("users.csv", b"sourcedId,givenName\n1,Ana\n")},
    ).content.decode()
    assert "missing column" in page and "Nothing was changed" in page
    assert Standard.objects.count() == before
    client.force_login(personas.teacher)
    response = client.post(
        reverse("instruction:standards"),
        {"file": SimpleUploadedFile("ngss.csv", b"framework,code,description\nX,Y,Z\n")},
    )
    assert response.status_code == 403
    assert not Standard.objects.filter(framework__code="X").exists()


def test_edit_keeps_classes_offered_and_saves(client, personas, roster, collab):
    from shelfwise.people.models import SchoolClass

    other = SchoolClass.objects.create(sourced_id="c-art", school=personas.school, title="Art 7")
    collab.classes.add(other)  # not one of the teacher's own classes
    c = _client(client, personas.teacher)
    page = c.get(reverse("instruction:edit", args=[collab.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Science 7 (period 3)" in html and "Art 7" in html
    response = c.post(
        reverse("instruction:edit", args=[collab.pk]),
        {
            "title": "Ecosystems research v2",
            "kind": "research",
            "classes": [roster["class"].pk, other.pk],
        },
    )
    assert response.status_code == 302
    collab.refresh_from_db()
    assert collab.title == "Ecosystems research v2" and collab.classes.count() == 2
