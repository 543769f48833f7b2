"""Participant lists: due for deletion the day the activity ends; a removed participant's key is
shredded."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.testing.tokens import Tokens
from vern.registry.activities import repository as activity_repository
from vern.registry.activities.models import ActivityRegistration

from .conftest import plan, sign_up

pytestmark = pytest.mark.anyio


async def test_registrations_are_due_for_deletion_from_the_day_the_activity_ends(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session
) -> None:
    late = await plan(
        client,
        auth,
        starts_at=datetime(2099, 3, 1, 9, tzinfo=UTC).isoformat(),
        ends_at=datetime(2099, 3, 3, 15, tzinfo=UTC).isoformat(),
    )
    early = await plan(
        client,
        auth,
        starts_at=datetime(2099, 2, 1, 9, tzinfo=UTC).isoformat(),
        ends_at=datetime(2099, 2, 1, 11, tzinfo=UTC).isoformat(),
    )
    late_one = await sign_up(client, auth, late["id"])
    early_one = await sign_up(client, auth, early["id"])

    def due(on: date, limit: int = 10) -> list[str]:
        rows = activity_repository.due_for_deletion(session=db_session, on=on, limit=limit)
        return [str(r.id) for r in rows]

    assert due(date(2099, 1, 31)) == []
    assert due(date(2099, 2, 1)) == [early_one["id"]]
    assert due(date(2099, 3, 2)) == [early_one["id"]]
    assert due(date(2099, 3, 3)) == [early_one["id"], late_one["id"]]
    assert due(date(2099, 3, 3), limit=1) == [early_one["id"]]


async def test_taking_a_participant_off_the_list_shreds_their_key(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vern_app: FastAPI
) -> None:
    activity = await plan(client, auth)
    registration = await sign_up(client, auth, activity["id"])
    row = db_session.get(ActivityRegistration, uuid.UUID(registration["id"]))
    assert row is not None
    sealed = row.full_name_ct
    response = await client.delete(
        f"/registry/activities/{activity['id']}/registrations/{registration['id']}",
        headers=auth.staff("coordinator"),
    )
    assert response.status_code == 204
    vault: Vault = vern_app.state.vault
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(registration["id"], sealed, context="activity_registration.full_name")
