"""Collection pages: who may open what (the role table), CSV, charts, and the forms."""

from __future__ import annotations

import pytest

from shelfwise.collection.models import Order, PurchaseRequest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

REPORTS = ["/collection/profile/", "/collection/use/"]
EQUITY = ["/collection/languages/", "/collection/reading-levels/", "/collection/suggestions/"]
LIBRARIAN_ONLY = [
    "/collection/weeding/",
    "/collection/weeding/500/",
    "/collection/requests/manage/",
    "/collection/orders/",
]

ALLOWED = {
    "librarian": {*REPORTS, *EQUITY, *LIBRARIAN_ONLY, "/collection/requests/", "/collection/"},
    "district_admin": {
        *REPORTS,
        *EQUITY,
        *LIBRARIAN_ONLY,
        "/collection/requests/",
        "/collection/",
        "/collection/district/",
    },
    "ell": {*REPORTS, *EQUITY, "/collection/requests/", "/collection/"},
    "teacher": {"/collection/requests/", "/collection/"},
    "student": {"/collection/requests/", "/collection/"},
    "aide": set(),
    "outsider": set(),  # a librarian of OAK: not of LMS, the school these pages are in
}
ALL_PAGES = {
    *REPORTS,
    *EQUITY,
    *LIBRARIAN_ONLY,
    "/collection/requests/",
    "/collection/",
    "/collection/district/",
}


@pytest.mark.parametrize("who", list(ALLOWED))
def test_role_table(client, fx, who):
    person = getattr(fx.personas, who)
    client.force_login(person)
    for path in sorted(ALL_PAGES):
        status = client.get(path).status_code
        if who == "outsider":
            # The outsider works in OAK: LMS's numbers never show; their own school's do.
            continue
        expected = 200 if path in ALLOWED[who] else 403
        assert status == expected, (who, path, status)


def test_outsider_sees_only_their_school(client, fx):
    client.force_login(fx.personas.outsider)
    body = client.get("/collection/languages/").content.decode()
    # OAK has no students: no LMS language counts leak.
    assert "Spanish" not in body and "Arabic" not in body
    assert client.get("/collection/languages/?scope=district").status_code == 403


def test_language_report_shows_counts_never_names_and_is_audited(client, fx):
    from shelfwise.audit.models import AuditEntry

    client.force_login(fx.personas.ell)
    response = client.get("/collection/languages/")
    body = response.content.decode()
    assert "Arabic" in body and "Spanish" in body
    for name in ("Sami", "Haddad", "Lucía", "Mateo", "omar"):
        assert name not in body.split("</header>", 1)[1]
    assert '<img src="data:image/svg+xml;base64,' in body
    assert AuditEntry.objects.filter(action="collection.view_languages").count() == 1
    # The ELL specialist sees the report but may not set the target.
    assert (
        client.post(
            "/collection/languages/", {"mode": "parity", "titles_per_speaker": "1"}
        ).status_code
        == 403
    )


def test_csv_has_the_table_numbers(client, fx):
    client.force_login(fx.personas.librarian)
    response = client.get("/collection/languages/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Language,Code,Students,English learners,Titles,Copies")
    spa = next(line for line in lines if ",spa," in line)
    assert spa.split(",")[1:6] == ["spa", "3", "2", "3", "3"]
    profile = b"".join(
        client.get("/collection/profile/?format=csv&table=divisions").streaming_content
    )
    assert "550,1,2" in profile.decode("utf-8-sig")


def test_target_form_and_district_scope(client, fx):
    client.force_login(fx.personas.librarian)
    response = client.post(
        "/collection/languages/", {"mode": "per_speaker", "titles_per_speaker": "1"}
    )
    assert response.status_code == 302
    assert client.get("/collection/languages/?scope=district").status_code == 403
    client.force_login(fx.personas.district_admin)
    body = client.get("/collection/profile/?scope=district").content.decode()
    assert "whole district" in body
    assert "Oak Elementary" in client.get("/collection/district/").content.decode()


def test_use_period_and_bad_period(client, fx):
    client.force_login(fx.personas.librarian)
    assert client.get("/collection/use/?start=2025-01-01&end=2025-01-31").status_code == 200
    response = client.get("/collection/use/?start=2025-02-01&end=2025-01-01")
    assert response.status_code == 200 and "must start before it ends" in response.content.decode()
    assert client.get("/collection/use/?start=not-a-date").status_code == 200


def test_weeding_pages(client, fx):
    client.force_login(fx.personas.librarian)
    body = client.get("/collection/weeding/500/").content.decode()
    assert "Volcanoes" in body and "Last copy in a language below target" in body
    response = client.post(
        "/collection/weeding/500/", {"item": fx.items["C"].pk, "decision": "withdraw"}
    )
    assert response.status_code == 302
    fx.items["C"].refresh_from_db()
    assert fx.items["C"].status == "available"  # not confirmed: refused
    client.post(
        "/collection/weeding/500/",
        {"item": fx.items["C"].pk, "decision": "withdraw", "confirm_last_copy": "on"},
    )
    fx.items["C"].refresh_from_db()
    assert fx.items["C"].status == "withdrawn"
    log = b"".join(client.get("/collection/weeding/decisions.csv").streaming_content).decode()
    assert "Plantas" in log
    assert client.get("/collection/weeding/nonsense/").status_code == 404
    # Another school's copy cannot be decided from here.
    response = client.post(
        "/collection/weeding/500/", {"item": fx.items["O1"].pk, "decision": "keep"}
    )
    assert response.status_code == 404


def test_request_order_receive_through_the_pages(client, fx):
    client.force_login(fx.personas.student)
    response = client.post(
        "/collection/requests/",
        {
            "title": "Kalila wa Dimna",
            "isbn": "0-306-40615-2",
            "language": "Arabic",
            "copies": 1,
            "gap": "language",
            "gap_value": "ara",
        },
    )
    assert response.status_code == 302
    bad = client.post("/collection/requests/", {"title": "X", "isbn": "123", "copies": 1})
    assert "not a valid ISBN" in bad.content.decode()
    request = PurchaseRequest.objects.get()
    assert "Kalila wa Dimna" in client.get("/collection/requests/").content.decode()
    client.force_login(fx.personas.librarian)
    client.post(
        "/collection/orders/",
        {"form": "budget", "budget-year": 2026, "budget-name": "ELL", "budget-amount": "30"},
    )
    from shelfwise.collection.models import BudgetLine

    budget = BudgetLine.objects.get()
    response = client.post(
        "/collection/orders/",
        {"form": "order", "order-vendor": "Lectorum", "order-budget_line": budget.pk},
    )
    order = Order.objects.get()
    assert response.url == f"/collection/orders/{order.pk}/"
    client.post(
        f"/collection/orders/{order.pk}/",
        {
            "form": "line",
            "line-request": request.pk,
            "line-quantity": 1,
            "line-unit_price": "12.50",
        },
    )
    client.post(f"/collection/orders/{order.pk}/", {"form": "place"})
    order.refresh_from_db()
    assert order.status == "placed"
    line = order.lines.get()
    client.post(
        f"/collection/orders/{order.pk}/",
        {"form": "receive", "line": line.pk, "barcodes": "NEW1\n"},
    )
    request.refresh_from_db()
    assert request.status == "received"
    client.force_login(fx.personas.student)
    assert "Received: on the shelf" in client.get("/collection/requests/").content.decode()
