"""Mailchimp's audience webhook over HTTP: the URL secret, GET validation, and each event type."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from vern.consent.consents.models import Subscriber, SuppressedAddress, SuppressionReason
from vern.consent.subscriptions import repository as subscription_repository
from vern.kit.crypto import Vault
from vern.kit.orgprofile.schema import NewsletterList

from .conftest import MAILCHIMP_SECRET, hold, row_counts, tables_holding

pytestmark = pytest.mark.anyio
URL = "/consent/webhooks/mailchimp/"


@pytest.fixture
def mailchimp_lists(vern_app: FastAPI) -> Iterator[None]:
    """The profile's two lists live at Mailchimp, as audiences aud-general and aud-partners."""
    profile = vern_app.state.profile
    lists = {
        key: NewsletterList(name_nb=value.name_nb, provider="mailchimp",
                            provider_list_id=f"aud-{key}")
        for key, value in profile.newsletter_lists.items()
    }  # fmt: skip
    vern_app.state.profile = profile.model_copy(update={"newsletter_lists": lists})
    try:
        yield
    finally:
        vern_app.state.profile = profile


@pytest.mark.usefixtures("mailchimp_secret")
async def test_mailchimps_get_validation_is_answered(client: httpx.AsyncClient) -> None:
    response = await client.get(URL + MAILCHIMP_SECRET)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.usefixtures("mailchimp_secret")
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("secret", ["wrong", MAILCHIMP_SECRET[:-1], MAILCHIMP_SECRET + "x"])
async def test_a_wrong_secret_looks_like_no_endpoint_and_changes_nothing(
    client: httpx.AsyncClient, db_session: Session, vault: Vault, method: str, secret: str
) -> None:
    hold(db_session, vault, "kari@example.org")
    before = row_counts(db_session)
    response = await client.request(
        method, URL + secret, data={"type": "unsubscribe", "data[email]": "kari@example.org"}
        if method == "POST" else None,
    )  # fmt: skip
    assert response.status_code == 404
    assert row_counts(db_session) == before


async def test_without_a_configured_secret_the_endpoint_does_not_exist(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get(URL + MAILCHIMP_SECRET)).status_code == 404


@pytest.mark.usefixtures("mailchimp_secret", "mailchimp_lists")
async def test_unsubscribe_deletes_the_address_from_that_audiences_list_only(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org", "general", "partners")
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "unsubscribe", "data[email]": "Kari@Example.org",
              "data[list_id]": "aud-partners", "data[action]": "unsub"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["removed"] == 1
    left = subscription_repository.of_subscriber(session=db_session, subscriber_id=subscriber.id)
    assert [s.list_id for s in left] == ["general"]


@pytest.mark.usefixtures("mailchimp_secret", "mailchimp_lists")
async def test_unsubscribe_from_the_last_list_leaves_only_the_suppressed_hash(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org", "general")
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "unsubscribe", "data[email]": "kari@example.org",
              "data[list_id]": "aud-general"},
    )  # fmt: skip
    assert response.json()["removed"] == 1
    assert tables_holding(db_session, "kari@example.org", subscriber.email_bidx) == {
        "suppressed_address"
    }


@pytest.mark.usefixtures("mailchimp_secret", "mailchimp_lists")
async def test_cleaned_deletes_the_address_from_every_list(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org", "general", "partners")
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "cleaned", "data[email]": "kari@example.org",
              "data[list_id]": "aud-general", "data[reason]": "hard"},
    )  # fmt: skip
    assert response.json()["removed"] == 2
    assert db_session.get(Subscriber, subscriber.id) is None
    suppressed = db_session.get(SuppressedAddress, subscriber.email_bidx)
    assert suppressed is not None
    assert suppressed.reason == SuppressionReason.bounced
    assert tables_holding(db_session, "kari@example.org", subscriber.email_bidx) == {
        "suppressed_address"
    }


@pytest.mark.usefixtures("mailchimp_secret", "mailchimp_lists")
async def test_upemail_deletes_the_old_address_and_subscribes_nothing_new(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "old@example.org", "general")
    before = row_counts(db_session)
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "upemail", "data[list_id]": "aud-general", "data[new_id]": "x1",
              "data[new_email]": "new@example.org", "data[old_email]": "old@example.org"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert db_session.get(Subscriber, subscriber.id) is None
    new_bidx = vault.blind_index("email", "new@example.org")
    assert tables_holding(db_session, "new@example.org", new_bidx) == set()
    assert row_counts(db_session)["subscriber"] == before["subscriber"] - 1


@pytest.mark.usefixtures("mailchimp_secret")
async def test_profile_changes_are_ignored_and_nothing_personal_is_stored(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org")
    before = row_counts(db_session)
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "profile", "data[email]": "kari@example.org", "data[list_id]": "aud-general",
              "data[merges][FNAME]": "Kari"},
    )  # fmt: skip
    assert response.json() == {
        "received": 1, "ignored": 1, "duplicates": 0, "removed": 0, "suppressed": 0
    }  # fmt: skip
    assert db_session.get(Subscriber, subscriber.id) is not None
    after = row_counts(db_session)
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }
    assert tables_holding(db_session, "Kari") == set()


@pytest.mark.usefixtures("mailchimp_secret")
@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"type": "unsubscribe"}, "data[email]"),
        ({"type": "unsubscribe", "data[email]": "not-an-address"}, "data[email]"),
        ({"data[email]": "kari@example.org"}, "type"),
    ],
)
async def test_an_event_without_a_usable_address_is_refused_naming_the_field(
    client: httpx.AsyncClient, db_session: Session, form: dict[str, str], field: str
) -> None:
    before = row_counts(db_session)
    response = await client.post(URL + MAILCHIMP_SECRET, data=form)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert "not-an-address" not in response.text
    assert row_counts(db_session) == before


@pytest.mark.usefixtures("mailchimp_secret")
async def test_no_log_line_shows_mailchimps_secret(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "unsubscribe", "data[email]": "logged@example.org"},
    )
    assert response.status_code == 200
    routes = [r.msg["route"] for r in caplog.records if r.name == "vern.access"]
    assert routes == ["/consent/webhooks/mailchimp/{secret}"]
    assert MAILCHIMP_SECRET not in caplog.text


@pytest.mark.usefixtures("mailchimp_secret", "mailchimp_lists")
async def test_an_unsubscribe_from_an_audience_vern_does_not_know_leaves_every_list(
    client: httpx.AsyncClient, db_session: Session, vault: Vault
) -> None:
    subscriber = hold(db_session, vault, "kari@example.org", "general", "partners")
    response = await client.post(
        URL + MAILCHIMP_SECRET,
        data={"type": "unsubscribe", "data[email]": "kari@example.org",
              "data[list_id]": "aud-unknown"},
    )  # fmt: skip
    assert response.json()["removed"] == 2
    assert db_session.get(Subscriber, subscriber.id) is None
