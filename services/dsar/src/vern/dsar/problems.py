"""The problem types dsar names in its refusals (RFC 9457 `type`), for clients such as the SPA to
tell them apart without reading the English `detail`. The URIs are stable: a client may rely on
them, so one is never renamed or given another meaning."""

from __future__ import annotations

from vern.kit.errors import ProblemType

TASK_ALREADY_DONE = ProblemType(
    "urn:vern:problem:task-already-done", 409, "The task is already done"
)
TASK_NOT_MANUAL = ProblemType(
    "urn:vern:problem:task-not-manual", 409, "Only a manual task is marked done by staff"
)
TRANSITION_NOT_ALLOWED = ProblemType(
    "urn:vern:problem:transition-not-allowed",
    409,
    "The request's status does not allow this move",
)
TASKS_OPEN = ProblemType(
    "urn:vern:problem:tasks-open", 409, "The request has tasks that are not done"
)
APPROVAL_ONLY_ERASURE = ProblemType(
    "urn:vern:problem:approval-only-erasure", 409, "Only erasures are approved"
)
APPROVAL_NOT_AWAITED = ProblemType(
    "urn:vern:problem:approval-not-awaited",
    409,
    "The erasure is not awaiting approval",
)
APPROVAL_REQUIRED = ProblemType(
    "urn:vern:problem:approval-required", 409, "The erasure must be approved first"
)
FOUR_EYES = ProblemType(
    "urn:vern:problem:four-eyes",
    403,
    "A second staff member, not the request's handler, must approve it",
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
