"""`GET /registry/profile/fields` tells a registration form what the org profile collects, and
agrees with what `POST /registry/persons` accepts."""

from __future__ import annotations

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from ..persons.conftest import CLIENT, UseProfile

pytestmark = pytest.mark.anyio


async def _fields(client: httpx.AsyncClient, auth: Tokens) -> dict[str, object]:
    response = await client.get("/registry/profile/fields", headers=auth.staff("coordinator"))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_nok_bergen_collects_its_notices_fields_and_no_national_id(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("nokbergen")
    body = await _fields(client, auth)
    assert body["fields"] == [
        "full_name",
        "address",
        "email",
        "phone",
        "birth_date",
        "gender",
        "heard_about",
        "intake_date",
        "confidentiality_declaration",
        "guardian",
        "newsletter_opt_in",
    ]
    assert body["anonymous_clients_allowed"] is True
    assert body["guardian_consent_under"] == 16


async def test_tryggere_has_partners_and_the_journal_but_no_gender_or_referral_source(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    fields = (await _fields(client, auth))["fields"]
    assert isinstance(fields, list)
    for off in ("gender", "heard_about", "intake_date", "confidentiality_declaration"):
        assert off not in fields
    assert "partner" in fields


async def test_every_field_listed_is_accepted_and_every_other_is_refused(
    client: httpx.AsyncClient, auth: Tokens, use_profile: UseProfile
) -> None:
    use_profile("tryggere")
    fields = (await _fields(client, auth))["fields"]
    assert isinstance(fields, list)
    body = {k: v for k, v in CLIENT.items() if k in fields or k == "assigned_counsellor_id"}
    accepted = await client.post("/registry/persons", json=body, headers=auth.staff("coordinator"))
    assert accepted.status_code == 201, accepted.text
    refused = await client.post("/registry/persons", json=CLIENT, headers=auth.staff("coordinator"))
    assert refused.status_code == 422
    named = {e["field"] for e in refused.json()["errors"]}
    assert named
    assert not named & set(fields)


@pytest.mark.parametrize("role", ["counsellor", "dpo"])
async def test_only_those_who_register_clients_are_told(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    response = await client.get("/registry/profile/fields", headers=auth.staff(role))
    assert response.status_code == 403
