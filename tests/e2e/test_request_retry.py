"""A store down while an erasure is carried out (Nok. Bergen): the manager's request page shows
consent's call as failed with its error while the registry's went through, and once consent is
back "Prøv igjen" makes the call at once; the registry is not asked again. The scheduler is
stopped meanwhile, so its redelivery does not make the call before the manager does."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from vern.kit.devstack import DevStack

from .screens import assert_accessible, log_in, open_request_from_queue
from .staff_data import register_letter_request

pytestmark = pytest.mark.e2e

REGISTRY_TASK = "Klientregisteret (Vern)"
CONSENT_TASK = "Samtykker og nyhetsbrev (Vern)"
# A call to a store that refuses connections fails after the client's own retries.
CALL_TIMEOUT_MS = 90_000


def test_a_failed_call_is_shown_with_its_error_and_made_again_from_the_request_page(
    page: Page, stack: DevStack
) -> None:
    erasure = register_letter_request("erasure", "Ingrid Feilsøk", "ingrid.feilsok@example.org")
    log_in(page, "manager", check=False)
    open_request_from_queue(page, erasure)
    expect(page.get_by_role("heading", level=1)).to_have_text("Forespørsel: Sletting")

    stack.kill("scheduler")
    stack.kill("consent")
    try:
        page.get_by_label("Neste steg").select_option(label="Bekreft identiteten")
        page.get_by_label("Identiteten kontrollert med").select_option(label="Legitimasjon")
        page.get_by_role("button", name="Lagre steget").click()
        handled = page.get_by_role("region", name="Behandle forespørselen").get_by_role("status")
        expect(handled).to_contain_text("«Godkjent»", timeout=CALL_TIMEOUT_MS)

        registry = page.get_by_role("row").filter(has_text=REGISTRY_TASK)
        consent = page.get_by_role("row").filter(has_text=CONSENT_TASK)
        expect(registry).to_contain_text("Ferdig")
        expect(consent).to_contain_text("Feilet, prøves igjen")
        # In Norwegian from the kind of failure; dsar's own text only as the technical detail.
        expect(consent).to_contain_text("Feilet etter 1 forsøk. Vern fikk ikke kontakt med")
        detail = consent.locator(".technical-detail")
        expect(detail).to_have_text("Teknisk feilmelding: consent subjects/search: ConnectError")
        expect(detail.locator("code")).to_have_attribute("lang", "en")
        expect(page.get_by_text("1 automatisk kall har feilet.")).to_be_visible()
        assert_accessible(page, "request-task-failed")
    finally:
        stack.restart("consent")
        stack.restart("scheduler")
    registry_done = registry.inner_text()

    page.get_by_role("button", name="Prøv igjen").click()
    expect(page.get_by_text("Alle de automatiske kallene er gjennomført.")).to_be_visible(
        timeout=CALL_TIMEOUT_MS
    )
    expect(consent).to_contain_text("Ferdig")
    expect(page.get_by_role("button", name="Prøv igjen")).to_have_count(0)
    # The registry's call, done before, was not made again: its row says the same.
    assert registry.inner_text() == registry_done
    assert_accessible(page, "request-task-retried")
