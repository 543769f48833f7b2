"""The DPO's retention preview: counts per service, rule and date from each service's preview,
never who; a service that does not answer is unavailable, not zero; the last sweeps' counts."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from vern.kit.clock import today_oslo
from vern.kit.contract import PreviewItem
from vern.kit.testing.tokens import Tokens

from ..fakes import PERSON_ID, FakeServices

pytestmark = pytest.mark.anyio

PREVIEW = "/scheduler/retention/preview"


def _item(rule: str, days: int, subject: str = PERSON_ID) -> PreviewItem:
    return PreviewItem(rule=rule, subject_id=subject, due_date=today_oslo() + timedelta(days=days))


async def test_the_preview_counts_what_each_service_deletes_per_rule_and_date_without_ids(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    services["registry"].preview = [
        _item("waitlist_entry", 3),
        _item("waitlist_entry", 3, "another-subject"),
        _item("contact_register", 10),
        _item("contact_register", 40),  # after the window
    ]
    services["consent"].preview = [_item("newsletter_address", 0)]
    response = await client.get(PREVIEW, params={"days": 30}, headers=auth.staff("dpo"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["until"] == (today_oslo() + timedelta(days=30)).isoformat()
    by_service = {s["service"]: s for s in body["services"]}
    assert list(by_service) == ["registry", "consent"]
    registry = by_service["registry"]
    assert registry["available"] is True
    assert [(d["rule"], d["due_date"], d["count"]) for d in registry["due"]] == [
        ("waitlist_entry", (today_oslo() + timedelta(days=3)).isoformat(), 2),
        ("contact_register", (today_oslo() + timedelta(days=10)).isoformat(), 1),
    ]
    assert registry["due"][0]["what_nb"] == "Brukeren på ventelisten"
    assert [d["count"] for d in by_service["consent"]["due"]] == [1]
    assert PERSON_ID not in response.text
    assert "another-subject" not in response.text
    assert ("/registry/internal/retention/preview", {"until": body["until"]}) in services.calls


async def test_a_service_that_is_down_shows_as_unavailable_not_as_zero(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    services["consent"].unreachable = True
    services["registry"].fail_with = 503
    body = (await client.get(PREVIEW, headers=auth.staff("manager"))).json()
    by_service = {s["service"]: s for s in body["services"]}
    assert (by_service["consent"]["available"], by_service["consent"]["error"]) == (
        False,
        "ConnectError",
    )
    assert (by_service["registry"]["available"], by_service["registry"]["error"]) == (
        False,
        "HTTP 503",
    )
    assert "15076500565" not in str(body)


async def test_the_preview_shows_what_the_last_sweeps_deleted(
    client: httpx.AsyncClient, auth: Tokens, services: FakeServices
) -> None:
    run = await client.post(
        "/scheduler/jobs/registry-retention-sweep/run", headers=auth.staff("manager")
    )
    body = (await client.get(PREVIEW, headers=auth.staff("dpo"))).json()
    registry = next(s for s in body["services"] if s["service"] == "registry")
    [sweep] = registry["recent_sweeps"]
    assert (sweep["run_id"], sweep["status"], sweep["dry_run"]) == (run.json()["id"], "ok", False)
    assert [(c["rule"], c["count"]) for c in sweep["deleted"]] == [
        ("contact_register", 3),
        ("waitlist_entry", 1),
    ]


@pytest.mark.parametrize("days", ["0", "367", "thirty"])
async def test_a_window_outside_one_to_366_days_is_a_422_naming_days(
    client: httpx.AsyncClient, auth: Tokens, days: str
) -> None:
    response = await client.get(PREVIEW, params={"days": days}, headers=auth.staff("dpo"))
    assert response.status_code == 422
    assert "days" in response.text
    assert "thirty" not in response.text
