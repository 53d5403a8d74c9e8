"""Writes for self-check: kiosk accounts, the school's kiosk policy, patron PINs.

Each write is one transaction with its audit entry. Secrets (kiosk passwords,
PINs) are hashed here and never written to the audit log or any other log.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from shelfwise.audit.services import audit_log
from shelfwise.people.models import Person
from shelfwise.sip2.models import KioskAccount, PatronAuth, PatronPin, Sip2Settings

MIN_KIOSK_PASSWORD = 12
# Decision: 4 to 8 digits, what a kiosk's keypad takes; Argon2 behind it, and
# the server closes a connection after a few wrong PINs.
PIN_RE = re.compile(r"\d{4,8}", re.ASCII)


def _check_kiosk_password(password: str) -> None:
    if len(password) < MIN_KIOSK_PASSWORD:
        raise ValidationError(
            {
                "password": _("A kiosk password needs at least %(n)s characters.")
                % {"n": MIN_KIOSK_PASSWORD}
            }
        )
    if "|" in password or any(ord(ch) < 32 for ch in password):
        raise ValidationError(
            {"password": _("A kiosk password cannot contain | or control characters.")}
        )


def kiosk_create(
    *,
    school,
    login_id: str,
    password: str,
    location_code: str,
    by: Any,
    language: str = "en",
    max_connections: int = 2,
) -> KioskAccount:
    _check_kiosk_password(password)
    kiosk = KioskAccount(
        school=school,
        login_id=login_id,
        location_code=location_code,
        language=language,
        max_connections=max_connections,
    )
    kiosk.set_password(password)
    kiosk.full_clean()
    with transaction.atomic():
        # The kiosk's own name in the audit log: an account nobody can sign in
        # with (no usable password, inactive, member of no school).
        actor = Person(
            username=f"kiosk-{get_random_string(12).lower()}",
            first_name=_("Kiosk"),
            last_name=login_id,
            is_active=False,
        )
        actor.set_unusable_password()
        actor.save()
        kiosk.actor = actor
        kiosk.save()
        audit_log(actor=by, action="sip2.kiosk_create", obj=kiosk, school=school)
    return kiosk


def kiosk_update(*, kiosk: KioskAccount, by: Any, **changes: Any) -> KioskAccount:
    allowed = {"location_code", "language", "max_connections", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {unknown}")
    for name, value in changes.items():
        setattr(kiosk, name, value)
    kiosk.full_clean()
    with transaction.atomic():
        kiosk.save()
        audit_log(
            actor=by,
            action="sip2.kiosk_update",
            obj=kiosk,
            school=kiosk.school,
            fields=sorted(changes),
        )
    return kiosk


def kiosk_set_password(*, kiosk: KioskAccount, password: str, by: Any) -> KioskAccount:
    _check_kiosk_password(password)
    kiosk.set_password(password)
    with transaction.atomic():
        kiosk.save(update_fields=["password"])
        audit_log(actor=by, action="sip2.kiosk_password", obj=kiosk, school=kiosk.school)
    return kiosk


def kiosk_delete(*, kiosk: KioskAccount, by: Any) -> None:
    with transaction.atomic():
        audit_log(
            actor=by,
            action="sip2.kiosk_delete",
            obj=kiosk,
            school=kiosk.school,
            login_id=kiosk.login_id,
        )
        kiosk.delete()


def kiosk_authenticate(*, login_id: str, password: str) -> KioskAccount | None:
    """The active kiosk with this login and password, or None (same cost either way)."""
    kiosk = (
        KioskAccount.objects.select_related("school", "actor")
        .filter(login_id=login_id, active=True)
        .first()
    )
    if kiosk is None:
        make_password(password)  # as slow as a real check: no timing tells ids apart
        return None
    if not kiosk.check_password(password):
        return None
    KioskAccount.objects.filter(pk=kiosk.pk).update(last_login_at=timezone.now())
    return kiosk


def sip2_settings_set(*, school, patron_auth: str, by: Any) -> Sip2Settings:
    if patron_auth not in PatronAuth.values:
        raise ValidationError({"patron_auth": _("Choose one of the listed options.")})
    with transaction.atomic():
        found, _created = Sip2Settings.objects.update_or_create(
            school=school, defaults={"patron_auth": patron_auth}
        )
        audit_log(
            actor=by, action="sip2.settings", obj=found, school=school, patron_auth=patron_auth
        )
    return found


def patron_pin_set(*, person: Person, pin: str, by: Any, school=None) -> PatronPin:
    if not PIN_RE.fullmatch(pin or ""):
        raise ValidationError({"pin": _("A PIN is 4 to 8 digits.")})
    with transaction.atomic():
        found, _created = PatronPin.objects.update_or_create(
            person=person,
            defaults={"pin_hash": make_password(pin), "set_at": timezone.now(), "set_by": by},
        )
        audit_log(actor=by, action="sip2.pin_set", obj=person, school=school)
    return found


def patron_pin_check(*, person: Person, pin: str) -> bool:
    found = PatronPin.objects.filter(person=person).values_list("pin_hash", flat=True).first()
    if found is None:
        make_password(pin or "")  # the same cost whether a PIN is set or not
        return False
    return check_password(pin or "", found)
