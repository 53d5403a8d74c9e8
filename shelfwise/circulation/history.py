"""A student's own reading history: kept only while they choose to keep it.

Turning it off is an erasure, not a hiding: the returned loans lose their
link to the person at once, as if the school's retention had run out.
The anonymous circulation events written at check-out stay, so statistics
are unchanged and no list of what this person read survives.
"""

from __future__ import annotations

from django.db import transaction

from shelfwise.audit.services import audit_log
from shelfwise.circulation.models import Loan
from shelfwise.people.models import Person


def reading_history_set(*, person: Person, keep: bool) -> int:
    """Turn `person`'s reading history on or off; returns how many loans lost their link."""
    with transaction.atomic():
        # Lock the person row: a check-in reading the flag at the same moment
        # then sees either the old or the new choice, never half of it.
        locked = Person.objects.select_for_update().get(pk=person.pk)
        changed = locked.keeps_reading_history != keep
        locked.keeps_reading_history = keep
        locked.save(update_fields=["keeps_reading_history"])
        cut = 0
        if not keep:
            cut = (
                Loan.objects.filter(patron=locked)
                .exclude(returned_at=None)
                .update(patron=None, anonymized=True)
            )
        if changed or cut:
            # Who and what choice, never which books.
            audit_log(
                actor=person,
                action="people.reading_history_set",
                obj=locked,
                keep=keep,
                loans_unlinked=cut,
            )
    person.keeps_reading_history = keep
    return cut
