"""The one place guides reach into instruction: who belongs to a guide's collaboration.

Until `instruction.Collaboration` exists, no guide has a collaboration and
these return nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def collaboration_member_ids(collaboration_id: int) -> set[int]:
    return set()


def collaboration_filter(person: Any) -> Q:
    """Guides of the collaborations `person` belongs to (a filter on Guide)."""
    return Q(pk__in=[])
