"""A year of nights through the scheduler: the scheduler's own nightly retention job, fired at each
time its trigger gives (02:00 Europe/Oslo, across both daylight-saving changes and 29 February),
sweeps a Nok. Bergen register that was filled through the registry's API. Each waiting-list entry
goes 30 days after a counsellor was assigned and each client 3 years after the last contact with
a counsellor: on that Oslo date, not a day earlier, key and all.

The clock is time-machine's, moved to each instant in turn (an API call, a night's 02:00). A real
process cannot follow that clock, so both services run in this process: the registry as its ASGI
app behind the scheduler's own service client (a sync transport over Starlette's TestClient), the
scheduler's job runner as APScheduler calls it (`run_scheduled`, the stored entry point).
Expected dates are the test's own, computed in Oslo calendar terms.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session, col
from sqlmodel import select as sqlmodel_select

from vern.kit.auth import TokenVerifier
from vern.kit.crypto import subject_key
from vern.kit.migrations import upgrade_service
from vern.kit.servicecli import migrations_dir
from vern.kit.settings import TrustedIssuer
from vern.kit.testing.tokens import TEST_ISSUER, TokenFactory
from vern.registry.config import RegistrySettings
from vern.registry.counsellors.models import Counsellor
from vern.registry.main import create_app as create_registry
from vern.registry.persons.models import Person
from vern.registry.waitlist.models import WaitlistEntry
from vern.scheduler.config import SchedulerSettings
from vern.scheduler.jobs import runner
from vern.scheduler.jobs.definitions import sweep_job_id
from vern.scheduler.jobs.runner import JobRunner
from vern.scheduler.main import create_app as create_scheduler
from vern.scheduler.peers import peers
from vern.scheduler.runs.models import JobRun, RetentionDeletion

from .processes import ROOT

pytestmark = pytest.mark.integration

OSLO = ZoneInfo("Europe/Oslo")  # on purpose not the kit's: the expectations are the test's own
PROFILE = ROOT / "deploy" / "orgs" / "nokbergen.yaml"
REGISTRY_AUDIENCE = "urn:vern:registry"
SWEEP = sweep_job_id("registry")
COUNSELLOR = "counsellor-1"
BATCH = 3  # small, so that the busy nights take several batches
# The register is filled at noon on SEEDED; the nights run from then to LAST_NIGHT: more than a
# year, holding 28 February 2027, the daylight-saving nights of 2027 and March 2028, 29 Feb 2028.
SEEDED = datetime(2027, 1, 10, 12, 0, tzinfo=OSLO)
LAST_NIGHT = date(2028, 4, 5)
TIMES = [clock_time(0, 30), clock_time(23, 30), clock_time(12, 0), clock_time(1, 30)]
AWKWARD_ASSIGNMENTS = [
    datetime(2027, 2, 26, 23, 30, tzinfo=OSLO),  # 30 days cross the spring change of 2027
    datetime(2027, 3, 28, 0, 30, tzinfo=OSLO),  # the night of the change, before 02:00
    datetime(2027, 3, 28, 23, 30, tzinfo=OSLO),
    datetime(2027, 10, 1, 23, 30, tzinfo=OSLO),  # 30 days end on the autumn change of 2027
    datetime(2027, 10, 31, 0, 30, tzinfo=OSLO),  # the night 02:00 comes twice
    datetime(2028, 1, 30, 23, 30, tzinfo=OSLO),  # due on 29 February 2028
    datetime(2028, 1, 31, 0, 30, tzinfo=OSLO),  # due on 1 March 2028
    datetime(2028, 2, 29, 0, 30, tzinfo=OSLO),
    datetime(2028, 3, 6, 23, 30, tzinfo=OSLO),  # 30 days cross the spring change of 2028
]
AWKWARD_CONTACTS = [
    datetime(2024, 2, 28, 23, 30, tzinfo=OSLO),
    datetime(2024, 2, 29, 0, 30, tzinfo=OSLO),  # 3 years on is 28 February 2027
    datetime(2024, 2, 29, 23, 30, tzinfo=OSLO),
    datetime(2024, 3, 31, 23, 30, tzinfo=OSLO),
    datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=OSLO),  # happens twice in Oslo
    datetime(2025, 2, 28, 23, 30, tzinfo=OSLO),  # 3 years on is 28 February 2028, a leap year
    datetime(2025, 3, 30, 0, 30, tzinfo=OSLO),
]


@dataclass
class Row:
    """One subject: its id (once created) and the Oslo date the test expects it gone."""

    kind: str  # "client" or "waitlist"
    due: date | None
    id: str = ""


def oslo_day(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def three_years_on(day: date) -> date:
    if (day.month, day.day) == (2, 29):
        return date(day.year + 3, 2, 28)
    return day.replace(year=day.year + 3)


def spread(first: date, last: date, every: int) -> list[datetime]:
    days = (last - first).days // every + 1
    return [
        datetime.combine(first + timedelta(days=i * every), TIMES[i % len(TIMES)], tzinfo=OSLO)
        for i in range(days)
    ]


class MintedTokens:
    """The scheduler's `TokenSource`: a fresh machine token, dated by the (travelling) clock."""

    def __init__(self, factory: TokenFactory) -> None:
        self.factory = factory

    def token(self, resource: str, scope: str) -> str:
        return self.factory.machine(resource, scope, client_id="vern-scheduler")


