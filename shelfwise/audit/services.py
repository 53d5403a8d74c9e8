"""Writing audit entries. Call inside the transaction of the act being recorded."""

from __future__ import annotations

from typing import Any

from django.db import models

from shelfwise.audit.models import AuditEntry


def audit_log(
    *, actor: Any, action: str, obj: models.Model | None = None, school: Any = None, **detail: Any
) -> AuditEntry:
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", True) else None
    return AuditEntry.objects.create(
        actor_id=actor_id,
        school=school,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
