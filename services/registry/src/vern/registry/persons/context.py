"""The org profile in force for the current request, for rules called without a profile.

The app loads the profile once (app.state.profile); `ProfileMiddleware` makes it the one in force
for each request, so the retention date and the record rules read the app's profile wherever
they are called from (this service's routers, the journal API, the waiting list), and the seed
command sets it with `profile_in_use`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

from vern.kit.orgprofile import OrgProfile

_in_force: ContextVar[OrgProfile | None] = ContextVar("vern_registry_profile", default=None)


def profile_in_force() -> OrgProfile:
    """The profile in force; outside a request, set one with `profile_in_use`."""
    profile = _in_force.get()
    if profile is None:
        raise LookupError("no org profile in force: call inside a request or `profile_in_use`")
    return profile


@contextmanager
def profile_in_use(profile: OrgProfile) -> Iterator[OrgProfile]:
    token = _in_force.set(profile)
    try:
        yield profile
    finally:
        _in_force.reset(token)


class ProfileMiddleware:
    """Puts app.state.profile in force for each request (read per request: tests may swap it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with profile_in_use(scope["app"].state.profile):
            await self.app(scope, receive, send)
