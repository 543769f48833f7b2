"""Personal data never leaves a request through the logs, the audit trail or an error."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from vern.kit.orgprofile import OrgProfile
from vern.kit.testing.tokens import Tokens

from ..conftest import SOLVEIG
from .conftest import STAFF_BODY, file_request, finish_tasks, move

pytestmark = pytest.mark.anyio

CORRECTIONS = {"address": "Strandgaten 12, 5013 Bergen"}
PERSONAL = (*SOLVEIG.values(), STAFF_BODY["name"], "Strandgaten")


async def test_a_request_handled_from_receipt_to_erasure_leaves_no_personal_data_behind(
    client: httpx.AsyncClient,
    auth: Tokens,
    tryggere: OrgProfile,
    db_session: Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    handler, second = auth.staff("manager", sub="manager-1"), auth.staff("dpo", sub="dpo-1")
    rectification = await file_request(
        client, handler, type="rectification", corrections=CORRECTIONS, **STAFF_BODY
    )
    erasure = await file_request(client, auth.staff("counsellor"), type="erasure", **STAFF_BODY)
    refusals = [
        await move(client, erasure["id"], handler, "completed"),  # 409: not approved
        await move(client, erasure["id"], handler, "rejected"),  # 422: no reason
        await move(client, rectification["id"], handler, "approved"),  # 409: not an erasure
    ]
    await move(client, erasure["id"], second, "in_progress")
    await move(client, erasure["id"], second, "awaiting_approval")
    refusals.append(await move(client, erasure["id"], second, "approved"))  # 403: handled it
    assert (await move(client, erasure["id"], handler, "approved")).status_code == 200
    assert (await finish_tasks(client, erasure["id"], second))["status"] == "completed"
    assert [r.status_code for r in refusals] == [409, 422, 409, 403]
    assert "data request registered" in caplog.text  # the logs were captured
    audit = repr(db_session.execute(text("SELECT * FROM audit_event")).all())
    audit += repr(db_session.execute(text("SELECT * FROM request_task")).all())
    for plaintext in PERSONAL:
        assert plaintext not in caplog.text
        assert plaintext not in audit
        for refusal in refusals:
            assert plaintext not in refusal.text
