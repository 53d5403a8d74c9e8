"""lib/rows.py and circulation/lookups.py: the hand-written statements stand in for
`save()` and the ORM's reads, so check what they skip and what they must match."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from shelfwise.audit.models import AuditEntry
from shelfwise.audit.services import audit_log
from shelfwise.catalog.models import Item
from shelfwise.circulation import lookups
from shelfwise.circulation.models import CirculationEvent, Hold, Loan
from shelfwise.lib.rows import insert_row, update_row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Loan, Item, CirculationEvent, AuditEntry, Hold])
def test_models_written_beside_save_have_no_signal_receivers(model):
    # insert_row/update_row send no signals: a receiver added later would be skipped.
    assert not post_save.has_listeners(model)
    assert not pre_save.has_listeners(model)


def test_insert_and_update_round_trip_json_dates_and_times(personas):
    school = personas.school
    now = timezone.now()
    entry = audit_log(actor=None, action="test.fast", school=school, said=["ñ", 1])
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.detail == {"said": ["ñ", 1]}
    assert stored.school_id == school.pk
    assert abs(stored.at - now) < timedelta(seconds=5)
    pk = insert_row(
        CirculationEvent,
        kind="checkout",
        on=date(2026, 9, 1),
        school_id=school.pk,
        item_id=None,
        record_id=None,
        grade_band="3-5",
        language_group="es",
        english_learner=None,
    )
    assert CirculationEvent.objects.get(pk=pk).on == date(2026, 9, 1)
    assert update_row(CirculationEvent, pk, on=date(2026, 9, 2), english_learner=True) == 1
    event = CirculationEvent.objects.get(pk=pk)
    assert (event.on, event.english_learner) == (date(2026, 9, 2), True)
    assert update_row(CirculationEvent, pk + 1000, on=date(2026, 9, 3)) == 0


def test_loan_read_by_hand_equals_the_orm(personas, shelf):
    from shelfwise.circulation.services import loan_checkout

    school, student, item = personas.school, personas.student, shelf[1][0]
    loan_checkout(item=item, patron=student, by=personas.librarian)
    by_hand = lookups.open_loan_of_item(item.pk)
    orm = Loan.objects.get(item=item, returned_at=None)
    for field in Loan._meta.concrete_fields:
        assert getattr(by_hand, field.attname) == getattr(orm, field.attname), field.name
    assert by_hand.keeps_history == student.keeps_reading_history
    assert lookups.open_loan_counts(student.pk, orm.due_on + timedelta(days=1)) == (1, 1)
    assert lookups.open_loan_due(item.pk) == orm.due_on
    locked = lookups.item_locked(item.pk)
    assert (locked.status, locked.school.code) == ("checked_out", school.code)
