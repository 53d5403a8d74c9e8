"""CREW weeding on the fixture school: the 500s list worked out by hand, decisions, withdrawal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from shelfwise.catalog.models import ItemStatus
from shelfwise.collection.models import PurchaseRequest, WeedingDecision, WeedingRule
from shelfwise.collection.services import weeding_decide, weeding_rule_update
from shelfwise.collection.weeding import item_reasons, rules_for, weeding_list

pytestmark = pytest.mark.django_db


def test_default_rules_are_data_with_the_verified_ones(fx):
    rules = {r.section or r.dewey_prefix: (r.max_age, r.max_idle) for r in rules_for(fx.school)}
    assert rules["004"] == (3, None)  # CREW 3/X/MUSTIE (DOMAIN.md)
    assert rules["5"] == (5, 3) and rules["9"] == (15, 3)  # the examples
    assert len(rules_for(fx.school)) == len(rules)  # made once


def test_weeding_list_for_the_500s(fx):
    # Rule 5/3 on 2026-06-15: older than 2021 and nothing since 2023-06-15.
    found = {c.barcode: c for c in weeding_list(school=fx.school, section="500", today=fx.today)}
    # A1 circulated in 2026 but its notes say "Worn spine"; A2 and H never went
    # out since 2013 / 2019; C (2005, never). B (2020, out in 2025) is not old and idle.
    assert set(found) == {"A1", "A2", "C", "H"}
    assert found["A1"].reasons == ["condition"]
    assert found["A2"].reasons == ["age", "idle"] and found["C"].reasons == ["age", "idle"]
    # C is the last copy of a Spanish (and English) title; H of an English one, and with
    # the default 5 titles a speaker both languages are below target. A2 has a sister copy.
    assert (found["C"].last_copy_flag, found["C"].flag_languages) == (True, ["spa", "eng"])
    assert found["H"].last_copy_flag and not found["A2"].last_copy_flag


def test_rule_edit_changes_the_list(fx):
    rule = next(r for r in rules_for(fx.school) if r.dewey_prefix == "5")
    weeding_rule_update(rule=rule, max_age=20, max_idle=3, by=fx.personas.librarian)
    found = {c.barcode for c in weeding_list(school=fx.school, section="500", today=fx.today)}
    assert found == {"A1", "C"}  # only C (2005) is older than 20
    with pytest.raises(ValidationError):
        weeding_rule_update(rule=rule, max_age=0, max_idle=3, by=None)
    # A more specific prefix wins over the class.
    WeedingRule.objects.create(school=fx.school, dewey_prefix="51", max_age=None, max_idle=None)
    found = {c.barcode for c in weeding_list(school=fx.school, section="500", today=fx.today)}
    assert "H" not in found


def test_x_parts_and_condition():
    rule = WeedingRule(max_age=3, max_idle=None)  # 004: 3/X
    today = datetime.date(2026, 6, 15)
    args = {
        "last_circulated": today,
        "acquired": None,
        "status": "available",
        "notes": "",
        "today": today,
    }
    assert item_reasons(rule, pub_year=2020, **args) == ["age"]
    assert item_reasons(rule, pub_year=2024, **args) == []
    assert item_reasons(rule, pub_year=2024, **{**args, "notes": "Páginas dañadas"}) == [
        "condition"
    ]


def test_withdraw_keeps_the_record_and_goes_through_circulation(fx):
    lib = fx.personas.librarian
    a2 = fx.items["A2"]
    decision = weeding_decide(item=a2, decision="withdraw", by=lib, note="Outdated", today=fx.today)
    a2.refresh_from_db()
    assert a2.status == ItemStatus.WITHDRAWN
    assert (decision.barcode, decision.title, decision.reasons) == (
        "A2",
        "Volcanoes",
        ["age", "idle"],
    )
    assert decision.withdrawn_at is not None
    from shelfwise.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="circulation.mark", object_id=str(a2.pk)).exists()
    # Withdrawn: no longer a candidate, and the collection counts one copy less.
    assert "A2" not in {
        c.barcode for c in weeding_list(school=fx.school, section="500", today=fx.today)
    }


def test_last_copy_in_a_low_language_needs_confirmation(fx):
    lib = fx.personas.librarian
    with pytest.raises(ValidationError) as error:
        weeding_decide(item=fx.items["C"], decision="withdraw", by=lib, today=fx.today)
    assert error.value.code == "last_copy"
    fx.items["C"].refresh_from_db()
    assert fx.items["C"].status == "available" and not WeedingDecision.objects.exists()
    decision = weeding_decide(
        item=fx.items["C"], decision="replace", by=lib, confirm_last_copy=True, today=fx.today
    )
    assert decision.last_copy_flag
    wish = PurchaseRequest.objects.get()
    assert (wish.title, wish.status, wish.language) == ("Plantas", "wish_list", "spa")


def test_keep_and_refusals(fx):
    lib = fx.personas.librarian
    kept = weeding_decide(item=fx.items["H"], decision="keep", by=lib, today=fx.today)
    fx.items["H"].refresh_from_db()
    assert kept.decision == "keep" and fx.items["H"].status == "available"
    listed = {c.barcode: c for c in weeding_list(school=fx.school, section="500", today=fx.today)}
    assert listed["H"].decision == "keep"
    with pytest.raises(ValidationError):  # B is not a candidate
        weeding_decide(item=fx.items["B"], decision="withdraw", by=lib, today=fx.today)
    with pytest.raises(ValidationError):
        weeding_decide(item=fx.items["A2"], decision="burn", by=lib, today=fx.today)
