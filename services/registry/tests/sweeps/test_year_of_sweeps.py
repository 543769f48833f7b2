"""A year of nightly sweeps over a seeded Nok. Bergen register, with the day as the sweep's clock:
each waiting-list entry goes 30 days after its counsellor was assigned and each client 3 years
after the last contact with a counsellor, on that day and not a day earlier, keys and all.

The register is built through the registry's own rules (persons, contacts, waiting list), so the
stored due dates are the real ones; the test computes the expected dates on its own, in Oslo
calendar terms, across the daylight-saving nights and 29 February."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select

from vern.kit.auth import Principal
from vern.kit.crypto import SubjectKeyMissing, Vault
from vern.kit.orgprofile import OrgProfile, load_profile
from vern.kit.settings import resolve_profile_path
from vern.registry.contacts import service as contact_service
from vern.registry.contacts.models import ContactKind
from vern.registry.persons import service as person_service
from vern.registry.persons.models import Person
from vern.registry.persons.schemas import PersonCreate
from vern.registry.sweeps import service as sweep_service
from vern.registry.waitlist import service as waitlist_service
from vern.registry.waitlist.models import WaitlistEntry
from vern.registry.waitlist.schemas import WaitlistEntryCreate

from ..conftest import COUNSELLOR
from .factory import keys_left

OSLO = ZoneInfo("Europe/Oslo")  # on purpose not the kit's: the expectations are the test's own
NOKBERGEN = load_profile(resolve_profile_path("deploy/orgs/nokbergen.yaml"))
# A year of nights and a bit, so that it holds 28 February 2027 (a client whose last contact was
# 29 February 2024), the daylight-saving nights of 2027 and March 2028, and 29 February 2028.
FIRST_NIGHT = date(2027, 2, 20)
LAST_NIGHT = date(2028, 4, 5)
BATCH = 3  # small, so that the busy nights run several batches
COORDINATOR = Principal(
    subject="coordinator-1", kind="staff", issuer="test", roles=frozenset({"coordinator"})
)
SCHEDULER = Principal(subject="vern-scheduler", kind="machine", issuer="test")
# Times of day (Oslo) the clocks start at: around midnight the UTC date is another day.
TIMES = [time(0, 30), time(23, 30), time(12, 0), time(1, 30), time(23, 59)]
# Instants on the awkward nights: the daylight-saving changes (02:30 does not exist in spring and
# happens twice in autumn) and around 29 February.
AWKWARD_ASSIGNMENTS = [
    datetime(2027, 2, 26, 23, 30, tzinfo=OSLO),  # 30 days cross the spring change of 2027
    datetime(2027, 2, 27, 0, 30, tzinfo=OSLO),
    datetime(2027, 3, 28, 2, 30, tzinfo=OSLO),  # does not exist in Oslo: the clock jumps
    datetime(2027, 3, 28, 0, 30, tzinfo=OSLO),
    datetime(2027, 3, 28, 23, 30, tzinfo=OSLO),
    datetime(2027, 10, 1, 23, 30, tzinfo=OSLO),  # 30 days end on the autumn change of 2027
    datetime(2027, 10, 31, 2, 30, fold=0, tzinfo=OSLO),  # happens twice in Oslo
    datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=OSLO),
    datetime(2027, 10, 31, 23, 30, tzinfo=OSLO),
    datetime(2028, 1, 30, 23, 30, tzinfo=OSLO),  # due on 29 February 2028
    datetime(2028, 1, 31, 0, 30, tzinfo=OSLO),  # due on 1 March 2028
    datetime(2028, 2, 28, 23, 30, tzinfo=OSLO),
    datetime(2028, 2, 29, 0, 30, tzinfo=OSLO),
    datetime(2028, 2, 29, 23, 30, tzinfo=OSLO),
    datetime(2028, 3, 1, 0, 30, tzinfo=OSLO),
    datetime(2028, 3, 6, 23, 30, tzinfo=OSLO),  # 30 days cross the spring change of 2028
]
AWKWARD_CONTACTS = [
    datetime(2024, 2, 28, 23, 30, tzinfo=OSLO),
    datetime(2024, 2, 29, 0, 30, tzinfo=OSLO),  # 3 years on is 28 February 2027
    datetime(2024, 2, 29, 23, 30, tzinfo=OSLO),
    datetime(2024, 3, 1, 0, 30, tzinfo=OSLO),
    datetime(2024, 3, 31, 2, 30, tzinfo=OSLO),  # does not exist in Oslo
    datetime(2024, 3, 31, 23, 30, tzinfo=OSLO),
    datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=OSLO),  # happens twice in Oslo
    datetime(2024, 10, 27, 23, 30, tzinfo=OSLO),
    datetime(2024, 12, 31, 23, 30, tzinfo=OSLO),
    datetime(2025, 2, 28, 23, 30, tzinfo=OSLO),  # 3 years on is 28 February 2028, a leap year
    datetime(2025, 3, 30, 0, 30, tzinfo=OSLO),
    datetime(2025, 3, 30, 23, 30, tzinfo=OSLO),
]


@dataclass(frozen=True)
class Row:
    """One seeded subject: its id, one of its ciphertexts, and the date the test expects it gone."""

    id: str
    token: str
    context: str
    due: date | None  # None: never due in the year (a waiting-list entry with no counsellor)


def oslo_day(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def three_years_on(day: date) -> date:
    """The same calendar day three years later; 29 February becomes 28 February."""
    if (day.month, day.day) == (2, 29):
        return date(day.year + 3, 2, 28)
    return day.replace(year=day.year + 3)


def spread(first: date, last: date, every: int) -> list[datetime]:
    """Instants `every` days apart from `first` to `last`, at a rotation of times of day."""
    days = (last - first).days // every + 1
    return [
        datetime.combine(first + timedelta(days=i * every), TIMES[i % len(TIMES)], tzinfo=OSLO)
        for i in range(days)
    ]


def waitlist_entries(session: Session, vault: Vault, profile: OrgProfile) -> list[Row]:
    """Entries assigned from 30 days before the first night to the last, every other day and
    on the awkward nights (each of those twice, so those nights run more than a batch); and a few
    never assigned, which the waiting-list rule never deletes."""
    assigned = spread(FIRST_NIGHT - timedelta(days=35), LAST_NIGHT, every=2)
    assigned += AWKWARD_ASSIGNMENTS * 2
    rows = []
    for at in [*assigned, None, None, None]:
        data = WaitlistEntryCreate(
            full_name="Ingrid Testesen Haug", phone="913 45 678", received_date=date(2026, 1, 5)
        )
        entry = waitlist_service.create(
            session=session, vault=vault, principal=COORDINATOR, data=data
        )
        due = None
        if at is not None:
            waitlist_service.assign_counsellor(
                session=session, principal=COORDINATOR, profile=profile, entry=entry,
                counsellor_id=COUNSELLOR, at=at.astimezone(UTC),
            )  # fmt: skip
            due = oslo_day(at) + timedelta(days=30)
            assert entry.retention_due_date == due, at
        assert entry.full_name_ct is not None
        rows.append(Row(str(entry.id), entry.full_name_ct, "waitlist_entry.full_name", due))
    return rows


def clients(session: Session, vault: Vault, profile: OrgProfile) -> list[Row]:
    """Clients whose last contact with a counsellor falls 3 years before a night of the year
    (every third day, and on the awkward nights twice). Every other client had an earlier
    contact with a counsellor too, and every third a later one without: neither moves the date."""
    last_contacts = spread(date(2024, 2, 10), date(2025, 4, 5), every=3)
    last_contacts += AWKWARD_CONTACTS * 2
    rows = []
    for i, last in enumerate(last_contacts):
        data = PersonCreate(
            full_name="Ragnhild Sweepesen",
            phone="912 34 567",
            intake_date=oslo_day(last) - timedelta(days=60),
            assigned_counsellor_id=COUNSELLOR,
        )
        person = person_service.create(
            session=session, vault=vault, principal=COORDINATOR, data=data, profile=profile
        )
        contacts: list[tuple[datetime, str | None]] = [(last, COUNSELLOR)]
        if i % 2:
            contacts.insert(0, (last - timedelta(days=20), COUNSELLOR))
        if i % 3 == 0:
            contacts.append((last + timedelta(days=5), None))  # the front desk, no counsellor
        for occurred_at, counsellor_id in contacts:
            contact_service.record_contact(
                session=session, principal=COORDINATOR, person_id=person.id,
                kind=ContactKind.phone, occurred_at=occurred_at.astimezone(UTC),
                counsellor_id=counsellor_id, source="staff", profile=profile,
            )  # fmt: skip
        due = three_years_on(oslo_day(last))
        assert person.retention_due_date == due, last
        assert person.full_name_ct is not None
        rows.append(Row(str(person.id), person.full_name_ct, "person.full_name", due))
    return rows


def still_there(
    session: Session, table: type[Person] | type[WaitlistEntry], rows: list[Row]
) -> set[str]:
    """Which of the rows the register still holds (asked of the database, not the session)."""
    ids = [uuid.UUID(r.id) for r in rows]
    return {str(i) for i in session.exec(select(table.id).where(col(table.id).in_(ids)))}


@pytest.fixture
def vault(vern_app: FastAPI) -> Vault:
    v: Vault = vern_app.state.vault
    return v


def test_a_year_of_nightly_sweeps_deletes_each_row_on_its_due_date_and_not_a_day_earlier(
    db_session: Session, vault: Vault, vern_app: FastAPI
) -> None:
    entries = waitlist_entries(db_session, vault, NOKBERGEN)
    people = clients(db_session, vault, NOKBERGEN)
    db_session.commit()
    everyone = entries + people
    keystore = vern_app.state.keystore
    assert still_there(db_session, WaitlistEntry, entries) == {r.id for r in entries}
    assert still_there(db_session, Person, people) == {r.id for r in people}

    gone: set[str] = set()
    deleted_per_night = []
    night = FIRST_NIGHT
    while night <= LAST_NIGHT:
        result = sweep_service.sweep(
            session=db_session, vault=vault, principal=SCHEDULER, profile=NOKBERGEN, on=night,
            dry_run=False, batch_size=BATCH,
        )  # fmt: skip
        expected = {r.id for r in everyone if r.due is None or r.due > night}
        kept = still_there(db_session, WaitlistEntry, entries) | still_there(
            db_session, Person, people
        )
        assert kept == expected, night
        assert keys_left(keystore, [r.id for r in everyone]) == expected, night
        tonight = {r.id for r in everyone} - expected - gone
        assert result.counts["waitlist_entry"] + result.counts["contact_register"] == len(tonight)
        for row in everyone:
            if row.id in tonight:
                with pytest.raises(SubjectKeyMissing):
                    vault.decrypt(row.id, row.token, context=row.context)
        gone |= tonight
        deleted_per_night.append(len(tonight))
        night += timedelta(days=1)

    # The year did what it is meant to show: the rows due in it went, some nights in several
    # batches; those due after it, and the entries with no counsellor, stay.
    assert gone == {r.id for r in everyone if r.due is not None and r.due <= LAST_NIGHT}
    assert any(r.due is not None and r.due > LAST_NIGHT for r in everyone)
    assert max(deleted_per_night) > 2 * BATCH
    assert sum(1 for n in deleted_per_night if n > BATCH) > 5
