"""After an unsubscribe no table but suppressed_address holds anything of the address: not the
plaintext, and no ciphertext anyone can still decrypt."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from vern.consent.consents.models import SuppressedAddress
from vern.consent.mail.service import SmtpServer
from vern.consent.subscriptions import tokens
from vern.consent.subscriptions.models import Subscription
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.testing.tokens import Tokens

from ..conftest import record
from .conftest import Inbox, subscribe_and_confirm

pytestmark = pytest.mark.anyio

PLAINTEXTS = ("ingrid.nordmann", "Ingrid.Nordmann", "Nordmann", "nordmann@", "sigrid.fjell")
CONTEXTS = ("subscriber.email", "mail_message", "outbox.payload")


def every_text_value(session: Session) -> dict[str, list[str]]:
    """Every non-empty text value in every table of the data database, by table."""
    connection = session.connection()
    values: dict[str, list[str]] = {}
    for table in inspect(connection).get_table_names():
        if table == "alembic_version":
            continue
        rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()  # noqa: S608
        values[table] = [str(v) for row in rows for v in row if isinstance(v, str) and v]
    return values


def assert_nothing_of_the_address_remains(
    session: Session, vault: Vault, subscriber_id: uuid.UUID, email_bidx: str
) -> None:
    for table, found in every_text_value(session).items():
        for value in found:
            for plaintext in PLAINTEXTS:
                assert plaintext not in value, (table, plaintext)
            if table == "suppressed_address":
                continue
            assert email_bidx not in value, table  # not even its keyed hash
            if value.startswith("v1."):
                for context in CONTEXTS:
                    with pytest.raises((SubjectKeyMissing, ValueError)):
                        vault.decrypt(str(subscriber_id), value, context=context)
    [entry] = session.exec(select(SuppressedAddress)).all()
    assert entry.email_bidx == email_bidx


async def test_after_a_one_click_unsubscribe_only_the_keyed_hash_remains(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    [subscription] = db_session.exec(select(Subscription)).all()
    subscriber_id = subscription.subscriber_id
    email_bidx = vault.blind_index("email", "ingrid.nordmann@example.org")
    before = every_text_value(db_session)
    assert any(v.startswith("v1.") for v in before["subscriber"])  # the address was there
    token = tokens.unsubscribe_token(vault, subscription)
    response = await client.post(
        f"/consent/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert_nothing_of_the_address_remains(db_session, vault, subscriber_id, email_bidx)
    [email_ct] = [v for v in before["subscriber"] if v.startswith("v1.")]
    with pytest.raises(SubjectKeyMissing):
        vault.decrypt(str(subscriber_id), email_ct, context="subscriber.email")


async def test_after_the_registry_reports_a_withdrawal_only_the_keyed_hash_remains(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault
) -> None:
    given = await record(client, auth)
    await record(client, auth, event="withdrawn", email=None)
    assert_nothing_of_the_address_remains(
        db_session,
        vault,
        uuid.UUID(given["subscriber_id"]),
        vault.blind_index("email", "sigrid.fjell@example.org"),
    )
