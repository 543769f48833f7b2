"""Real access tokens from the dev identity provider (deploy/dev-idp), for curl and black-box tests.

Dev only: it logs a persona in by posting its password to the IdP's login form.
"""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import NotRequired, TypedDict
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

# authlib ships no type information. Its httpx integration (OAuth2Client) is deprecated in
# favour of the httpx2 package, so the token requests below use httpx directly.
from authlib.common.security import generate_token  # type: ignore[import-untyped, unused-ignore]
from authlib.oauth2.rfc7636 import (  # type: ignore[import-untyped, unused-ignore]
    create_s256_code_challenge,
)

DEFAULT_ISSUER = "http://localhost:9000"
DEFAULT_RESOURCE = "urn:vern:registry"
PERSONAS_ENV = "VERN_PERSONAS"
PERSONAS_PATH = Path("deploy/dev-idp/personas.json")

CLI_CLIENT_ID = "vern-cli"
CLI_REDIRECT_URI = "http://127.0.0.1:8765/callback"

# Mirrors docs/conventions.md; the first scope of each resource is its base scope.
RESOURCE_SCOPES: dict[str, tuple[str, ...]] = {
    "urn:vern:registry": ("registry", "registry:internal", "journal"),
    "urn:vern:consent": ("consent", "consent:internal"),
    "urn:vern:dsar": ("dsar", "dsar:internal"),
    "urn:vern:scheduler": ("scheduler",),
}

_TIMEOUT = httpx.Timeout(10.0)
_MAX_HOPS = 12


class DevTokenError(Exception):
    """The dev IdP did not hand out the token asked for."""


class Persona(TypedDict):
    """A dev persona from deploy/dev-idp/personas.json."""

    username: str
    password: str
    sub: str
    name: str
    email: str
    phone: str
    roles: list[str]
    amr: list[str]
    acr: str
    nnin: NotRequired[str]


def find_personas_file() -> Path:
    """Returns $VERN_PERSONAS, else deploy/dev-idp/personas.json in the cwd or a parent of it."""
    if configured := os.environ.get(PERSONAS_ENV):
        return Path(configured)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / PERSONAS_PATH
        if candidate.is_file():
            return candidate
    raise DevTokenError(f"{PERSONAS_PATH} not found above {here}; set {PERSONAS_ENV}")


def load_personas(path: Path | None = None) -> dict[str, Persona]:
    """Loads the dev personas, keyed by username."""
    document = json.loads((path or find_personas_file()).read_text(encoding="utf-8"))
    personas: list[Persona] = document["personas"]
    return {persona["username"]: persona for persona in personas}


def base_scope(resource: str) -> str:
    """The scope a person gets on a resource, e.g. `consent` for `urn:vern:consent`."""
    if resource in RESOURCE_SCOPES:
        return RESOURCE_SCOPES[resource][0]
    return resource.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def fetch_persona_token(
    persona: str,
    *,
    issuer: str = DEFAULT_ISSUER,
    resource: str = DEFAULT_RESOURCE,
    scope: str | None = None,
) -> str:
    """Logs a persona in (authorization code + PKCE, as `vern-cli`); returns its access token."""
    known = load_personas()
    if persona not in known:
        raise DevTokenError(f"unknown persona {persona!r}; known: {', '.join(sorted(known))}")
    metadata = _discover(issuer)
    code_verifier: str = generate_token(64)
    state: str = generate_token(32)
    authorization_url = httpx.URL(
        metadata["authorization_endpoint"],
        params={
            "client_id": CLI_CLIENT_ID,
            "response_type": "code",
            "redirect_uri": CLI_REDIRECT_URI,
            "scope": scope or f"openid {base_scope(resource)}",
            "resource": resource,
            "state": state,
            "code_challenge": create_s256_code_challenge(code_verifier),
            "code_challenge_method": "S256",
        },
    )
    redirect = _log_in(str(authorization_url), known[persona])
    code = _authorization_code(redirect, issuer=metadata["issuer"], state=state)
    return _token_request(
        metadata["token_endpoint"],
        {
            "grant_type": "authorization_code",
            "client_id": CLI_CLIENT_ID,
            "code": code,
            "redirect_uri": CLI_REDIRECT_URI,
            "code_verifier": code_verifier,
            "resource": resource,
        },
    )