class AppTransport(httpx.BaseTransport):
    """A sync httpx transport that hands each request to an ASGI app through its TestClient."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.client.request(
            request.method,
            request.url.raw_path.decode(),
            content=request.read(),
            headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


@pytest.fixture
def registry(tmp_path: Path, tokens: TokenFactory) -> Iterator[tuple[FastAPI, TestClient]]:
    nowhere = "http://127.0.0.1:9"  # no consent, IdP or journal vendor is called in this test
    settings = RegistrySettings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'registry.db'}",
        keystore_url=f"sqlite:///{tmp_path / 'registry-keys.db'}",
        org_profile=str(PROFILE),
        audience=REGISTRY_AUDIENCE,
        issuers=[TrustedIssuer(issuer=TEST_ISSUER, kind="staff")],
        token_issuer=nowhere,
        consent_url=nowhere,
    )
    main = ROOT / "services" / "registry" / "src" / "vern" / "registry" / "main.py"
    upgrade_service(migrations_dir(str(main)), settings.database_url, settings.keystore_url)
    app = create_registry(settings, TokenVerifier(settings, fetch=lambda _: tokens.jwks()))
    with Session(app.state.engine) as session:  # the staff directory, as the IdP sync fills it
        session.add(Counsellor(id=COUNSELLOR, display_name="Veileder En"))
        session.commit()
    with TestClient(app, base_url="http://registry.test") as client:
        yield app, client


@pytest.fixture
def tokens() -> TokenFactory:
    return TokenFactory(TEST_ISSUER)


@pytest.fixture
def scheduler(
    tmp_path: Path, registry: tuple[FastAPI, TestClient], tokens: TokenFactory
) -> Iterator[FastAPI]:
    settings = SchedulerSettings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'scheduler.db'}",
        keystore_url=f"sqlite:///{tmp_path / 'scheduler-keys.db'}",
        org_profile=str(PROFILE),
        start_jobs=False,
        sweep_batch_size=BATCH,
        registry_url="http://registry.test",
    )
    main = ROOT / "services" / "scheduler" / "src" / "vern" / "scheduler" / "main.py"
    upgrade_service(migrations_dir(str(main)), settings.database_url, settings.keystore_url)
    app = create_scheduler(settings)
    app.state.runner = JobRunner(
        engine=app.state.engine,
        settings=settings,
        profile=app.state.profile,
        jobs=app.state.jobs,
        peers=peers(
            settings, credentials=MintedTokens(tokens), transport=AppTransport(registry[1])
        ),
    )
    runner.activate(app.state.runner)
    yield app
    runner.activate(None)
    for client in app.state.runner.peers.values():
        client.close()


def coordinator(tokens: TokenFactory) -> dict[str, str]:
    token = tokens.staff(REGISTRY_AUDIENCE, "coordinator", sub="coordinator-1")
    return {"Authorization": f"Bearer {token}"}


def post(client: TestClient, tokens: TokenFactory, path: str, body: dict[str, Any]) -> Any:
    response = client.post(f"/registry{path}", json=body, headers=coordinator(tokens))
    assert response.status_code in (200, 201), (path, response.status_code, response.text)
    return response.json()


def fill_register(
    client: TestClient, tokens: TokenFactory
) -> tuple[list[Row], list[tuple[datetime, Row]]]:
    """At SEEDED: clients and their contacts with counsellors (and, for some, a later contact
    with the front desk, which does not move the date), and the waiting list. Returns every row
    and the assignments still to be made, at their instants, while the year runs."""
    rows: list[Row] = []
    last_contacts = spread(date(2024, 1, 1), date(2025, 4, 5), every=4) + AWKWARD_CONTACTS
    for i, last in enumerate(last_contacts):
        person = post(
            client, tokens, "/persons",
            {"full_name": "Ragnhild Sweepesen", "phone": "912 34 567",
             "intake_date": (oslo_day(last) - timedelta(days=60)).isoformat(),
             "assigned_counsellor_id": COUNSELLOR},
        )  # fmt: skip
        contacts: list[tuple[datetime, str | None]] = [(last, COUNSELLOR)]
        if i % 2:
            contacts.insert(0, (last - timedelta(days=20), COUNSELLOR))
        if i % 3 == 0:
            contacts.append((last + timedelta(days=5), None))  # the front desk, no counsellor
        for occurred_at, counsellor_id in contacts:
            body: dict[str, Any] = {
                "kind": "phone",
                "occurred_at": occurred_at.astimezone(UTC).isoformat(),
            }
            if counsellor_id is not None:
                body["counsellor_id"] = counsellor_id
            post(client, tokens, f"/persons/{person['id']}/contacts", body)
        row = Row("client", three_years_on(oslo_day(last)), person["id"])
        rows.append(row)
    assignments: list[tuple[datetime, Row]] = []
    assigned = spread(oslo_day(SEEDED) + timedelta(days=1), LAST_NIGHT, every=3)
    for at in [*assigned, *AWKWARD_ASSIGNMENTS, None, None]:
        entry = post(
            client, tokens, "/waitlist",
            {"full_name": "Ingrid Testesen Haug", "phone": "913 45 678",
             "received_date": "2026-12-01"},
        )  # fmt: skip
        row = Row("waitlist", oslo_day(at) + timedelta(days=30) if at else None, entry["id"])
        rows.append(row)
        if at is not None:
            assignments.append((at, row))
    return rows, sorted(assignments, key=lambda a: a[0])


def held(registry_app: FastAPI) -> set[str]:
    """Every client and waiting-list entry the register still holds (asked of the database)."""
    with registry_app.state.engine.connect() as conn:
        people = conn.execute(select(Person.id)).scalars()  # type: ignore[call-overload]
        entries = conn.execute(select(WaitlistEntry.id)).scalars()  # type: ignore[call-overload]
        return {str(i) for i in [*people, *entries]}


def keyed(registry_app: FastAPI) -> set[str]:
    with registry_app.state.keystore.connect() as conn:
        return {str(s) for s in conn.execute(select(subject_key.c.subject_id)).scalars()}


def test_a_year_of_the_schedulers_nightly_sweep_deletes_each_row_on_its_date_and_not_a_day_earlier(
    registry: tuple[FastAPI, TestClient], scheduler: FastAPI, tokens: TokenFactory
) -> None:
    started = time.monotonic()
    registry_app, client = registry
    with time_machine.travel(SEEDED, tick=True):
        rows, assignments = fill_register(client, tokens)
    assert held(registry_app) == {r.id for r in rows}
    trigger = scheduler.state.jobs[SWEEP].trigger
    fire = trigger.get_next_fire_time(None, SEEDED)
    nights = gone = 0
    deleted_per_night: list[int] = []
    while oslo_day(fire) <= LAST_NIGHT:
        # What happens at the centre before tonight's sweep: counsellors assigned.
        while assignments and assignments[0][0] < fire:
            at, row = assignments.pop(0)
            with time_machine.travel(at, tick=True):
                post(
                    client, tokens, f"/waitlist/{row.id}/counsellor", {"counsellor_id": COUNSELLOR}
                )
        assert fire.astimezone(OSLO).hour in (2, 3)  # 03:00 only where 02:00 does not exist
        with time_machine.travel(fire, tick=True):
            runner.run_scheduled(SWEEP)  # as APScheduler calls it
        night = oslo_day(fire)
        expected = {r.id for r in rows if r.due is None or r.due > night}
        kept = held(registry_app)
        assert kept == expected, (night, sorted(r.due for r in rows if r.id in kept ^ expected))  # type: ignore[type-var]
        assert keyed(registry_app) & {r.id for r in rows} == expected, night
        deleted_per_night.append(len(rows) - len(expected) - gone)
        gone = len(rows) - len(expected)
        nights += 1
        # A microsecond later as an instant: wall-clock arithmetic would drop the fold of the
        # second 02:00 of the autumn night and go back an hour.
        after = (fire.astimezone(UTC) + timedelta(microseconds=1)).astimezone(OSLO)
        fire = trigger.get_next_fire_time(fire, after)

    # The year did what it is meant to show: rows of both rules went, some nights in several
    # batches; the rows due after it, and the entries never assigned, stay.
    due_in_year = [r for r in rows if r.due is not None and r.due <= LAST_NIGHT]
    assert gone == len(due_in_year)
    assert {r.kind for r in due_in_year} == {"client", "waitlist"}
    assert any(r.due is None for r in rows)
    assert any(r.due is not None and r.due > LAST_NIGHT for r in rows)
    assert max(deleted_per_night) > BATCH
    # Every night is on record as one scheduled run that went well; what the runs deleted per
    # rule adds up to what went.
    with Session(scheduler.state.engine) as session:
        runs = session.exec(sqlmodel_select(JobRun).where(col(JobRun.job_id) == SWEEP)).all()
        deletions = session.exec(sqlmodel_select(RetentionDeletion)).all()
    assert len(runs) == nights
    assert {(run.trigger, run.status) for run in runs} == {("schedule", "ok")}
    by_rule: dict[str, int] = {}
    for deletion in deletions:
        by_rule[deletion.rule] = by_rule.get(deletion.rule, 0) + deletion.deleted
    assert by_rule == {
        "contact_register": sum(1 for r in due_in_year if r.kind == "client"),
        "waitlist_entry": sum(1 for r in due_in_year if r.kind == "waitlist"),
    }
    print(
        f"\na year through the scheduler: {nights} nights, {len(rows)} rows, {gone} deleted, "
        f"{time.monotonic() - started:.1f} s"
    )
