"""HTTP clients for the newsletter providers' contact APIs, with timeouts and retries.

SendGrid Marketing Campaigns (v3, `Authorization: Bearer <API key>`):
- `PUT /v3/marketing/contacts` `{"list_ids": [...], "contacts": [{"email": ...}]}` -> 202
  `{"job_id": ...}`: an asynchronous upsert, whose answer carries no contact ids;
- `POST /v3/marketing/contacts/search/emails` `{"emails": [...]}` -> 200
  `{"result": {"<email>": {"contact": {"id": ...}}}}` (404 when none is found): the contact ids;
- `DELETE /v3/marketing/contacts?ids=<id>,<id>` -> 202 `{"job_id": ...}`: deletes contacts;
- `DELETE /v3/marketing/lists/{list_id}/contacts?contact_ids=<id>` -> 202: off one list only.

Mailchimp Marketing (3.0, basic auth with the API key; the data centre is the key's suffix):
- `PUT /3.0/lists/{list_id}/members/{subscriber_hash}` (MD5 of the lower-cased address)
  `{"email_address", "status_if_new": "subscribed", "status": "subscribed"}` -> 200 the member,
  with its `contact_id`;
- `PATCH /3.0/lists/{list_id}/members/{contact_id}` `{"status": "unsubscribed"}`: the removal,
  which needs no address (the member path accepts the subscriber hash or the contact id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ProviderError(Exception):
    """A provider call failed; the message holds the status or error class, never a body."""


class NewsletterProvider(Protocol):
    """What the sync needs of a provider."""

    name: str

    def push(self, *, list_id: str, emails: Sequence[str]) -> dict[str, str | None]:
        """Subscribes the addresses; returns each address's contact id (None: not known yet)."""
        ...

    def resolve(self, *, emails: Sequence[str]) -> dict[str, str]:
        """The contact ids of the addresses the provider has now."""
        ...

    def remove(self, *, list_id: str, refs: Sequence[str], whole_contact: bool) -> None:
        """Takes contacts off a list (or deletes them) by their ids alone."""
        ...


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in RETRY_STATUSES


class _Http:
    """One provider's base URL and auth, every call retried on transport errors, 429 and 5xx."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth,
        timeout: float,
        retries: int,
        transport: httpx.BaseTransport | None,
    ) -> None:
        self._client = httpx.Client(
            base_url=base_url, auth=auth, timeout=timeout, transport=transport
        )
        self._retries = retries

    def call(self, method: str, path: str, *, ok: Sequence[int] = (), **kwargs: Any) -> Any:
        """Sends the request; returns the JSON answer (None when empty). Statuses in `ok` count
        as success as well (e.g. 404 for a contact that is already gone)."""
        try:
            for attempt in Retrying(
                stop=stop_after_attempt(max(1, self._retries)),
                wait=wait_random_exponential(multiplier=0.2, max=3.0),
                retry=retry_if_exception(_retryable),
                reraise=True,
            ):
                with attempt:
                    response = self._client.request(method, path, **kwargs)
                    if response.status_code not in ok:
                        response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            raise ProviderError(f"HTTP {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(type(exc).__name__) from exc
        if not response.content or response.status_code in ok:
            return None
        return response.json()

    def close(self) -> None:
        self._client.close()


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class SendGridContacts:
    name = "sendgrid"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "https://api.sendgrid.com",
        timeout: float = 10.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = _Http(
            base_url=base_url, auth=_Bearer(api_key), timeout=timeout, retries=retries,
            transport=transport,
        )  # fmt: skip

    def push(self, *, list_id: str, emails: Sequence[str]) -> dict[str, str | None]:
        body = {"list_ids": [list_id], "contacts": [{"email": e} for e in emails]}
        self._http.call("PUT", "/v3/marketing/contacts", json=body)
        return dict.fromkeys(emails)

    def resolve(self, *, emails: Sequence[str]) -> dict[str, str]:
        answer = self._http.call(
            "POST", "/v3/marketing/contacts/search/emails", json={"emails": list(emails)},
            ok=(404,),
        )  # fmt: skip
        found: Mapping[str, Any] = (answer or {}).get("result", {})
        refs = {}
        for email, entry in found.items():
            contact = entry.get("contact") if isinstance(entry, dict) else None
            if isinstance(contact, dict) and isinstance(contact.get("id"), str):
                refs[email.lower()] = contact["id"]
        return refs

    def remove(self, *, list_id: str, refs: Sequence[str], whole_contact: bool) -> None:
        if whole_contact:
            self._http.call("DELETE", "/v3/marketing/contacts", params={"ids": ",".join(refs)})
        else:
            self._http.call(
                "DELETE", f"/v3/marketing/lists/{list_id}/contacts",
                params={"contact_ids": ",".join(refs)},
            )  # fmt: skip


def subscriber_hash(email: str) -> str:
    """Mailchimp's member id: MD5 of the lower-cased address (an identifier, not security)."""
    return hashlib.md5(email.lower().encode(), usedforsecurity=False).hexdigest()


def mailchimp_base_url(api_key: str) -> str:
    """`https://<dc>.api.mailchimp.com/3.0` for a key ending in `-<dc>`."""
    _, _, data_centre = api_key.rpartition("-")
    if not data_centre.isalnum():
        raise ValueError("the Mailchimp API key has no data centre suffix")
    return f"https://{data_centre}.api.mailchimp.com/3.0"


class MailchimpMembers:
    name = "mailchimp"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = _Http(
            base_url=base_url or mailchimp_base_url(api_key),
            auth=httpx.BasicAuth("vern", api_key), timeout=timeout, retries=retries,
            transport=transport,
        )  # fmt: skip

    def push(self, *, list_id: str, emails: Sequence[str]) -> dict[str, str | None]:
        refs: dict[str, str | None] = {}
        for email in emails:
            member = self._http.call(
                "PUT", f"/lists/{list_id}/members/{subscriber_hash(email)}",
                json={"email_address": email, "status_if_new": "subscribed",
                      "status": "subscribed"},
            )  # fmt: skip
            ref = (member or {}).get("contact_id") or (member or {}).get("id")
            refs[email] = str(ref) if ref else subscriber_hash(email)
        return refs

    def resolve(self, *, emails: Sequence[str]) -> dict[str, str]:
        return {}  # every push answers with the member's id

    def remove(self, *, list_id: str, refs: Sequence[str], whole_contact: bool) -> None:
        for ref in refs:
            self._http.call(
                "PATCH", f"/lists/{list_id}/members/{ref}", json={"status": "unsubscribed"},
                ok=(404,),
            )  # fmt: skip
