"""Hostile input and browser rules every service applies before a route sees a request: bodies
over a size limit (413), JSON nested too deep or holding half a UTF-16 pair (422), security
headers, CORS for exact origins only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vern.kit.errors import FieldError, Problem, problem_response
from vern.kit.settings import ServiceSettings

# Strings first, so brackets inside them do not count; then only brackets remain.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")

# Answers of the API: nothing may be loaded, framed, sniffed, cached or referred on. Routes that
# set one of these themselves (the HTML pages with their own policy, a cacheable notice) keep theirs.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"cache-control", b"no-store"),
)
API_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def json_too_deep(body: bytes, max_depth: int) -> bool:
    """Whether a JSON text nests arrays and objects deeper than `max_depth` (before parsing it,
    so a hostile body never reaches the recursive parser)."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False
    depth = 0
    for byte in _JSON_STRING.sub(b'""', body).translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth = max(0, depth - 1)
    return False


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def json_has_lone_surrogate(body: bytes) -> bool:
    """Whether a JSON text escapes half a UTF-16 pair (`"\\ud800"`): valid JSON, but no text
    can be stored or sent back with it. Parsed only when such an escape appears at all (the
    depth is checked first, so parsing is safe)."""
    if not _SURROGATE_ESCAPE.search(body):
        return False
    try:
        return _has_lone_surrogate(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON: the route's own parsing refuses it


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


async def _refuse(send: Send, problem: Problem) -> None:
    response = problem_response(problem, {"Connection": "close"})
    await send(
        {"type": "http.response.start", "status": response.status_code,
         "headers": response.raw_headers}
    )  # fmt: skip
    await send({"type": "http.response.body", "body": response.body})


class BodyLimitMiddleware:
    """Reads at most the limit of a request's body and refuses the request once it is passed,
    whether the length was announced (Content-Length) or not (chunked); then checks the nesting
    of a JSON body. The route gets the body as sent."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        max_json_depth: int,
        path_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_depth = max_json_depth
        self.path_limits = dict(path_limits or {})

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.path_limits.items():
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    def _json_problem(self, body: bytes) -> str | None:
        if json_too_deep(body, self.max_json_depth):
            return f"is nested more than {self.max_json_depth} levels deep"
        if json_has_lone_surrogate(body):
            return "holds text that is not valid Unicode"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        too_large = Problem(
            title="Payload too large", status=413, detail=f"the body exceeds {limit} bytes"
        )
        announced = dict(scope["headers"]).get(b"content-length")
        if announced is not None:
            if not announced.isdigit():
                await _refuse(send, Problem(title="Bad request", status=400,
                                            detail="Content-Length is not a number"))  # fmt: skip
                return
            if int(announced) > limit:
                await _refuse(send, too_large)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        detail = self._json_problem(body) if body and _is_json(scope) else None
        if detail is not None:
            await _refuse(
                send,
                Problem(title="Invalid input", status=422, detail=f"body: {detail}",
                        errors=[FieldError(field="body", message=detail)]),
            )  # fmt: skip
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeadersMiddleware:
    """Adds the security headers to every response that does not set its own."""

    def __init__(self, app: ASGIApp, *, docs_prefix: str) -> None:
        self.app = app
        self.docs_prefix = docs_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The interactive docs load Swagger UI from its CDN: no CSP there, the rest still applies.
        defaults = list(SECURITY_HEADERS)
        if not scope["path"].startswith(self.docs_prefix):
            defaults.append((b"content-security-policy", API_CSP))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((n, v) for n, v in defaults if n not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_hardening(
    app: FastAPI, settings: ServiceSettings, *, prefix: str, body_limits: Mapping[str, int]
) -> None:
    """Body limits innermost, then CORS, then the headers (so refusals carry them too)."""
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_json_depth=settings.max_json_depth,
        path_limits=body_limits,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, docs_prefix=f"{prefix}/docs")
