"""The collaboration status flow: every allowed and every refused step, no database."""

from __future__ import annotations

import itertools

import pytest

from shelfwise.instruction.workflow import (
    TRANSITIONS,
    Status,
    TransitionError,
    check_transition,
    next_statuses,
)

ALLOWED = {
    ("requested", "planning"),
    ("requested", "declined"),
    ("planning", "declined"),
    ("planning", "scheduled"),
    ("scheduled", "planning"),
    ("scheduled", "taught"),
    ("taught", "reflected"),
}


def test_the_table_is_exactly_the_documented_flow():
    assert {(str(a), str(b)) for a, b in TRANSITIONS} == ALLOWED


@pytest.mark.parametrize("current,target", sorted(ALLOWED))
def test_allowed_steps_pass_for_the_librarian(current, target):
    check_transition(current, target, is_librarian=True, reason="no room", has_reflection=True)


@pytest.mark.parametrize(
    "current,target",
    [pair for pair in itertools.product(Status.values, Status.values) if pair not in ALLOWED],
)
def test_every_other_step_is_refused(current, target):
    with pytest.raises(TransitionError, match="cannot go from"):
        check_transition(current, target, is_librarian=True, reason="x", has_reflection=True)


@pytest.mark.parametrize("target", ["planning", "declined"])
def test_only_the_librarian_accepts_or_declines(target):
    with pytest.raises(TransitionError, match="Only the librarian"):
        check_transition("requested", target, is_librarian=False, reason="x")


def test_teachers_move_the_rest_of_the_flow():
    check_transition("planning", "scheduled", is_librarian=False)
    check_transition("scheduled", "taught", is_librarian=False)
    check_transition("scheduled", "planning", is_librarian=False)
    check_transition("taught", "reflected", is_librarian=False, has_reflection=True)
    with pytest.raises(TransitionError):
        check_transition("planning", "declined", is_librarian=False, reason="x")


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_needs_a_reason(reason):
    with pytest.raises(TransitionError, match="reason"):
        check_transition("requested", "declined", is_librarian=True, reason=reason)


def test_reflected_needs_the_reflection_written():
    with pytest.raises(TransitionError, match="reflection"):
        check_transition("taught", "reflected", is_librarian=True, has_reflection=False)


def test_unknown_status():
    with pytest.raises(TransitionError, match="Unknown"):
        check_transition("requested", "archived", is_librarian=True)


def test_next_statuses_depend_on_the_role():
    assert next_statuses("requested", is_librarian=True) == ["planning", "declined"]
    assert next_statuses("requested", is_librarian=False) == []
    assert next_statuses("scheduled", is_librarian=False) == ["planning", "taught"]
    assert next_statuses("reflected", is_librarian=True) == []
    assert next_statuses("declined", is_librarian=True) == []
