"""One application error type, rendered as RFC 9457 problem+json; validation errors name the field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vern.kit.logging import get_logger

PROBLEM_JSON = "application/problem+json"
_log = get_logger("vern.errors")


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details. Never carries personal data."""

    type: str = Field(
        default="about:blank",
        description=(
            "`about:blank` (the status says it all), or a stable `urn:vern:problem:...` URI naming "
            "the problem, listed with the operation's answer; clients tell problems apart by this, "
            "never by `detail`."
        ),
    )
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem a client may act on (RFC 9457 `type`): a stable URI, the status it is
    answered with and its title, the same for every occurrence (the `detail` may vary)."""

    uri: str
    status: int
    title: str

    def __post_init__(self) -> None:
        if not self.uri.startswith("urn:vern:problem:"):
            raise ValueError(f"a Vern problem type is a urn:vern:problem: URI, not {self.uri!r}")


class VernError(Exception):
    """Base of every business error; subclasses set the status and a title. A raise may name
    its `problem_type`, which must be answered with the class's status."""

    status_code: int = 400
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        problem_type: ProblemType | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ):
        if problem_type is not None and problem_type.status != self.status_code:
            raise ValueError(
                f"{problem_type.uri} is a {problem_type.status} problem, not {self.status_code}"
            )
        super().__init__(detail or (problem_type.title if problem_type else self.title))
        self.detail = detail
        self.problem_type = problem_type
        self.errors = errors
        self.headers = headers

    def problem(self) -> Problem:
        kind = self.problem_type
        return Problem(
            type=kind.uri if kind else "about:blank",
            title=kind.title if kind else self.title,
            status=self.status_code,
            detail=self.detail,
            errors=self.errors,
        )


class BadRequest(VernError):
    """A body that cannot be parsed at all (not JSON, not UTF-8)."""

    status_code = 400
    title = "Bad request"


class NotAuthenticated(VernError):
    status_code = 401
    title = "Not authenticated"


class Forbidden(VernError):
    status_code = 403
    title = "Forbidden"


class NotFound(VernError):
    status_code = 404
    title = "Not found"


class Conflict(VernError):
    status_code = 409
    title = "Conflict"


class PayloadTooLarge(VernError):
    status_code = 413
    title = "Payload too large"


class InvalidInput(VernError):
    status_code = 422
    title = "Invalid input"


class TooManyRequests(VernError):
    """A rate limit was reached; `Retry-After` says when to come back."""

    status_code = 429
    title = "Too many requests"


class UpstreamUnavailable(VernError):
    status_code = 503
    title = "A service Vern depends on is unavailable"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def problem_responses(
    *errors: type[VernError], types: Sequence[ProblemType] = ()
) -> dict[int | str, dict[str, Any]]:
    """`responses=` entry declaring the problems an operation may answer with; `types` lists the
    problem types it may name, each under its status."""
    out: dict[int | str, dict[str, Any]] = {}
    statuses = {error.status_code for error in errors}
    for kind in types:
        if kind.status not in statuses:
            raise ValueError(f"{kind.uri} is a {kind.status} problem, not declared here")
    for error in errors:
        named = [kind for kind in types if kind.status == error.status_code]
        description = error.title
        if named:
            description += ". `type` is `about:blank` or one of: " + "; ".join(
                f"`{kind.uri}` ({kind.title})" for kind in named
            )
        out[error.status_code] = {
            "model": Problem,
            "description": description,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return out


_NAMED = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$")


def _field_error(error: dict[str, Any]) -> FieldError:
    """The field an error is about and why. Never echoes the input: it may be personal data.

    Validators that check several fields together name the field as `"field: reason"`.
    """
    loc = tuple(error.get("loc", ()))
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    if error.get("type") == "extra_forbidden":
        message = "is not a known field"
    named = _NAMED.match(message)
    if not parts and named:
        return FieldError(field=named.group(1), message=named.group(2))
    return FieldError(field=".".join(parts) or str(loc[0] if loc else "request"), message=message)


def install_error_handlers(app: FastAPI) -> None:
    async def vern_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, VernError)
        headers = dict(exc.headers or {})
        if exc.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return problem_response(exc.problem(), headers or None)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [_field_error(e) for e in exc.errors()]
        return problem_response(
            Problem(
                title="Invalid input",
                status=422,
                detail="; ".join(f"{e.field}: {e.message}" for e in errors),
                errors=errors,
            )
        )

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(
            Problem(title=str(exc.detail), status=exc.status_code), dict(exc.headers or {})
        )

    async def database_unavailable(_: Request, exc: Exception) -> JSONResponse:
        # A database that is gone, restarting or refusing a transaction for now: the caller may
        # try again (callers between services retry a 503; a provider redelivers). Only the
        # error's class is logged: its message may quote the statement and its parameters.
        cause = exc.orig if isinstance(exc, OperationalError) else exc
        _log.warning("database unavailable", error=type(cause).__name__)
        error = UpstreamUnavailable("the database did not answer", headers={"Retry-After": "5"})
        return problem_response(error.problem(), error.headers)

    app.add_exception_handler(VernError, vern_error)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
