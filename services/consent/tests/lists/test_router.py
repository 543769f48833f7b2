"""Newsletter lists for staff: the profile's lists with counts, never a list of addresses."""

from __future__ import annotations

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from ..conftest import record
from ..subscriptions.conftest import subscribe

pytestmark = pytest.mark.anyio


async def test_the_lists_come_from_the_profile_with_confirmed_and_pending_counts(
    client: httpx.AsyncClient, auth: Tokens
) -> None:
    await record(client, auth)  # the registry's opt-in: confirmed on the first list
    await record(client, auth, subject_ref="p2", email="to@example.org", list_id="partners")
    await subscribe(client, email="venter@example.org", list_id="partners")
    response = await client.get("/consent/lists", headers=auth.staff("manager"))
    assert response.status_code == 200
    lists = {item["id"]: item for item in response.json()}
    assert set(lists) == {"general", "partners"}  # Nok. Bergen's two lists
    assert lists["general"]["provider"] == "sendgrid"
    assert (lists["general"]["confirmed"], lists["general"]["pending"]) == (1, 0)
    assert (lists["partners"]["confirmed"], lists["partners"]["pending"]) == (1, 1)
    assert "example.org" not in response.text


@pytest.mark.parametrize("role", ["counsellor", "coordinator"])
async def test_only_the_manager_and_the_dpo_see_the_lists(
    client: httpx.AsyncClient, auth: Tokens, role: str
) -> None:
    assert (await client.get("/consent/lists", headers=auth.staff(role))).status_code == 403
    assert (await client.get("/consent/lists", headers=auth.staff("dpo"))).status_code == 200
    assert (await client.get("/consent/lists")).status_code == 401
