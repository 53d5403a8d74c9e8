"""The status flow of a collaboration, as data and one pure function.

requested → planning → scheduled → taught → reflected, or declined (with a
reason) while it is still being requested or planned. No Django imports
beyond translatable labels, so every allowed and refused step is tested
without a database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PLANNING = "planning", _("Planning")
    SCHEDULED = "scheduled", _("Scheduled")
    TAUGHT = "taught", _("Taught")
    REFLECTED = "reflected", _("Reflected")
    DECLINED = "declined", _("Declined")


@dataclass(frozen=True)
class Step:
    librarian_only: bool = False
    needs_reason: bool = False
    needs_reflection: bool = False


# Decision: only the librarian accepts (→ planning) or declines a request,
# since it is the library's time being committed; anyone in the
# collaboration may move it on after that. A scheduled plan can go back to
# planning when it changes.
TRANSITIONS: dict[tuple[str, str], Step] = {
    (Status.REQUESTED, Status.PLANNING): Step(librarian_only=True),
    (Status.REQUESTED, Status.DECLINED): Step(librarian_only=True, needs_reason=True),
    (Status.PLANNING, Status.DECLINED): Step(librarian_only=True, needs_reason=True),
    (Status.PLANNING, Status.SCHEDULED): Step(),
    (Status.SCHEDULED, Status.PLANNING): Step(),
    (Status.SCHEDULED, Status.TAUGHT): Step(),
    (Status.TAUGHT, Status.REFLECTED): Step(needs_reflection=True),
}


class TransitionError(Exception):
    """A refused status change; `str()` is a message for the person who tried."""


def next_statuses(current: str, *, is_librarian: bool) -> list[str]:
    """The statuses a person may move a collaboration to from `current`, in flow order."""
    order = list(Status.values)
    allowed = [
        to
        for (frm, to), step in TRANSITIONS.items()
        if frm == current and (is_librarian or not step.librarian_only)
    ]
    return sorted(allowed, key=order.index)


def check_transition(
    current: str,
    target: str,
    *,
    is_librarian: bool,
    reason: str = "",
    has_reflection: bool = False,
) -> Step:
    """Return the step from `current` to `target`, or raise TransitionError saying why not."""
    if target not in Status.values:
        raise TransitionError(_("Unknown status."))
    step = TRANSITIONS.get((current, target))
    if step is None:
        raise TransitionError(
            _("A collaboration cannot go from “%(current)s” to “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )
    if step.librarian_only and not is_librarian:
        raise TransitionError(_("Only the librarian can accept or decline a request."))
    if step.needs_reason and not reason.strip():
        raise TransitionError(_("Please give a reason for declining."))
    if step.needs_reflection and not has_reflection:
        raise TransitionError(_("Write the closing reflection before marking it reflected."))
    return step