def fetch_client_token(
    client_id: str,
    client_secret: str,
    *,
    issuer: str = DEFAULT_ISSUER,
    resource: str = DEFAULT_RESOURCE,
    scope: str | None = None,
) -> str:
    """Client-credentials token for a machine client.

    Without `scope` it asks for every scope of the resource; the IdP grants the ones the client
    may have.
    """
    metadata = _discover(issuer)
    form = {"grant_type": "client_credentials", "resource": resource}
    if requested := scope or " ".join(RESOURCE_SCOPES.get(resource, ())):
        form["scope"] = requested
    return _token_request(
        metadata["token_endpoint"], form, auth=httpx.BasicAuth(client_id, client_secret)
    )


def _discover(issuer: str) -> dict[str, str]:
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=_TIMEOUT)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise DevTokenError(f"dev IdP not reachable at {url}: {error}") from error
    metadata: dict[str, str] = response.json()
    return metadata


def _log_in(authorization_url: str, persona: Persona) -> str:
    """Plays the browser: follows redirects and posts the login form; returns the final redirect."""
    with httpx.Client(timeout=_TIMEOUT, follow_redirects=False) as browser:
        response = browser.get(authorization_url)
        for _ in range(_MAX_HOPS):
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if location.split("?", 1)[0] == CLI_REDIRECT_URI:
                    return location
                response = browser.get(location)
            elif response.status_code == httpx.codes.OK and (
                action := _login_form_action(response)
            ):
                form = {"username": persona["username"], "password": persona["password"]}
                response = browser.post(urljoin(str(response.url), action), data=form)
                if response.status_code == httpx.codes.UNAUTHORIZED:
                    raise DevTokenError(
                        f"the dev IdP refused the password of {persona['username']}"
                    )
            else:
                raise DevTokenError(
                    f"unexpected HTTP {response.status_code} from the dev IdP at {response.url}"
                )
    raise DevTokenError("too many redirects while logging in to the dev IdP")


def _authorization_code(redirect: str, *, issuer: str, state: str) -> str:
    params = parse_qs(urlsplit(redirect).query)
    if "error" in params:
        description = params.get("error_description", [""])[0]
        raise DevTokenError(f"authorization failed: {params['error'][0]} {description}".strip())
    if params.get("state") != [state]:
        raise DevTokenError("authorization response with a wrong state")
    # RFC 9207: the response names its issuer.
    if params.get("iss", [issuer]) != [issuer]:
        raise DevTokenError("authorization response from another issuer")
    if "code" not in params:
        raise DevTokenError("authorization response without a code")
    return params["code"][0]


def _token_request(
    token_endpoint: str, form: dict[str, str], *, auth: httpx.Auth | None = None
) -> str:
    try:
        response = httpx.post(token_endpoint, data=form, auth=auth, timeout=_TIMEOUT)
    except httpx.HTTPError as error:
        raise DevTokenError(f"token request failed: {error}") from error
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise DevTokenError(f"token endpoint answered HTTP {response.status_code} without JSON")
    if "error" in body:
        raise DevTokenError(
            f"token request failed: {body['error']} {body.get('error_description', '')}".strip()
        )
    access_token = body.get("access_token")
    if response.status_code != httpx.codes.OK or not isinstance(access_token, str):
        raise DevTokenError(f"token endpoint answered HTTP {response.status_code} without a token")
    return access_token


class _LoginFormFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "form" and (fields.get("method") or "").lower() == "post" and self.action is None:
            self.action = fields.get("action")


def _login_form_action(response: httpx.Response) -> str | None:
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    finder = _LoginFormFinder()
    finder.feed(response.text)
    return finder.action
