"""A third-party SIP2 client (PyPI `sip2` 1.1) drives the running server over a real socket
through a kiosk session; the desk and the student's My library page then agree with it."""

from __future__ import annotations

import pytest
from django.test import Client
from Sip2.sip2 import Sip2

from shelfwise.circulation.models import Loan
from tests.sip2.conftest import KIOSK_LOGIN, KIOSK_PASSWORD

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def kiosk_client(sip2_server, kiosk, tmp_path):
    sip = Sip2()
    sip.hostName = "127.0.0.1"
    sip.hostPort = sip2_server.port
    sip.tlsEnable = False
    sip.logfile_path = str(tmp_path)  # it logs to a file of its own
    sip.socketTimeout = 10
    sip.institutionId = "LMS"
    sip.scLocation = "LIBRARY-FRONT"
    assert sip.connect()
    yield sip
    sip.disconnect()


def _desk_shows(django_client, personas) -> str:
    django_client.force_login(personas.librarian)
    django_client.post("/circulation/desk/scan/", {"code": "P0001"})
    return django_client.get("/circulation/desk/").content.decode()


def _student_page(django_client, personas) -> str:
    django_client.force_login(personas.student)
    return django_client.get("/circulation/account/").content.decode()


def test_a_kiosk_session_from_a_third_party_client(kiosk_client, personas, shelf):
    sip = kiosk_client
    client = Client()  # Django's: the desk and the student's page
    login = sip.sip_login_response(
        sip.get_response(sip.sip_login_request(KIOSK_LOGIN, KIOSK_PASSWORD))
    )
    assert login["fixed"]["Ok"] == "1"
    status = sip.sip_sc_status_response(sip.get_response(sip.sip_sc_status_request()))
    assert status["fixed"]["OnlineStatus"] == "Y"
    assert status["variable"]["AO"] == ["LMS"]

    sip.patron = "P0001"
    patron = sip.sip_patron_status_response(sip.get_response(sip.sip_patron_status_request()))
    assert patron["variable"]["AE"] == ["Sami Haddad"]
    assert patron["variable"]["BL"] == ["Y"]

    out = sip.sip_checkout_response(sip.get_response(sip.sip_checkout_request("T0001")))
    assert out["fixed"]["Ok"] == "1"
    assert out["variable"]["AJ"] == ["Los volcanes"]
    loan = Loan.objects.get(item__barcode="T0001", returned_at=None)
    assert loan.patron == personas.student
    assert out["variable"]["AH"] == [loan.due_on.strftime("%Y%m%d") + "    235959"]

    info = sip.sip_item_information_response(
        sip.get_response(sip.sip_item_information_request("T0001"))
    )
    assert info["fixed"]["CirculationStatus"] == "04"

    renewed = sip.sip_renew_response(sip.get_response(sip.sip_renew_request("T0001")))
    assert renewed["fixed"]["Ok"] == "1" and renewed["fixed"]["RenewalOk"] == "Y"
    loan.refresh_from_db()
    assert loan.renewals == 1

    # The desk and the student's own page show the loan the kiosk made.
    assert "Los volcanes" in _desk_shows(client, personas)
    assert "Los volcanes" in _student_page(client, personas)

    back = sip.sip_checkin_response(sip.get_response(sip.sip_checkin_request("T0001")))
    assert back["fixed"]["Ok"] == "1"
    end = sip.sip_end_patron_session_response(
        sip.get_response(sip.sip_end_patron_session_request())
    )
    assert end["fixed"]["EndSession"] == "Y"

    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.patron is None  # retention 0: link cut
    assert "Los volcanes" not in _desk_shows(client, personas)
    assert "You have no books checked out." in _student_page(client, personas)
