"""What the registry logs while the waiting list and participant lists are used: no personal data."""

from __future__ import annotations

import logging

import httpx
import pytest

from vern.kit.testing.tokens import Tokens

from ..activities.conftest import PARTICIPANT, plan, sign_up
from ..conftest import COUNSELLOR
from .conftest import APPLICANT, put_on_waitlist

pytestmark = pytest.mark.anyio
SECRETS = (
    "Ingrid",
    "Haug",
    "ingrid.haug",
    "Ingrid.Haug",
    "91345678",
    "913 45 678",
    "1984-02-29",
    "Solveig",
    "solveig.lie",
    "Solveig.Lie",
)


async def test_no_personal_data_reaches_the_logs(
    client: httpx.AsyncClient,
    auth: Tokens,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    coordinator = auth.staff("coordinator")
    entry = await put_on_waitlist(client, auth)
    refused = {**APPLICANT, "phone": "913 45 678 9999", "received_date": "2999-01-01"}
    assert (
        await client.post("/registry/waitlist", json=refused, headers=coordinator)
    ).status_code == 422
    await client.get(f"/registry/waitlist/{entry['id']}", headers=coordinator)
    await client.post(
        f"/registry/waitlist/{entry['id']}/counsellor",
        json={"counsellor_id": COUNSELLOR},
        headers=coordinator,
    )
    assert (
        await client.post(
            f"/registry/waitlist/{entry['id']}/promotion",
            json={"agreed_fields": ["full_name", "email", "phone", "birth_date"]},
            headers=coordinator,
        )
    ).status_code == 201
    activity = await plan(client, auth)
    await sign_up(client, auth, activity["id"])
    bad = {**PARTICIPANT, "email": "Solveig.Lie@@Example"}
    assert (
        await client.post(
            f"/registry/activities/{activity['id']}/registrations", json=bad, headers=coordinator
        )
    ).status_code == 422
    await client.get(f"/registry/activities/{activity['id']}/registrations", headers=coordinator)
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    # The requests were logged, by route template: the access line holds no id either.
    assert "/registry/waitlist/{entry_id}" in logged
    for secret in SECRETS:
        assert secret not in logged, secret
