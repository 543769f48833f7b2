"""The problem types dsar names in its refusals (RFC 9457 `type`), for clients such as the SPA to
tell them apart without reading the English `detail`. The URIs are stable: a client may rely on
them, so one is never renamed or given another meaning."""

from __future__ import annotations

from vern.kit.errors import ProblemType


def _problem(name: str, title: str, status: int = 409) -> ProblemType:
    return ProblemType(f"urn:vern:problem:{name}", status, title)


TASK_ALREADY_DONE = _problem("task-already-done", "The task is already done")
TASK_NOT_MANUAL = _problem("task-not-manual", "Only a manual task is marked done by staff")
TRANSITION_NOT_ALLOWED = _problem(
    "transition-not-allowed", "The request's status does not allow this move"
)
TASKS_OPEN = _problem("tasks-open", "The request has tasks that are not done")
APPROVAL_ONLY_ERASURE = _problem("approval-only-erasure", "Only erasures are approved")
APPROVAL_NOT_AWAITED = _problem("approval-not-awaited", "The erasure is not awaiting approval")
APPROVAL_REQUIRED = _problem("approval-required", "The erasure must be approved first")
REQUEST_CLOSED = _problem("request-closed", "A closed request has no deadline to extend")
ALREADY_EXTENDED = _problem("already-extended", "The deadline has already been extended once")
FOUR_EYES = _problem(
    "four-eyes", "A second staff member, not the request's handler, must approve it", status=403
)

TRANSITION_PROBLEMS = (
    TRANSITION_NOT_ALLOWED,
    TASKS_OPEN,
    APPROVAL_ONLY_ERASURE,
    APPROVAL_NOT_AWAITED,
    APPROVAL_REQUIRED,
    FOUR_EYES,
)
TASK_DONE_PROBLEMS = (TASK_NOT_MANUAL, TASK_ALREADY_DONE)
EXTENSION_PROBLEMS = (REQUEST_CLOSED, ALREADY_EXTENDED)
