"""What the registry logs while clients are registered, refused, searched and read: no personal data."""

from __future__ import annotations

import logging

import httpx
import pytest

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import OTHER_COUNSELLOR
from .conftest import CLIENT, FNR, register

pytestmark = pytest.mark.anyio
SECRETS = ("Sigrid", "Testesen", "sigrid.fjell", "91234567", "912 34 567", FNR, "1965-07-15")


async def test_no_personal_data_reaches_the_logs(
    client: httpx.AsyncClient,
    auth: Tokens,
    every_field_profile: OrgProfile,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    person = await register(client, auth, national_id=FNR)
    coordinator = auth.staff("coordinator")
    bad = {**CLIENT, "national_id": FNR, "birth_date": "1966-07-15"}
    assert (
        await client.post("/registry/persons", json=bad, headers=coordinator)
    ).status_code == 422
    await client.post("/registry/persons/search", json={"name": "Testesen"}, headers=coordinator)
    await client.post("/registry/persons/search", json={"national_id": FNR}, headers=coordinator)
    await client.post(
        f"/registry/persons/{person['id']}/break-glass",
        json={"reason": "akutt henvendelse på vakt"},
        headers=auth.staff("counsellor", sub=OTHER_COUNSELLOR),
    )
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    for secret in SECRETS:
        assert secret not in logged, secret
