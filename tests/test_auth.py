"""Signing in and out, the lockout after repeated failures, and the language switch."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shelfwise.audit.models import AuditEntry
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def login(client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_anonymous_home_leads_to_the_catalog_search(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("search:opac")


def test_login_page_has_labelled_fields_and_no_autofocus(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html
    # Keyboard users start at the skip link, not inside the form.
    assert "autofocus" not in html
    assert 'href="#main"' in html


def test_login_with_right_password_goes_home(client, personas):
    response = login(client, "librarian", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert home.wsgi_request.user == personas.librarian


def test_login_follows_next(client, personas):
    response = client.post(
        reverse("login"), {"username": "teacher", "password": PASSWORD, "next": "/?from=next"}
    )
    assert response["Location"] == "/?from=next"


def test_wrong_password_shows_an_inline_error(client, personas):
    response = login(client, "librarian", "not the password")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "correct username and password" in html
    assert "_auth_user_id" not in client.session


def test_inactive_person_cannot_sign_in(client, personas):
    personas.teacher.is_active = False
    personas.teacher.save()
    response = login(client, "teacher", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, personas):
    client.force_login(personas.teacher)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_header_has_a_logout_form(client, personas):
    client.force_login(personas.teacher)
    html = client.get("/").content.decode()
    assert f'<form class="inline-form" method="post" action="{reverse("logout")}">' in html


# --- Lockout ---------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, personas, caplog):
    caplog.set_level(logging.WARNING, logger="axes")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for attempt in range(1, limit):
        response = login(client, "student", f"guess {attempt}")
        assert response.status_code == 200, attempt
    # The fifth failure reaches the limit: axes answers with the lockout page.
    response = login(client, "student", "guess 5")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]

    response = login(client, "student", PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Sign-in paused" in html
    assert "15 minutes" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302

    # The failures are recorded (axes' table and log) and the lockout audited.
    # Attempts during the lockout count too (and restart the cool-off).
    attempt = AccessAttempt.objects.get(username="student")
    assert attempt.failures_since_start == limit + 1
    assert "correct horse" not in attempt.post_data  # passwords are never stored
    axes_log = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert sum("login failure by" in message for message in axes_log) == limit + 1
    assert any("Locking out" in message for message in axes_log)
    entry = AuditEntry.objects.filter(action="auth.locked_out").first()
    assert entry is not None
    assert entry.object_id == str(personas.student.pk)
    assert entry.detail["username"] == "student"


def test_lockout_is_per_username_and_address(client, personas):
    for attempt in range(5):
        login(client, "student", f"guess {attempt}")
    assert login(client, "student", PASSWORD).status_code == 429
    # Another account on the same computer still signs in…
    assert login(client, "teacher", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    # …and so does the same account from another address.
    response = login(client, "student", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def test_lockout_ends_after_the_cooloff(client, personas):
    for attempt in range(5):
        login(client, "aide", f"guess {attempt}")
    assert login(client, "aide", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(client, "aide", PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, personas):
    for attempt in range(4):
        login(client, "teacher", f"guess {attempt}")
    assert login(client, "teacher", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for attempt in range(4):
        assert login(client, "teacher", f"again {attempt}").status_code == 200


# --- Language ----------------------------------------------------------------


def set_language(client, code: str, next_url: str = "/login/"):
    return client.post(reverse("set_language"), {"language": code, "next": next_url})


def test_language_switch_sets_a_cookie_and_translates_the_page(client):
    response = set_language(client, "es")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE

    html = client.get("/login/").content.decode()
    assert '<html lang="es" dir="ltr">' in html
    assert "Iniciar sesión" in html
    assert "Saltar al contenido principal" in html


def test_arabic_is_right_to_left(client, personas):
    set_language(client, "ar")
    html = client.get("/login/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html

    client.force_login(personas.librarian)
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "أمين المكتبة" in html  # the role in the header


def test_language_switcher_is_a_labelled_form_on_every_page(client, personas):
    for page in ("/login/",):
        html = client.get(page).content.decode()
        assert f'action="{reverse("set_language")}"' in html
        assert '<label for="language-switcher">' in html
        assert 'name="language"' in html
    client.force_login(personas.student)
    html = client.get("/").content.decode()
    assert '<label for="language-switcher">' in html
    assert '<option value="ar" lang="ar">العربية</option>' in html


def test_unknown_language_is_ignored(client):
    response = set_language(client, "xx")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en" dir="ltr">' in client.get("/login/").content.decode()


def test_locked_out_page_is_translated(client, personas):
    set_language(client, "es")
    for attempt in range(5):
        login(client, "student", f"guess {attempt}")
    html = login(client, "student", PASSWORD).content.decode()
    assert '<html lang="es"' in html
    assert "15 minutos" in html
