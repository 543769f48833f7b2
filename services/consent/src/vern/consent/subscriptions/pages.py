"""HTML responses for the public pages: Norwegian, no script, no personal data, not cached."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from vern.consent.rendering import render

# No script or style at all; forms post only back to Vern; the page cannot be framed, and the
# token in its URL is never sent on as a Referer.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}
HTML_RESPONSE = {"content": {"text/html": {"schema": {"type": "string"}}}}


def page(
    request: Request,
    template: str,
    *,
    title: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    org_name = request.app.state.profile.org.name
    body = render(template, title=title, org_name=org_name, action=request.url.path, **context)
    return HTMLResponse(
        body, status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})}
    )
