"""A day at a counselling centre as HTTP calls: the centre seeded through the APIs, and the mix
of operations the load test draws from (see load_day.py).

Every call is what a persona or system does in a working day, with that persona's real token from
the dev IdP: counsellors read their clients and record contacts, the coordinator works the waiting
list, the manager reads statistics, the request queue and the scheduler's runs, the DPO lists
break-glass reads and previews retention, the public signs up for the newsletter (each visitor
from a network of its own, so the per-network rate limit holds as configured), SendGrid posts
signed event batches, and clients ask for their data with BankID.
"""

from __future__ import annotations

import asyncio
import email
import mailbox
import random
import re
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import httpx

from tests.bench.sendgrid_webhook import Key
from vern.kit.devstack import SERVICES
from vern.kit.devtoken import fetch_client_token, fetch_persona_token, load_personas

COUNSELLORS = ("counsellor", "counsellor2")
STAFF = ("counsellor", "counsellor2", "coordinator", "manager", "dpo")
CLIENTS = ("client1", "client2")
FIRST = ("Kari", "Ola", "Ingrid", "Lars", "Silje", "Morten", "Hanne", "Eirik", "Nora", "Sindre")
LAST = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen")
CONFIRM_LINK = re.compile(r"/consent/subscriptions/confirm/([A-Za-z0-9_\-]+)")
WEBHOOK_EVENTS = 20


def url(service: str, path: str) -> str:
    return f"http://127.0.0.1:{SERVICES[service]}/{service}{path}"


def fetch_tokens() -> dict[tuple[str, str], dict[str, str]]:
    """Real access tokens from the dev IdP: each staff persona for every service, clients for dsar."""
    wanted = [(p, s) for p in STAFF for s in SERVICES] + [(c, "dsar") for c in CLIENTS]
    tokens = {
        (persona, service): {
            "Authorization": "Bearer "
            + fetch_persona_token(persona, resource=f"urn:vern:{service}")
        }
        for persona, service in wanted
    }
    # The scheduler's own identity, to send consent's queued mail while seeding.
    machine = fetch_client_token("vern-scheduler", "dev-secret-vern-scheduler",
                                 resource="urn:vern:consent", scope="consent:internal")  # fmt: skip
    tokens[("vern-scheduler", "consent")] = {"Authorization": f"Bearer {machine}"}
    return tokens


@dataclass
class Centre:
    """What the seeding left behind, for the day's calls to pick from."""

    tokens: dict[tuple[str, str], dict[str, str]]
    webhook_key: Key
    mail_dir: Path
    clients_of: dict[str, list[str]] = field(default_factory=dict)
    waitlist: list[str] = field(default_factory=list)
    subscribers: list[str] = field(default_factory=list)
    sequence: int = 0

    def next(self) -> int:
        self.sequence += 1
        return self.sequence

    def headers(self, persona: str, service: str) -> dict[str, str]:
        return self.tokens[(persona, service)]


def visitor(n: int) -> dict[str, str]:
    """A member of the public from a network of their own (10.0.0.0/8, one /24 per visitor)."""
    return {"X-Forwarded-For": f"10.{(n >> 8) & 255}.{n & 255}.{1 + n % 250}"}


def person_body(n: int, counsellor_sub: str, rng: random.Random) -> dict[str, Any]:
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    return {
        "full_name": f"{first} Last{n} {last}",
        "email": f"klient{n}@example.org",
        "phone": f"+4790{n:06d}",
        "birth_date": str(date(1960 + n % 45, 1 + n % 12, 1 + n % 28)),
        "gender": rng.choice(["female", "male", "other", "unknown"]),
        "heard_about": rng.choice(["friends_family", "help_services", "internet", "other"]),
        "intake_date": str(date.today() - timedelta(days=rng.randint(0, 700))),
        "newsletter_opt_in": n % 5 == 0,
        "assigned_counsellor_id": counsellor_sub,
    }


