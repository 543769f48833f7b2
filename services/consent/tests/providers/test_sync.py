"""Provider sync over the internal API: push confirmed subscribers, remove by the provider's id."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from vern.consent.consents import repository as consent_repository
from vern.consent.consents.models import SuppressionReason
from vern.consent.providers.clients import MailchimpMembers, SendGridContacts
from vern.consent.providers.models import ProviderContact
from vern.consent.subscriptions import service as subscription_service
from vern.consent.subscriptions.models import Subscription, SubscriptionStatus
from vern.kit.crypto import Vault
from vern.kit.orgprofile.schema import NewsletterList
from vern.kit.testing.tokens import Tokens

from ..webhooks.conftest import hold, tables_holding
from .conftest import Recorder

pytestmark = pytest.mark.anyio
URL = "/consent/internal/providers/sync"


def _connect(app: FastAPI, provider: str) -> Iterator[None]:
    profile = app.state.profile
    lists = {
        key: NewsletterList(name_nb=value.name_nb, provider=provider,
                            provider_list_id=f"{provider}-{key}")
        for key, value in profile.newsletter_lists.items()
    }  # fmt: skip
    app.state.profile = profile.model_copy(update={"newsletter_lists": lists})
    try:
        yield
    finally:
        app.state.profile = profile
        app.state.newsletter_providers = None


@pytest.fixture
def on_sendgrid(vern_app: FastAPI, sendgrid: SendGridContacts) -> Iterator[None]:
    vern_app.state.newsletter_providers = {"sendgrid": sendgrid}
    yield from _connect(vern_app, "sendgrid")


@pytest.fixture
def on_mailchimp(vern_app: FastAPI, mailchimp: MailchimpMembers) -> Iterator[None]:
    vern_app.state.newsletter_providers = {"mailchimp": mailchimp}
    yield from _connect(vern_app, "mailchimp")


async def sync(client: httpx.AsyncClient, auth: Tokens) -> dict[str, int]:
    response = await client.post(URL, headers=auth.machine())
    assert response.status_code == 200, response.text
    result: dict[str, int] = response.json()
    return result


async def test_sync_needs_the_internal_scope(client: httpx.AsyncClient, auth: Tokens) -> None:
    assert (await client.post(URL, headers=auth.staff("manager"))).status_code == 403


@pytest.mark.usefixtures("on_sendgrid")
async def test_confirmed_subscribers_are_pushed_and_their_sendgrid_ids_kept_without_address(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder
) -> None:
    kari = hold(db_session, vault, "kari@example.org", "general", "partners")
    hold(db_session, vault, "ola@example.org", "general")
    result = await sync(client, auth)
    assert (result["pushed"], result["resolved"]) == (3, 0)
    puts = [c for c in recorder.calls if c.method == "PUT"]
    assert sorted((c.body["list_ids"][0], len(c.body["contacts"])) for c in puts) == [
        ("sendgrid-general", 2), ("sendgrid-partners", 1)
    ]  # fmt: skip
    again = await sync(client, auth)
    assert (again["pushed"], again["resolved"]) == (0, 3)
    rows = db_session.exec(select(ProviderContact)).all()
    assert all(r.provider_ref for r in rows)
    assert tables_holding(db_session, "kari@example.org") == set()
    assert {r.email_bidx for r in rows} >= {kari.email_bidx}


@pytest.mark.usefixtures("on_sendgrid")
async def test_pending_and_suppressed_addresses_are_never_pushed(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder
) -> None:
    pending = hold(db_session, vault, "pending@example.org", "general")
    for subscription in db_session.exec(
        select(Subscription).where(Subscription.subscriber_id == pending.id)
    ):
        subscription.status = SubscriptionStatus.pending
        db_session.add(subscription)
    suppressed = hold(db_session, vault, "gone@example.org", "general")
    consent_repository.suppress(
        session=db_session, email_bidx=suppressed.email_bidx, reason=SuppressionReason.bounced
    )
    result = await sync(client, auth)
    assert result["pushed"] == 0
    assert recorder.calls == []


@pytest.mark.usefixtures("on_sendgrid")
async def test_an_unsubscribed_address_is_deleted_at_sendgrid_by_its_id_alone(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder
) -> None:
    kari = hold(db_session, vault, "kari@example.org", "general")
    await sync(client, auth)
    await sync(client, auth)
    contact_id = recorder.sendgrid_contacts["kari@example.org"]
    subscription_service.remove_address(
        session=db_session, vault=vault, email_bidx=kari.email_bidx,
        reason=SuppressionReason.unsubscribed, principal=subscription_service.actor_principal("test"),
    )  # fmt: skip
    recorder.calls.clear()
    result = await sync(client, auth)
    assert result["removed"] == 1
    [call] = recorder.calls
    assert (call.method, call.path, call.params) == (
        "DELETE", "/v3/marketing/contacts", {"ids": contact_id}
    )  # fmt: skip
    assert recorder.sendgrid_contacts == {}
    assert db_session.exec(select(ProviderContact)).all() == []
    assert tables_holding(db_session, kari.email_bidx) == {"suppressed_address"}


@pytest.mark.usefixtures("on_sendgrid")
async def test_leaving_one_of_two_lists_takes_the_contact_off_that_list_only(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder
) -> None:
    kari = hold(db_session, vault, "kari@example.org", "general", "partners")
    await sync(client, auth)
    await sync(client, auth)
    contact_id = recorder.sendgrid_contacts["kari@example.org"]
    subscription_service.remove_address(
        session=db_session, vault=vault, email_bidx=kari.email_bidx,
        reason=SuppressionReason.unsubscribed, principal=subscription_service.actor_principal("test"), list_id="partners",
    )  # fmt: skip
    recorder.calls.clear()
    assert (await sync(client, auth))["removed"] == 1
    assert [(c.method, c.path, c.params) for c in recorder.calls] == [
        ("DELETE", "/v3/marketing/lists/sendgrid-partners/contacts", {"contact_ids": contact_id})
    ]


@pytest.mark.usefixtures("on_sendgrid")
async def test_a_failed_removal_is_kept_and_repeated_on_the_next_run(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder
) -> None:
    kari = hold(db_session, vault, "kari@example.org", "general")
    await sync(client, auth)
    await sync(client, auth)
    subscription_service.remove_address(
        session=db_session, vault=vault, email_bidx=kari.email_bidx,
        reason=SuppressionReason.bounced, principal=subscription_service.actor_principal("test"),
    )  # fmt: skip
    recorder.fail = {"DELETE"}
    assert (await sync(client, auth))["failed"] == 1
    [row] = db_session.exec(select(ProviderContact)).all()
    assert (row.removal_attempts, row.last_error) == (1, "HTTP 500")
    recorder.fail = set()
    assert (await sync(client, auth))["removed"] == 1
    assert db_session.exec(select(ProviderContact)).all() == []


@pytest.mark.usefixtures("on_mailchimp")
async def test_mailchimp_members_are_pushed_then_unsubscribed_by_contact_id(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder
) -> None:
    kari = hold(db_session, vault, "kari@example.org", "general")
    assert (await sync(client, auth))["pushed"] == 1
    [row] = db_session.exec(select(ProviderContact)).all()
    assert row.provider_ref in recorder.mailchimp_members
    subscription_service.remove_address(
        session=db_session, vault=vault, email_bidx=kari.email_bidx,
        reason=SuppressionReason.unsubscribed, principal=subscription_service.actor_principal("test"),
    )  # fmt: skip
    recorder.calls.clear()
    assert (await sync(client, auth))["removed"] == 1
    [call] = recorder.calls
    assert (call.method, call.path, call.body) == (
        "PATCH", f"/3.0/lists/mailchimp-general/members/{row.provider_ref}",
        {"status": "unsubscribed"},
    )  # fmt: skip
    assert recorder.mailchimp_members[str(row.provider_ref)]["status"] == "unsubscribed"


@pytest.mark.usefixtures("on_sendgrid")
async def test_a_list_not_connected_to_a_provider_is_skipped(
    client: httpx.AsyncClient, auth: Tokens, db_session: Session, vault: Vault, recorder: Recorder,
    vern_app: FastAPI,
) -> None:  # fmt: skip
    hold(db_session, vault, "kari@example.org", "general")
    vern_app.state.newsletter_providers = {}
    assert (await sync(client, auth))["skipped"] == 1
    assert recorder.calls == []
