"""The provider clients send the documented request shapes."""

from __future__ import annotations

import pytest

from vern.consent.providers.clients import (
    MailchimpMembers,
    ProviderError,
    SendGridContacts,
    mailchimp_base_url,
    subscriber_hash,
)

from .conftest import Recorder


def test_mailchimps_subscriber_hash_is_md5_of_the_lower_cased_address() -> None:
    # Mailchimp's documented example pair: "Urist.McVankab@freddiesjokes.com".
    assert subscriber_hash("Urist.McVankab@freddiesjokes.com") == (
        "62eeb292278cc15f5817cb78f7790b08"
    )


def test_mailchimps_data_centre_comes_from_the_api_key() -> None:
    assert mailchimp_base_url("abc123-us21") == "https://us21.api.mailchimp.com/3.0"
    with pytest.raises(ValueError, match="data centre"):
        mailchimp_base_url("abc123-")


def test_sendgrid_push_is_one_upsert_with_the_list_id(
    sendgrid: SendGridContacts, recorder: Recorder
) -> None:
    refs = sendgrid.push(list_id="list-1", emails=["a@example.org", "b@example.org"])
    assert refs == {"a@example.org": None, "b@example.org": None}
    [call] = recorder.calls
    assert (call.method, call.path) == ("PUT", "/v3/marketing/contacts")
    assert call.body == {
        "list_ids": ["list-1"],
        "contacts": [{"email": "a@example.org"}, {"email": "b@example.org"}],
    }


def test_sendgrid_learns_contact_ids_by_searching_the_addresses(
    sendgrid: SendGridContacts, recorder: Recorder
) -> None:
    recorder.sendgrid_contacts = {"a@example.org": "id-a"}
    assert sendgrid.resolve(emails=["a@example.org", "b@example.org"]) == {"a@example.org": "id-a"}
    assert sendgrid.resolve(emails=["nobody@example.org"]) == {}


def test_sendgrid_removal_sends_only_ids(sendgrid: SendGridContacts, recorder: Recorder) -> None:
    sendgrid.remove(list_id="list-1", refs=["id-a", "id-b"], whole_contact=True)
    sendgrid.remove(list_id="list-1", refs=["id-c"], whole_contact=False)
    assert [(c.method, c.path, c.params) for c in recorder.calls] == [
        ("DELETE", "/v3/marketing/contacts", {"ids": "id-a,id-b"}),
        ("DELETE", "/v3/marketing/lists/list-1/contacts", {"contact_ids": "id-c"}),
    ]


def test_mailchimp_push_upserts_each_member_and_keeps_its_contact_id(
    mailchimp: MailchimpMembers, recorder: Recorder
) -> None:
    refs = mailchimp.push(list_id="aud-1", emails=["Kari@Example.org"])
    digest = subscriber_hash("kari@example.org")
    assert refs == {"Kari@Example.org": f"c-{digest[:8]}"}
    [call] = recorder.calls
    assert (call.method, call.path) == ("PUT", f"/3.0/lists/aud-1/members/{digest}")


def test_mailchimp_removal_unsubscribes_by_contact_id_and_a_missing_member_is_fine(
    mailchimp: MailchimpMembers, recorder: Recorder
) -> None:
    [ref] = mailchimp.push(list_id="aud-1", emails=["kari@example.org"]).values()
    assert ref is not None
    mailchimp.remove(list_id="aud-1", refs=[ref, "c-gone"], whole_contact=True)
    assert recorder.mailchimp_members[ref]["status"] == "unsubscribed"
    assert [c.method for c in recorder.calls] == ["PUT", "PATCH", "PATCH"]
    assert "kari" not in str([c.body for c in recorder.calls[1:]])


def test_a_failing_provider_is_retried_then_reported_without_its_body(
    sendgrid: SendGridContacts, recorder: Recorder
) -> None:
    recorder.fail = {"DELETE"}
    with pytest.raises(ProviderError, match=r"^HTTP 500$"):
        sendgrid.remove(list_id="l", refs=["id-a"], whole_contact=True)
    assert len(recorder.calls) == 2  # retries=2
