"""The status lifecycle of a data request: every allowed move, in one table.

    received ──> identity_verified ──> in_progress ──> completed
                        │                  │  └──> failed ──> in_progress (retried)
                        │                  └──> awaiting_approval ──> approved ──> completed
                        └──> approved (erasure granted at once by the profile)
    rejected and withdrawn are reachable from every open status; completed, rejected and withdrawn
    are final.

Rules that depend on more than the two statuses (who may approve, when an erasure needs approval,
what a rejection must say) live in `service.py`; this table only says which moves exist.
"""

from __future__ import annotations

from vern.dsar.problems import TRANSITION_NOT_ALLOWED
from vern.dsar.requests.models import RequestStatus
from vern.kit.errors import Conflict

S = RequestStatus

FINAL = frozenset({S.completed, S.rejected, S.withdrawn})
_CLOSE = {S.rejected, S.withdrawn}

TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.received: frozenset({S.identity_verified, *_CLOSE}),
    S.identity_verified: frozenset({S.in_progress, S.approved, *_CLOSE}),
    S.in_progress: frozenset({S.awaiting_approval, S.completed, S.failed, *_CLOSE}),
    S.awaiting_approval: frozenset({S.approved, S.in_progress, *_CLOSE}),
    S.approved: frozenset({S.completed, *_CLOSE}),
    S.failed: frozenset({S.in_progress, *_CLOSE}),
    S.completed: frozenset(),
    S.rejected: frozenset(),
    S.withdrawn: frozenset(),
}


def is_open(status: RequestStatus) -> bool:
    return status not in FINAL


def check(current: RequestStatus, target: RequestStatus) -> None:
    """Raises 409 unless the table allows moving from `current` to `target`."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none: the request is closed"
        raise Conflict(
            f"a request cannot move from {current.value} to {target.value} "
            f"(allowed from {current.value}: {allowed})",
            problem_type=TRANSITION_NOT_ALLOWED,
        )
