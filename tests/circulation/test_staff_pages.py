"""The librarian's circulation pages: a copy's status (lost, claimed returned,
damaged, withdrawn, found), a hold placed for a reader, and the hold shelf.
Who may use them, what they change, and what they refuse.
"""

from __future__ import annotations

import pytest

from shelfwise.audit.models import AuditEntry
from shelfwise.catalog.models import Item, ItemStatus
from shelfwise.circulation.models import Hold, Loan
from shelfwise.circulation.services import hold_place, loan_checkout
from tests.conftest import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
EVERYONE = ["librarian", "district_admin", "teacher", "ell", "aide", "student", "outsider"]
ALLOWED = {"librarian", "district_admin"}


def status_url(item) -> str:
    return f"/circulation/items/{item.pk}/status/"


def hold_url(record) -> str:
    return f"/circulation/records/{record.pk}/hold/"


# ---- Who may open them ------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("page", ["status", "hold", "holds"])
def test_only_librarians_of_the_school_reach_the_pages(client, personas, shelf, who, page):
    records, items = shelf
    url = {
        "status": status_url(items[0]),
        "hold": hold_url(records[0]),
        "holds": "/circulation/holds/",
    }[page]
    client.force_login(getattr(personas, who))
    response = client.get(url)
    # Records are shared by the district: another school's librarian may hold a
    # title for their own readers and see their own hold shelf, not touch our copies.
    allowed = ALLOWED | ({"outsider"} if page != "status" else set())
    assert response.status_code == (200 if who in allowed else 403)


def test_anonymous_is_sent_to_log_in(client, shelf):
    _, items = shelf
    response = client.get(status_url(items[0]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["teacher", "aide", "student", "outsider"])
def test_a_post_without_the_permission_changes_nothing(client, personas, shelf, who):
    records, items = shelf
    client.force_login(getattr(personas, who))
    client.post(status_url(items[0]), {"status": ItemStatus.LOST})
    client.post(hold_url(records[0]), {"card": "P0001"})
    items[0].refresh_from_db()
    assert items[0].status == ItemStatus.AVAILABLE
    assert not Hold.objects.exists()


def test_the_record_page_links_the_actions_for_a_librarian_only(client, personas, shelf):
    records, items = shelf
    client.force_login(personas.librarian)
    page = client.get(f"/catalog/records/{records[0].pk}/").content.decode()
    assert status_url(items[0]) in page and hold_url(records[0]) in page
    client.force_login(personas.teacher)
    page = client.get(f"/catalog/records/{records[0].pk}/").content.decode()
    assert status_url(items[0]) not in page and hold_url(records[0]) not in page


# ---- Marking a copy -----------------------------------------------------------------


def test_marking_a_checked_out_copy_lost_closes_the_loan(client, personas, shelf):
    records, items = shelf
    loan = loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    client.force_login(personas.librarian)
    page = client.get(status_url(items[0])).content.decode()
    assert "Sami Haddad" in page  # the librarian sees who has it before marking it
    response = client.post(status_url(items[0]), {"status": ItemStatus.LOST})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/catalog/records/{records[0].pk}/#item-{items[0].pk}")
    items[0].refresh_from_db()
    loan.refresh_from_db()
    assert items[0].status == ItemStatus.LOST
    assert loan.returned_at is not None and loan.outcome == Loan.Outcome.LOST
    assert AuditEntry.objects.filter(action="circulation.mark", actor=personas.librarian).exists()
    assert AuditEntry.objects.filter(action="circulation.view_loan").exists()


def test_claims_returned_closes_the_loan_too(client, personas, shelf):
    _, items = shelf
    loan = loan_checkout(item=items[2], patron=personas.student, by=personas.librarian)
    client.force_login(personas.librarian)
    client.post(status_url(items[2]), {"status": ItemStatus.CLAIMED_RETURNED})
    loan.refresh_from_db()
    assert loan.outcome == Loan.Outcome.CLAIMED_RETURNED
    items[2].refresh_from_db()
    assert items[2].status == ItemStatus.CLAIMED_RETURNED


def test_withdrawing_a_checked_out_copy_is_refused_and_changes_nothing(client, personas, shelf):
    _, items = shelf
    loan = loan_checkout(item=items[0], patron=personas.student, by=personas.librarian)
    client.force_login(personas.librarian)
    response = client.post(status_url(items[0]), {"status": ItemStatus.WITHDRAWN})
    assert response.status_code == 200
    assert "Check this copy in first." in response.content.decode()
    items[0].refresh_from_db()
    loan.refresh_from_db()
    assert items[0].status == ItemStatus.CHECKED_OUT and loan.returned_at is None


@pytest.mark.parametrize("status", [ItemStatus.CHECKED_OUT, ItemStatus.ON_HOLD_SHELF, "nonsense"])
def test_circulation_statuses_cannot_be_set_by_hand(client, personas, shelf, status):
    _, items = shelf
    client.force_login(personas.librarian)
    response = client.post(status_url(items[0]), {"status": status})
    assert response.status_code == 200  # the form comes back with its error
    items[0].refresh_from_db()
    assert items[0].status == ItemStatus.AVAILABLE


def test_a_found_copy_goes_back_on_the_shelf(client, personas, shelf):
    _, items = shelf
    Item.objects.filter(pk=items[1].pk).update(status=ItemStatus.MISSING)
    client.force_login(personas.librarian)
    client.post(status_url(items[1]), {"status": ItemStatus.AVAILABLE})
    items[1].refresh_from_db()
    assert items[1].status == ItemStatus.AVAILABLE


def test_a_librarian_cannot_mark_another_schools_copy(client, personas, shelf):
    _, items = shelf
    client.force_login(personas.outsider)
    assert client.get(status_url(items[0])).status_code == 403
    client.post(status_url(items[0]), {"status": ItemStatus.WITHDRAWN})
    items[0].refresh_from_db()
    assert items[0].status == ItemStatus.AVAILABLE


# ---- Holds for a reader ----------------------------------------------------------------


def test_a_hold_with_a_copy_on_the_shelf_is_ready_at_once(client, personas, shelf):
    records, items = shelf
    client.force_login(personas.librarian)
    response = client.post(hold_url(records[1]), {"card": "P0001"}, follow=True)
    hold = Hold.objects.get(patron=personas.student)
    assert hold.status == Hold.Status.READY and hold.item == items[2]
    assert "T0003" in response.content.decode()  # which copy to pull


def test_a_hold_on_a_title_out_joins_the_queue(client, personas, shelf):
    records, items = shelf
    loan_checkout(item=items[3], patron=personas.aide, by=personas.librarian)
    client.force_login(personas.librarian)
    client.post(hold_url(records[2]), {"card": "P0001"})
    assert Hold.objects.get(patron=personas.student).status == Hold.Status.WAITING


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ("", "This field is required."),
        ("P9999", "No reader of this school has the card P9999."),
    ],
)
def test_an_unknown_card_is_refused_clearly(client, personas, shelf, card, message):
    records, _ = shelf
    client.force_login(personas.librarian)
    response = client.post(hold_url(records[0]), {"card": card})
    assert message in response.content.decode()
    assert not Hold.objects.exists()


