"""One structured access line per request, through the same scrubbed logging as every other line.

uvicorn's own access log is switched off (`vern.kit.logging` silences `uvicorn.access`, and `serve`
starts uvicorn with `access_log=False`): it writes the raw path and query string, which may carry
ids, tokens or addresses. This line names the route template instead (`/registry/persons/{person_id}`,
`unmatched` for a path no route knows), never the path or the query, and carries the request id
bound by `RequestIdMiddleware`, so one id follows a request through the access lines of every
service it reaches. `vern.kit.metrics.MetricsMiddleware`, which times every request for its
metrics, writes it once the response has ended.
"""

from __future__ import annotations

from vern.kit.logging import get_logger

LOGGER = "vern.access"
EVENT = "request"

_log = get_logger(LOGGER)


def log_request(*, method: str, route: str, status: int, seconds: float) -> None:
    """The access line of one request: method, route template, status and duration."""
    _log.info(
        EVENT, method=method, route=route, status=status, duration_ms=round(seconds * 1000, 2)
    )
