"""Security events written to the audit log: a lockout is something a librarian should see."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from shelfwise.audit.services import audit_log


@receiver(user_locked_out, dispatch_uid="shelfwise_audit_lockout")
def audit_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    from shelfwise.people.models import Person

    person = Person.objects.filter(username=username).first() if username else None
    audit_log(
        actor=None,
        action="auth.locked_out",
        obj=person,
        username=username or "",
        ip_address=ip_address or "",
    )
