"""Writing audit entries. Call inside the transaction of the act being recorded."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from shelfwise.audit.models import AuditEntry
from shelfwise.lib.rows import insert_row


def audit_log(
    *, actor: Any, action: str, obj: models.Model | None = None, school: Any = None, **detail: Any
) -> AuditEntry:
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", True) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=actor_id,
        school=school,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
    )
    # One statement built once (lib/rows.py): every transaction writes an entry.
    entry.pk = insert_row(
        AuditEntry,
        at=entry.at,
        actor_id=entry.actor_id,
        school_id=entry.school_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        detail=entry.detail,
    )
    entry._state.adding = False
    return entry
