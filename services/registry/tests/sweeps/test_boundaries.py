"""Property: a row is deleted by the sweep on its due date and never by the sweep the day before,
whatever the instant its clock started (Oslo dates across daylight-saving changes and leap days)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from vern.kit.auth import Principal
from vern.kit.crypto import Vault
from vern.kit.orgprofile import OSLO, Duration, load_profile, oslo_date, retention_due_date
from vern.registry.sweeps import service as sweep_service
from vern.registry.sweeps.plans import registry_plans

from .factory import client_due, keys_left, remaining

SCHEDULER = Principal(subject="vern-scheduler", kind="machine", issuer="test")
PROFILES = [load_profile(f"deploy/orgs/{name}.yaml") for name in ("nokbergen", "tryggere")]
# Every period a registry rule of either centre counts: 3 years, 30 days.
PERIODS = {
    plan.rule_id: profile.retention_rules[plan.rule_id].period
    for profile in PROFILES
    for plan in registry_plans(profile)
    if isinstance(profile.retention_rules[plan.rule_id].period, Duration)
}
# Clock events at awkward instants: 23:30 and 00:30 on the last Sundays of March and October
# (the nights the clocks change) and around 29 February.
AWKWARD = [
    datetime(2024, 3, 31, 23, 30, tzinfo=OSLO),
    datetime(2024, 3, 31, 0, 30, tzinfo=OSLO),
    datetime(2024, 3, 31, 2, 30, tzinfo=OSLO),  # does not exist in Oslo: the clock jumps
    datetime(2024, 10, 27, 23, 30, tzinfo=OSLO),
    datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=OSLO),  # happens twice in Oslo
    datetime(2024, 10, 27, 0, 30, tzinfo=OSLO),
    datetime(2024, 2, 29, 23, 30, tzinfo=OSLO),
    datetime(2024, 2, 29, 0, 30, tzinfo=OSLO),
    datetime(2024, 2, 28, 23, 30, tzinfo=OSLO),
    datetime(2025, 3, 30, 23, 30, tzinfo=OSLO),
    datetime(2023, 12, 31, 23, 30, tzinfo=OSLO),
]
instants = st.one_of(
    st.sampled_from(AWKWARD),
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(OSLO)
    ),
)


def sweep_on(session: Session, vault: Vault, on: date) -> None:
    sweep_service.sweep(
        session=session, vault=vault, principal=SCHEDULER, profile=PROFILES[0], on=on,
        dry_run=False, batch_size=50,
    )  # fmt: skip


@pytest.mark.parametrize("rule_id", sorted(PERIODS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clock=instants)
@example(clock=AWKWARD[0])
@example(clock=AWKWARD[6])
def test_a_row_goes_on_its_due_date_and_never_the_day_before(
    db_session: Session, vern_app: FastAPI, rule_id: str, clock: datetime
) -> None:
    vault: Vault = vern_app.state.vault
    due = retention_due_date(oslo_date(clock), PERIODS[rule_id])
    row = client_due(db_session, vault, due)

    sweep_on(db_session, vault, due - timedelta(days=1))
    assert remaining(db_session, [row]) == {row}
    assert keys_left(vern_app.state.keystore, [row]) == {row}

    sweep_on(db_session, vault, due)
    assert remaining(db_session, [row]) == set()
    assert keys_left(vern_app.state.keystore, [row]) == set()


@pytest.mark.parametrize(
    ("clock", "due"),
    [
        # Counted from the Oslo date, not the UTC one: 00:30 in Oslo is still the day before in UTC.
        (datetime(2024, 3, 31, 0, 30, tzinfo=OSLO), date(2027, 3, 31)),
        (datetime(2024, 10, 27, 23, 30, tzinfo=OSLO), date(2027, 10, 27)),
        # 29 February plus three years clamps to 28 February.
        (datetime(2024, 2, 29, 23, 30, tzinfo=OSLO), date(2027, 2, 28)),
    ],
)
def test_the_contact_register_rule_counts_three_years_from_the_oslo_date(
    clock: datetime, due: date
) -> None:
    assert retention_due_date(oslo_date(clock), PERIODS["contact_register"]) == due
