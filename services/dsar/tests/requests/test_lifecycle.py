"""The status lifecycle table: which moves exist, and a clear 409 for the others."""

from __future__ import annotations

import itertools

import pytest

from vern.dsar.requests.lifecycle import FINAL, TRANSITIONS, check
from vern.dsar.requests.models import RequestStatus as S
from vern.kit.errors import Conflict

ALLOWED = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}


def test_every_status_has_a_row_in_the_table() -> None:
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_a_move_in_the_table_is_allowed(source: S, target: S) -> None:
    check(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    sorted(set(itertools.product(S, S)) - ALLOWED),
)
def test_a_move_outside_the_table_is_a_conflict_naming_both_statuses(source: S, target: S) -> None:
    with pytest.raises(Conflict) as raised:
        check(source, target)
    assert f"from {source.value} to {target.value}" in str(raised.value.detail)


def test_completed_rejected_and_withdrawn_requests_are_final() -> None:
    assert {S.completed, S.rejected, S.withdrawn} == FINAL
    assert all(TRANSITIONS[status] == frozenset() for status in FINAL)


def test_every_open_request_can_be_rejected_or_withdrawn() -> None:
    for status in set(S) - FINAL:
        assert {S.rejected, S.withdrawn} <= TRANSITIONS[status]


def test_an_erasure_is_approved_only_after_identity_is_proven() -> None:
    assert {source for source, target in ALLOWED if target is S.approved} == {
        S.identity_verified,
        S.awaiting_approval,
    }
