"""remove_address, the interface the provider webhooks use: what goes, what stays, what the
provider hooks see, and the IP truncation rule."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import Session, select

from vern.consent.consents.models import Subscriber, SuppressedAddress, SuppressionReason
from vern.consent.mail.service import SmtpServer
from vern.consent.subscriptions import hooks
from vern.consent.subscriptions.models import Subscription
from vern.consent.subscriptions.network import truncate_ip
from vern.consent.subscriptions.service import actor_principal, remove_address
from vern.kit.audit import AuditEvent
from vern.kit.crypto import Vault

from .conftest import NORMALISED, Inbox, subscribe_and_confirm

pytestmark = pytest.mark.anyio
SENDGRID = actor_principal("sendgrid")


@pytest.fixture
def removals() -> Iterator[list[hooks.AddressRemoval]]:
    seen: list[hooks.AddressRemoval] = []

    def hook(session: Session, vault: Vault, removal: hooks.AddressRemoval) -> None:
        seen.append(removal)

    hooks.address_removed_hooks.append(hook)
    yield seen
    hooks.address_removed_hooks.remove(hook)


async def two_lists(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> str:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox, list_id="partners")
    return vault.blind_index("email", NORMALISED)


async def test_removing_from_every_list_deletes_the_address_and_tells_the_provider_hooks(
    client: httpx.AsyncClient,
    db_session: Session,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
    removals: list[hooks.AddressRemoval],
) -> None:
    email_bidx = await two_lists(client, db_session, vault, smtp, inbox)
    removed = remove_address(
        session=db_session, vault=vault, email_bidx=email_bidx,
        reason=SuppressionReason.bounced, principal=SENDGRID,
    )  # fmt: skip
    assert removed == 2
    assert db_session.exec(select(Subscriber)).all() == []
    [entry] = db_session.exec(select(SuppressedAddress)).all()
    assert (entry.email_bidx, entry.reason) == (email_bidx, "bounced")
    [removal] = removals
    assert removal.email == NORMALISED
    assert removal.address_deleted
    assert sorted(s.list_id for s in removal.subscriptions) == ["general", "partners"]
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "subscriber.delete")
    ).one()
    assert (audit.actor, audit.actor_kind, audit.reason) == ("sendgrid", "machine", "bounced")


async def test_removing_from_one_list_keeps_the_address_for_the_other(
    client: httpx.AsyncClient,
    db_session: Session,
    vault: Vault,
    smtp: SmtpServer,
    inbox: Inbox,
    removals: list[hooks.AddressRemoval],
) -> None:
    email_bidx = await two_lists(client, db_session, vault, smtp, inbox)
    removed = remove_address(
        session=db_session, vault=vault, email_bidx=email_bidx,
        reason=SuppressionReason.unsubscribed, principal=SENDGRID, list_id="partners",
    )  # fmt: skip
    assert removed == 1
    assert [s.list_id for s in db_session.exec(select(Subscription)).all()] == ["general"]
    assert db_session.exec(select(SuppressedAddress)).all() == []
    assert [(r.list_id, r.address_deleted) for r in removals] == [("partners", False)]


async def test_removing_the_last_list_deletes_the_address(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, smtp: SmtpServer, inbox: Inbox
) -> None:
    await subscribe_and_confirm(client, db_session, vault, smtp, inbox)
    email_bidx = vault.blind_index("email", NORMALISED)
    removed = remove_address(
        session=db_session, vault=vault, email_bidx=email_bidx,
        reason=SuppressionReason.spam_report, principal=SENDGRID, list_id="general",
    )  # fmt: skip
    assert removed == 1
    assert db_session.exec(select(Subscriber)).all() == []
    assert len(db_session.exec(select(SuppressedAddress)).all()) == 1


def test_removing_an_unknown_address_only_suppresses_it_and_is_idempotent(
    db_session: Session, vault: Vault
) -> None:
    email_bidx = vault.blind_index("email", "ukjent@example.org")
    for _ in range(2):
        assert (
            remove_address(
                session=db_session,
                vault=vault,
                email_bidx=email_bidx,
                reason=SuppressionReason.cleaned,
                principal=actor_principal("mailchimp"),
            )
            == 0
        )
    [entry] = db_session.exec(select(SuppressedAddress)).all()
    assert entry.reason == "cleaned"


@pytest.mark.parametrize(
    ("host", "network"),
    [
        ("195.159.103.82", "195.159.103.0/24"),
        ("10.0.0.255", "10.0.0.0/24"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"),
        ("fe80::1%eth0", "fe80::/48"),
        ("::ffff:192.0.2.9", "192.0.2.0/24"),
        ("testclient", None),
        (None, None),
    ],
)
def test_ip_addresses_are_truncated_to_24_and_48_bits(
    host: str | None, network: str | None
) -> None:
    assert truncate_ip(host) == network
