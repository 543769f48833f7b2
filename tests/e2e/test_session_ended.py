"""The login ends at the identity provider while the app is open: the dev IdP is restarted (its
sessions and refresh tokens are gone), or the refresh token is revoked. The next screen that needs
a token says so in Norwegian instead of failing, forgets the stored login, and "Logg inn igjen"
leads through the IdP back to the same screen. The screen's route (names and ids) is all the
login carries: the IdP's address names no request."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from vern.kit.devstack import IDP_PORT, DevStack

from .screens import APP, assert_accessible, log_in
from .staff_data import register_letter_request

pytestmark = pytest.mark.e2e

IDP = f"http://localhost:{IDP_PORT}"
STORED_USER = f"oidc.user:{IDP}:vern-spa"


def _stored_logins(page: Page) -> list[str]:
    return list(page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('oidc.user'))"))


def _expect_session_ended(page: Page, path: str, shot: str) -> None:
    expect(page.get_by_role("heading", name="Du må logge inn igjen", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Innloggingen din er avsluttet")
    assert page.url == APP.rstrip("/") + path
    assert _stored_logins(page) == []
    assert_accessible(page, shot)


def _revoke_refresh_token(page: Page) -> None:
    """What an administrator does at the IdP (or the IdP itself when the token expires)."""
    refresh_token = page.evaluate(
        f"JSON.parse(sessionStorage.getItem('{STORED_USER}')).refresh_token"
    )
    assert isinstance(refresh_token, str)
    assert refresh_token
    endpoint = httpx.get(f"{IDP}/.well-known/openid-configuration", timeout=10).json()[
        "revocation_endpoint"
    ]
    response = httpx.post(
        endpoint,
        data={
            "token": refresh_token,
            "token_type_hint": "refresh_token",
            "client_id": "vern-spa",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_after_the_idp_ends_the_login_the_app_asks_to_log_in_again_and_returns(
    page: Page, stack: DevStack
) -> None:
    letter = register_letter_request("restriction", "Rune Restart", "rune.restart@example.org")
    log_in(page, "manager", check=False)
    page.get_by_role("link", name="Forespørsler").click()
    expect(page.get_by_role("heading", name="Forespørsler", level=1)).to_be_visible()

    # The IdP restarts: its sessions and refresh tokens are gone. Opening a screen that needs a
    # new token (the newsletters come from consent) finds the refresh token refused.
    stack.kill("dev-idp")
    stack.restart("dev-idp")
    page.get_by_role("link", name="Nyhetsbrev").click()
    _expect_session_ended(page, "/newsletters", "session-ended")

    page.get_by_role("button", name="Logg inn igjen").click()
    page.wait_for_url(re.compile(r"localhost:9000/"))
    # The IdP's session is gone too: the password is asked for.
    page.get_by_label("Brukernavn").fill("manager")
    page.get_by_label("Passord").fill("vern-dev")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{APP}newsletters")
    expect(page.get_by_role("heading", name="Nyhetsbrev", level=1)).to_be_visible()
    expect(page.get_by_role("columnheader", name="Bekreftet")).to_be_visible()
    assert "code=" not in page.url

    # The refresh token is revoked at the IdP, and the request's page is opened by its address.
    _revoke_refresh_token(page)
    page.goto(f"{APP}requests/{letter['id']}")
    _expect_session_ended(page, f"/requests/{letter['id']}", "session-ended-request")

    to_idp: list[str] = []

    def record(route: Route) -> None:
        to_idp.append(route.request.url)
        route.continue_()

    page.route(re.compile(rf"^{IDP}/"), record)
    page.get_by_role("button", name="Logg inn igjen").click()
    # The IdP's session lives on, so no password this time: straight back to the request.
    expect(page.get_by_role("heading", level=1)).to_have_text("Forespørsel: Begrensning")
    expect(page.get_by_text("Rune Restart")).to_be_visible()
    assert page.url == f"{APP}requests/{letter['id']}"
    page.unroute(re.compile(rf"^{IDP}/"))
    assert [url for url in to_idp if "redirect_uri=" in url], to_idp
    assert not [url for url in to_idp if letter["id"] in url or "requests" in url]
    assert _stored_logins(page) == [STORED_USER]
