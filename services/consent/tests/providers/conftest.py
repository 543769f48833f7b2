"""A local recorder standing in for SendGrid's and Mailchimp's APIs (never the internet): it
checks each request against the documented shape and answers as the providers document."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from vern.consent.providers.clients import MailchimpMembers, SendGridContacts, subscriber_hash

SENDGRID_KEY = "SG.test-key"
MAILCHIMP_KEY = "0123456789abcdef-us21"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    body: Any


@dataclass
class Recorder:
    """Both providers' contact APIs, in memory. `fail` makes matching calls answer 500."""

    calls: list[Call] = field(default_factory=list)
    sendgrid_contacts: dict[str, str] = field(default_factory=dict)  # email -> contact id
    sendgrid_imported: bool = True  # whether an upsert job has finished when searched
    mailchimp_members: dict[str, dict[str, str]] = field(default_factory=dict)  # contact_id ->
    fail: set[str] = field(default_factory=set)  # methods that answer 500

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        call = Call(request.method, request.url.path, dict(request.url.params), body)
        self.calls.append(call)
        if request.method in self.fail:
            return httpx.Response(500)
        if request.url.host == "api.sendgrid.com":
            assert request.headers["Authorization"] == f"Bearer {SENDGRID_KEY}"
            return self._sendgrid(call)
        assert request.url.host == "us21.api.mailchimp.com"
        expected = base64.b64encode(f"vern:{MAILCHIMP_KEY}".encode()).decode()
        assert request.headers["Authorization"] == f"Basic {expected}"
        return self._mailchimp(call)

    def _sendgrid(self, call: Call) -> httpx.Response:
        if (call.method, call.path) == ("PUT", "/v3/marketing/contacts"):
            assert set(call.body) == {"list_ids", "contacts"}
            assert all(set(c) == {"email"} for c in call.body["contacts"])
            if self.sendgrid_imported:
                for contact in call.body["contacts"]:
                    self.sendgrid_contacts.setdefault(contact["email"], str(uuid.uuid4()))
            return httpx.Response(202, json={"job_id": str(uuid.uuid4())})
        if (call.method, call.path) == ("POST", "/v3/marketing/contacts/search/emails"):
            found = {
                e: {"contact": {"id": self.sendgrid_contacts[e], "email": e}}
                for e in call.body["emails"]
                if e in self.sendgrid_contacts
            }
            return httpx.Response(200, json={"result": found}) if found else httpx.Response(404)
        if (call.method, call.path) == ("DELETE", "/v3/marketing/contacts"):
            ids = call.params["ids"].split(",")
            self.sendgrid_contacts = {
                e: i for e, i in self.sendgrid_contacts.items() if i not in ids
            }
            return httpx.Response(202, json={"job_id": str(uuid.uuid4())})
        if call.method == "DELETE" and call.path.startswith("/v3/marketing/lists/"):
            assert call.path.endswith("/contacts")
            assert "contact_ids" in call.params
            return httpx.Response(202, json={"job_id": str(uuid.uuid4())})
        raise AssertionError(f"undocumented SendGrid call {call.method} {call.path}")

    def _mailchimp(self, call: Call) -> httpx.Response:
        parts = call.path.split("/")  # ['', '3.0', 'lists', id, 'members', hash]
        assert parts[:3] == ["", "3.0", "lists"]
        assert parts[4] == "members"
        if call.method == "PUT":
            assert parts[5] == subscriber_hash(call.body["email_address"])
            assert call.body["status_if_new"] == "subscribed"
            assert call.body["status"] == "subscribed"
            contact_id = f"c-{parts[5][:8]}"
            self.mailchimp_members[contact_id] = {"status": "subscribed", "list": parts[3]}
            return httpx.Response(200, json={
                "id": parts[5], "contact_id": contact_id,
                "email_address": call.body["email_address"], "status": "subscribed",
            })  # fmt: skip
        if call.method == "PATCH":
            assert call.body == {"status": "unsubscribed"}
            member = self.mailchimp_members.get(parts[5])
            if member is None:
                return httpx.Response(404)
            member["status"] = "unsubscribed"
            return httpx.Response(200, json={"id": parts[5], "status": "unsubscribed"})
        raise AssertionError(f"undocumented Mailchimp call {call.method} {call.path}")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def sendgrid(recorder: Recorder) -> SendGridContacts:
    return SendGridContacts(
        api_key=SENDGRID_KEY, retries=2, transport=httpx.MockTransport(recorder.handle)
    )


@pytest.fixture
def mailchimp(recorder: Recorder) -> MailchimpMembers:
    return MailchimpMembers(
        api_key=MAILCHIMP_KEY, retries=2, transport=httpx.MockTransport(recorder.handle)
    )
