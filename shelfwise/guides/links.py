"""The one place guides reach into instruction: who belongs to a guide's collaboration.

A collaboration is shared work (instruction.selectors): everyone taking part
in it (requester, co-teachers, librarians) may edit the guides built for it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from shelfwise.instruction.models import Participant


def collaboration_member_ids(collaboration_id: int) -> set[int]:
    return set(
        Participant.objects.filter(collaboration_id=collaboration_id).values_list(
            "person_id", flat=True
        )
    )


def collaboration_filter(person: Any) -> Q:
    """Guides of the collaborations `person` takes part in (a filter on Guide)."""
    return Q(collaboration__participants__person=person)