def test_another_schools_librarian_cannot_hold_for_our_readers(client, personas, shelf):
    records, _ = shelf
    client.force_login(personas.outsider)
    response = client.post(hold_url(records[0]), {"card": "P0001"})
    assert "No reader of this school has the card P0001." in response.content.decode()
    assert not Hold.objects.exists()


def test_a_reader_of_another_school_is_not_found(client, personas, shelf):
    records, _ = shelf
    make_person("oakkid", personas.other_school, "student", patron_barcode="P0777")
    client.force_login(personas.librarian)
    response = client.post(hold_url(records[0]), {"card": "P0777"})
    assert "No reader of this school has the card P0777." in response.content.decode()
    assert not Hold.objects.exists()


def test_a_second_hold_on_the_same_title_is_refused(client, personas, shelf):
    records, items = shelf
    loan_checkout(item=items[3], patron=personas.aide, by=personas.librarian)
    client.force_login(personas.librarian)
    client.post(hold_url(records[2]), {"card": "P0001"})
    response = client.post(hold_url(records[2]), {"card": "P0001"})
    assert "There is already a hold on this title for this reader." in response.content.decode()
    assert Hold.objects.count() == 1


# ---- The hold shelf -------------------------------------------------------------------


def test_the_holds_page_lists_the_shelf_and_the_queue_in_order(client, personas, shelf):
    records, items = shelf
    lib = personas.librarian
    loan_checkout(item=items[3], patron=personas.aide, by=lib)
    hold_place(record=records[1], patron=personas.student, school=personas.school, by=lib)
    hold_place(record=records[2], patron=personas.student, school=personas.school, by=lib)
    hold_place(record=records[2], patron=personas.teacher, school=personas.school, by=lib)
    client.force_login(lib)
    page = client.get("/circulation/holds/").content.decode()
    assert "T0003" in page  # Hatchet's copy is on the hold shelf for Sami
    assert page.index("Sami Haddad", page.index("queue-caption")) < page.index("Tom Baker")
    assert AuditEntry.objects.filter(action="circulation.view_holds", actor=lib).exists()


def test_cancelling_a_ready_hold_frees_its_copy(client, personas, shelf):
    records, items = shelf
    hold = hold_place(
        record=records[1], patron=personas.student, school=personas.school, by=personas.librarian
    )
    client.force_login(personas.librarian)
    response = client.post(f"/circulation/holds/{hold.pk}/cancel/")
    assert response.status_code == 302
    hold.refresh_from_db()
    items[2].refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED and items[2].status == ItemStatus.AVAILABLE


def test_cancelling_needs_post_and_the_permission_and_the_school(client, personas, shelf):
    records, _ = shelf
    hold = hold_place(
        record=records[1], patron=personas.student, school=personas.school, by=personas.librarian
    )
    client.force_login(personas.librarian)
    assert client.get(f"/circulation/holds/{hold.pk}/cancel/").status_code == 405
    client.force_login(personas.teacher)
    assert client.post(f"/circulation/holds/{hold.pk}/cancel/").status_code == 403
    client.force_login(personas.outsider)
    assert client.post(f"/circulation/holds/{hold.pk}/cancel/").status_code in (403, 404)
    hold.refresh_from_db()
    assert hold.status == Hold.Status.READY


def test_another_schools_hold_shelf_shows_none_of_ours(client, personas, shelf):
    records, _ = shelf
    hold_place(
        record=records[1], patron=personas.student, school=personas.school, by=personas.librarian
    )
    client.force_login(personas.outsider)
    page = client.get("/circulation/holds/").content.decode()
    assert "Sami Haddad" not in page and "Nothing is on the hold shelf." in page
