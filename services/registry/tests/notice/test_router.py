"""GET /registry/privacy-notice: public, HTML by default, JSON on request, accessible markup."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from vern.registry.notice.schemas import PrivacyNotice

from .conftest import parse_page, reference_profile, visible_text

pytestmark = pytest.mark.anyio

URL = "/registry/privacy-notice"


@pytest.fixture
def tryggere(vern_app: FastAPI) -> Iterator[None]:
    """The registry serving Stiftelsen Tryggere instead of the default Nok. Bergen."""
    default = vern_app.state.profile
    vern_app.state.profile = reference_profile("tryggere")
    yield
    vern_app.state.profile = default


async def test_notice_is_html_by_default_and_needs_no_login(client: httpx.AsyncClient) -> None:
    response = await client.get(URL)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Personvernerklæring for Nok. Bergen" in visible_text(response.text)


async def test_notice_is_served_even_with_a_bad_token(client: httpx.AsyncClient) -> None:
    response = await client.get(URL, headers={"Authorization": "Bearer not-a-jwt"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "accept",
    ["application/json", "application/json, text/html;q=0.5", "text/html;q=0.1, application/*"],
)
async def test_notice_is_json_when_the_client_prefers_json(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await client.get(URL, headers={"Accept": accept})

    assert response.headers["content-type"] == "application/json"
    notice = PrivacyNotice.model_validate(response.json())
    assert notice.org_name == "Nok. Bergen"
    assert notice.language == "nb"


@pytest.mark.parametrize(
    "accept",
    ["text/html", "*/*", "text/html, application/json", "application/json;q=0.5, */*", "x/y"],
)
async def test_notice_is_html_unless_json_is_preferred(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await client.get(URL, headers={"Accept": accept})

    assert response.headers["content-type"].startswith("text/html")


async def test_format_query_overrides_the_accept_header(client: httpx.AsyncClient) -> None:
    as_json = await client.get(URL, params={"format": "json"}, headers={"Accept": "text/html"})
    as_html = await client.get(
        URL, params={"format": "html"}, headers={"Accept": "application/json"}
    )

    assert as_json.headers["content-type"] == "application/json"
    assert as_html.headers["content-type"].startswith("text/html")


async def test_unknown_format_is_a_422_naming_the_parameter(client: httpx.AsyncClient) -> None:
    response = await client.get(URL, params={"format": "pdf"})

    assert response.status_code == 422
    assert "format" in response.text
    assert "pdf" not in response.text


async def test_json_gives_the_retention_of_each_activity_in_words(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get(URL, params={"format": "json"})).json()

    activities = {a["id"]: a for a in body["activities"]}
    assert activities["waitlist"]["retention"] == (
        "slettes 30 dager etter at faglig veileder er tildelt"
    )
    assert {"code": "abuse_experience", "label": DATA_LABEL} in activities["waitlist"][
        "data_categories"
    ]
    assert body["dpo"]["email"] == "personvernombud@nokbergen.no"


DATA_LABEL = "om du selv har opplevd overgrep eller er pårørende, og type overgrep"


async def test_notice_follows_the_profile_the_service_was_started_with(
    client: httpx.AsyncClient, tryggere: None
) -> None:
    text = visible_text((await client.get(URL)).text)

    assert "Personvernerklæring for Stiftelsen Tryggere" in text
    assert "Nok. Bergen" not in text


async def test_self_service_link_comes_from_the_apps_public_url(
    client: httpx.AsyncClient, vern_app: FastAPI
) -> None:
    expected = vern_app.state.settings.app_public_url.rstrip("/") + "/mine-opplysninger"

    html = (await client.get(URL)).text
    body = (await client.get(URL, params={"format": "json"})).json()

    assert f'href="{expected}"' in html
    assert body["self_service_url"] == expected


async def test_html_is_bokmal_with_one_h1_headings_in_order_and_landmarks(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get(URL)).text
    page = parse_page(html)

    assert html.startswith('<!doctype html>\n<html lang="nb">')
    assert page.headings.count(1) == 1
    assert page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    for landmark in ("header", "nav", "main", "footer"):
        assert page.tags.count(landmark) == 1, landmark


async def test_html_has_no_script_and_forbids_loading_any(client: httpx.AsyncClient) -> None:
    response = await client.get(URL)
    page = parse_page(response.text)

    assert "script" not in page.tags
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]
    assert response.headers["vary"] == "Accept"


async def test_tables_name_their_headers(client: httpx.AsyncClient) -> None:
    page = parse_page((await client.get(URL)).text)

    assert ("scope", "col") in page.attributes
    assert ("scope", "row") in page.attributes
    assert "caption" in page.tags
