"""The manager's statistics (table, chart, CSV for Bufdir) and a counsellor's activities with
their participants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from .screens import assert_accessible, log_in

pytestmark = pytest.mark.e2e
COUNSELLOR_SUB = "a9b7dcdd-70e1-4c91-9aec-8f491508c7e3"  # deploy/dev-idp/personas.json


def test_manager_sees_statistics_with_a_chart_and_downloads_the_csv(page: Page) -> None:
    log_in(page, "manager", check=False)
    page.get_by_role("link", name="Statistikk").click()
    expect(page.get_by_role("heading", name="Statistikk", level=1)).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.locator(".chart svg").first).to_be_visible()
    assert_accessible(page, "statistics")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Last ned CSV for Bufdir").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = download.path().read_text(encoding="utf-8")
    assert "new_clients" in content or "metric" in content.lower()


def _plan_activity(page: Page) -> None:
    """Plans a course for the counsellor through the API with the manager's session (no UI for
    planning activities yet)."""
    now = datetime.now(UTC)
    body = {
        "name": "Kurs i mestring",
        "kind": "course",
        "starts_at": (now + timedelta(days=7)).isoformat(),
        "ends_at": (now + timedelta(days=7, hours=2)).isoformat(),
        "counsellor_id": COUNSELLOR_SUB,
    }
    status = page.evaluate(
        """async (body) => {
            const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
            const token = JSON.parse(sessionStorage.getItem(key)).access_token;
            const response = await fetch('/registry/activities', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
                body: JSON.stringify(body),
            });
            return response.status;
        }""",
        body,
    )
    assert status == 201


def test_counsellor_registers_a_participant_in_their_activity(page: Page, browser: Browser) -> None:
    log_in(page, "counsellor", check=False)
    page.get_by_role("link", name="Aktiviteter").click()
    expect(page.get_by_role("heading", name="Mine aktiviteter")).to_be_visible()

    planner = browser.new_context(locale="nb-NO")
    try:
        manager = planner.new_page()
        log_in(manager, "manager", check=False)
        _plan_activity(manager)
    finally:
        planner.close()

    page.reload()
    page.get_by_role("link", name="Kurs i mestring").first.click()
    expect(page.get_by_role("heading", name="Kurs i mestring")).to_be_visible()
    expect(page.get_by_text("Ingen deltakere ennå")).to_be_visible()
    assert_accessible(page, "activity")

    page.get_by_label("Fullt navn").fill("Deltaker Dagny Lie")
    page.get_by_label("E-post").fill("ikke-en-adresse")
    expect(page.get_by_text("Skriv en gyldig e-postadresse")).to_be_visible()
    page.get_by_label("E-post").fill("dagny.lie@example.org")
    page.get_by_role("button", name="Meld på").click()
    expect(page.get_by_text("Deltakeren er meldt på.")).to_be_visible()
    expect(page.get_by_role("cell", name="Deltaker Dagny Lie")).to_be_visible()
    assert_accessible(page, "activity-participant-registered")
    page.get_by_role("link", name="Tilbake til aktivitetene").click()
    assert_accessible(page, "activities")
