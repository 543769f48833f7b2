"""One structured access line per request, through the same scrubbed logging as every other line.

uvicorn's own access log is switched off (`vern.kit.logging` silences `uvicorn.access`, and `serve`
starts uvicorn with `access_log=False`): it writes the raw path and query string, which may carry
ids, tokens or addresses. This line names the route template instead (`/registry/persons/{person_id}`,
`unmatched` for a path no route knows), never the path or the query, and carries the request id
bound by `RequestIdMiddleware`, so one id follows a request through the access lines of every
service it reaches.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vern.kit.logging import get_logger
from vern.kit.metrics import METHODS, route_template

LOGGER = "vern.access"
EVENT = "request"


class AccessLogMiddleware:
    """Logs method, route template, status and duration once the response has ended."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = get_logger(LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_recording)
        finally:
            self.log.info(
                EVENT,
                method=scope["method"] if scope["method"] in METHODS else "OTHER",
                route=route_template(scope),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