def _ok(response: httpx.Response, *codes: int) -> httpx.Response:
    if response.status_code not in codes:
        # The method and status only: a path may hold a confirmation token.
        raise RuntimeError(f"seeding: {response.request.method} answered {response.status_code}")
    return response


async def _bounded(calls: list[Callable[[], Awaitable[Any]]], concurrency: int) -> list[Any]:
    gate = asyncio.Semaphore(concurrency)

    async def one(call: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call()

    return await asyncio.gather(*(one(c) for c in calls))


def _mail_text(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    text = ""
    for part in parts:
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            text += payload.decode(errors="replace")
    return text


def confirmation_links(mail_dir: Path) -> Counter[str]:
    """How many mails in the SMTP sink carry each confirmation token."""
    found: Counter[str] = Counter()
    if not mail_dir.exists():
        return found
    for message in mailbox.Maildir(str(mail_dir), factory=None, create=False):
        text = _mail_text(email.message_from_bytes(bytes(message)))
        found.update(set(CONFIRM_LINK.findall(text)))
    return found


def confirmation_tokens(mail_dir: Path) -> set[str]:
    return set(confirmation_links(mail_dir))


async def seed(
    centre: Centre, http: httpx.AsyncClient, *, clients: int, waitlist: int, subscribers: int
) -> None:
    """Clients with contacts (some opting in to the newsletter), a waiting list and confirmed
    newsletter subscribers, all through the public APIs."""
    rng = random.Random(8)
    subs = {name: load_personas()[name]["sub"] for name in COUNSELLORS}
    coordinator = centre.headers("coordinator", "registry")

    async def add_client(n: int) -> None:
        counsellor = COUNSELLORS[n % 2]
        created = _ok(await http.post(url("registry", "/persons"), headers=coordinator,
                                      json=person_body(n, subs[counsellor], rng)), 201)  # fmt: skip
        person_id = created.json()["id"]
        centre.clients_of.setdefault(counsellor, []).append(person_id)
        for days in (rng.randint(1, 300), rng.randint(0, 30)):
            _ok(await http.post(
                url("registry", f"/persons/{person_id}/contacts"),
                headers=centre.headers(counsellor, "registry"),
                json={"kind": rng.choice(["session", "phone", "video"]),
                      "occurred_at": (datetime.now(UTC) - timedelta(days=days)).isoformat()},
            ), 201)  # fmt: skip

    async def add_waiting(n: int) -> None:
        body = {"full_name": f"Venter Last{n}", "phone": f"+4791{n:06d}", "new_user": n % 3 == 0}
        entry = _ok(await http.post(url("registry", "/waitlist"), headers=coordinator, json=body),
                    201)  # fmt: skip
        centre.waitlist.append(entry.json()["id"])

    async def subscribe(n: int) -> None:
        address = f"abonnent{n}@example.org"
        _ok(await http.post(url("consent", "/subscriptions"), headers=visitor(n),
                            json={"email": address, "list_id": "general"}), 202)  # fmt: skip
        centre.subscribers.append(address)

    await _bounded([lambda n=n: add_client(n) for n in range(clients)], 8)  # type: ignore[misc]
    await _bounded([lambda n=n: add_waiting(n) for n in range(waitlist)], 8)  # type: ignore[misc]
    await _bounded([lambda n=n: subscribe(n) for n in range(subscribers)], 8)  # type: ignore[misc]
    centre.sequence = max(clients, waitlist, subscribers)
    tokens: set[str] = set()
    for _ in range(30):  # what is still queued is sent as the scheduler would; at most ~60 s
        _ok(await http.post(url("consent", "/internal/outbox/deliver"),
                            headers=centre.headers("vern-scheduler", "consent")), 200)  # fmt: skip
        tokens = confirmation_tokens(centre.mail_dir)
        if len(tokens) >= subscribers:
            break
        await asyncio.sleep(1)

    async def confirm(token: str) -> None:
        _ok(await http.post(url("consent", f"/subscriptions/confirm/{token}")), 200)

    await _bounded([lambda t=t: confirm(t) for t in sorted(tokens)], 8)  # type: ignore[misc]
    print(f"seeded {clients} clients with {2 * clients} contacts, {waitlist} on the waiting list, "
          f"{len(tokens)} of {subscribers} newsletter subscribers confirmed", flush=True)  # fmt: skip


Call = Callable[[Centre, httpx.AsyncClient, random.Random], Awaitable[httpx.Response]]


INTERACTIVE_MS = 100.0
FAN_OUT_MS = 1000.0


@dataclass(frozen=True)
class Operation:
    """One kind of call. `objective_ms` is the p99 it must stay under: 100 ms for what a person
    waits for on a screen; a second for calls that gather from other services over HTTP while
    the caller waits (an access request's package, the retention preview across services) or
    apply a batch (a SendGrid batch of 20 events)."""

    name: str
    service: str
    weight: float
    call: Call
    expected: frozenset[int] = frozenset({200})
    objective_ms: float = INTERACTIVE_MS

    @property
    def interactive(self) -> bool:
        return self.objective_ms <= INTERACTIVE_MS


def _counsellor_and_client(centre: Centre, rng: random.Random) -> tuple[str, str]:
    counsellor = rng.choice(COUNSELLORS)
    return counsellor, rng.choice(centre.clients_of[counsellor])


async def read_client(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    who, person = _counsellor_and_client(c, rng)
    return await http.get(url("registry", f"/persons/{person}"), headers=c.headers(who, "registry"))


async def list_own_clients(
    c: Centre, http: httpx.AsyncClient, rng: random.Random
) -> httpx.Response:
    who = rng.choice(COUNSELLORS)
    return await http.get(url("registry", "/persons"), params={"limit": 50},
                          headers=c.headers(who, "registry"))  # fmt: skip


async def list_contacts(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    who, person = _counsellor_and_client(c, rng)
    return await http.get(url("registry", f"/persons/{person}/contacts"),
                          headers=c.headers(who, "registry"))  # fmt: skip


async def record_contact(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    who, person = _counsellor_and_client(c, rng)
    body = {"kind": rng.choice(["session", "phone", "email", "video"]),
            "occurred_at": datetime.now(UTC).isoformat()}  # fmt: skip
    return await http.post(url("registry", f"/persons/{person}/contacts"), json=body,
                           headers=c.headers(who, "registry"))  # fmt: skip


async def list_waitlist(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    return await http.get(url("registry", "/waitlist"), params={"limit": 50},
                          headers=c.headers("coordinator", "registry"))  # fmt: skip


async def add_to_waitlist(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    n = c.next()
    body = {
        "full_name": f"Venter Last{n}",
        "phone": f"+4791{n:06d}",
        "new_user": rng.random() < 0.3,
    }
    return await http.post(url("registry", "/waitlist"), json=body,
                           headers=c.headers("coordinator", "registry"))  # fmt: skip


async def statistics(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    today = date.today()
    return await http.get(url("registry", "/statistics"),
                          params={"year": today.year, "month": rng.randint(1, today.month)},
                          headers=c.headers("manager", "registry"))  # fmt: skip


async def break_glass_list(
    c: Centre, http: httpx.AsyncClient, rng: random.Random
) -> httpx.Response:
    return await http.get(url("registry", "/audit/break-glass"), params={"limit": 50},
                          headers=c.headers("dpo", "registry"))  # fmt: skip


async def break_glass_read(
    c: Centre, http: httpx.AsyncClient, rng: random.Random
) -> httpx.Response:
    # A counsellor covering for a colleague reads one of the colleague's clients.
    person = rng.choice(c.clients_of["counsellor"])
    return await http.post(url("registry", f"/persons/{person}/break-glass"),
                           json={"reason": "Dekker for kollega ved akutt henvendelse"},
                           headers=c.headers("counsellor2", "registry"))  # fmt: skip


async def sign_up(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    n = c.next()
    return await http.post(url("consent", "/subscriptions"), headers=visitor(n),
                           json={"email": f"ny{n}@example.org", "list_id": "general"})  # fmt: skip


async def sign_up_form(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    n = c.next()
    return await http.post(url("consent", "/subscribe"), headers=visitor(n),
                           data={"email": f"skjema{n}@example.org", "list_id": "partners"})  # fmt: skip


async def webhook_batch(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    """A signed SendGrid batch: deliveries and opens, now and then an unsubscribe or a bounce of
    a subscriber Vern holds (which deletes the address)."""
    events: list[dict[str, Any]] = []
    for _ in range(WEBHOOK_EVENTS):
        kind = rng.choices(["delivered", "open", "click", "unsubscribe", "bounce"],
                           weights=[50, 30, 10, 5, 5])[0]  # fmt: skip
        address = rng.choice(c.subscribers) if c.subscribers else f"ukjent{c.next()}@example.org"
        event: dict[str, Any] = {"email": address, "event": kind, "sg_event_id": uuid.uuid4().hex,
                                 "sg_message_id": f"{uuid.uuid4().hex}.filter0001",
                                 "timestamp": int(datetime.now(UTC).timestamp())}  # fmt: skip
        if kind == "bounce":
            event["type"] = "bounce"
        events.append(event)
    body = httpx.Request("POST", "/", json=events).content
    return await http.post(url("consent", "/webhooks/sendgrid"), content=body,
                           headers=c.webhook_key.headers(body))  # fmt: skip


async def access_request(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    # Self-service with BankID: the national id comes from the token.
    return await http.post(url("dsar", "/requests"), json={"type": "access"},
                           headers=c.headers(rng.choice(CLIENTS), "dsar"))  # fmt: skip


async def request_queue(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    return await http.get(url("dsar", "/requests"), params={"limit": 50},
                          headers=c.headers("manager", "dsar"))  # fmt: skip


async def scheduler_runs(c: Centre, http: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    return await http.get(url("scheduler", "/runs"), params={"limit": 50},
                          headers=c.headers(rng.choice(["manager", "dpo"]), "scheduler"))  # fmt: skip


async def retention_preview(
    c: Centre, http: httpx.AsyncClient, rng: random.Random
) -> httpx.Response:
    return await http.get(url("scheduler", "/retention/preview"),
                          headers=c.headers("dpo", "scheduler"))  # fmt: skip


# Weights: how often each call happens in a day, per 100 calls.
DAY: tuple[Operation, ...] = (
    Operation("counsellor reads a client", "registry", 24, read_client),
    Operation("counsellor lists own clients", "registry", 8, list_own_clients),
    Operation("counsellor lists contacts", "registry", 8, list_contacts),
    Operation("counsellor records a contact", "registry", 10, record_contact, frozenset({201})),
    Operation("coordinator lists waiting list", "registry", 5, list_waitlist),
    Operation("coordinator adds to waiting list", "registry", 2, add_to_waitlist, frozenset({201})),
    Operation("manager reads statistics", "registry", 2, statistics),
    Operation("DPO lists break-glass reads", "registry", 2, break_glass_list),
    Operation("counsellor reads by break glass", "registry", 1, break_glass_read),
    Operation("public signs up (API)", "consent", 4, sign_up, frozenset({202})),
    Operation("public signs up (form)", "consent", 2, sign_up_form),
    Operation("SendGrid event batch", "consent", 2, webhook_batch, objective_ms=FAN_OUT_MS),
    Operation("client asks for access", "dsar", 2, access_request, frozenset({201}), FAN_OUT_MS),
    Operation("manager reads request queue", "dsar", 4, request_queue),
    Operation("scheduler runs list", "scheduler", 4, scheduler_runs),
    Operation("DPO previews retention", "scheduler", 1, retention_preview, objective_ms=FAN_OUT_MS),
)
