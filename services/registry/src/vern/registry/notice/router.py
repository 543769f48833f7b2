"""The public privacy notice: `GET /registry/privacy-notice`, no login, HTML or JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from vern.kit.errors import TooManyRequests, problem_responses
from vern.kit.orgprofile import OrgProfile
from vern.kit.ratelimit import RateLimited
from vern.registry.config import RegistrySettings
from vern.registry.notice import service as notice_service
from vern.registry.notice.schemas import PrivacyNotice

router = APIRouter(tags=["privacy-notice"])

# The page pulls in nothing: no script, no images, no frames; only its own inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def wants_json(accept: str | None) -> bool:
    """JSON only when the client prefers application/json to text/html; HTML otherwise."""
    quality: dict[str, float] = {}
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[media.lower()] = max(q, quality.get(media.lower(), 0.0))
    as_json = quality.get("application/json", quality.get("application/*", 0.0))
    as_html = quality.get("text/html", quality.get("text/*", quality.get("*/*", 0.0)))
    return as_json > as_html


@router.get(
    "/privacy-notice",
    response_model=PrivacyNotice,
    responses={
        200: {
            "description": "The notice: HTML by default, JSON on request.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        **problem_responses(TooManyRequests),
    },
    dependencies=[RateLimited("public")],
)
def get_privacy_notice(
    request: Request,
    fmt: Annotated[
        Literal["html", "json"] | None,
        Query(alias="format", description="Overrides the Accept header."),
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The centre's personvernerklæring in Norwegian bokmål, rendered from its org profile.
    Public: no login. HTML by default; JSON with `Accept: application/json` or `format=json`."""
    profile: OrgProfile = request.app.state.profile
    settings: RegistrySettings = request.app.state.settings
    notice = notice_service.build_notice(profile=profile, app_public_url=settings.app_public_url)
    as_json = fmt == "json" if fmt else wants_json(accept)
    headers = {"Vary": "Accept", "Cache-Control": "public, max-age=300"}
    if as_json:
        return JSONResponse(notice.model_dump(mode="json"), headers=headers)
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return HTMLResponse(notice_service.render_html(notice), headers=headers)
