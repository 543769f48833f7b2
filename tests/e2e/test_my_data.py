"""The client's "Mine opplysninger" with BankID (Nok. Bergen's profile): a client registered by
the centre with an e-mail address, and no national id, logs in as client1, confirms the address
with the code mailed to the SMTP sink, gives and withdraws a newsletter consent, sees their
stored values in the access package in Norwegian words, downloads it, asks for a correction and
for erasure. Nok. Bergen grants the erasure at once: Vern's stores are erased, the outside
systems' manual tasks stay open until the manager marks them done, and then the client is told
it is done and the registry has them no more."""

from __future__ import annotations

import email
import json
import mailbox
import re
import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from vern.kit.devstack import DevStack
from vern.kit.devtoken import load_personas

from .screens import APP, assert_accessible, no_sideways_scroll
from .staff_data import finish_manual_tasks, register_client, registry_holds

pytestmark = pytest.mark.e2e

CLIENT1 = load_personas()["client1"]
PERSON = {
    "full_name": "Solveig Myrvang Tveit",
    "email": CLIENT1["email"],
    "phone": "+4748123401",
    "birth_date": "1985-03-14",
    "gender": "female",
    "heard_about": "internet",
    "newsletter_opt_in": True,
}
MANUAL = {"google_workspace", "paper_archive", "sms", "email"}


def _body(message: Message) -> str:
    part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), message)
    payload = part.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(payload)


def _mailed_code(inbox: Path, to: str) -> str:
    """Waits for a mail to `to` with a 6-digit code in the dev SMTP sink; returns the code."""
    for _ in range(120):
        if inbox.exists():
            for raw in mailbox.Maildir(inbox, factory=None):
                message = email.message_from_bytes(raw.as_bytes())
                found = re.search(r"\b(\d{6})\b", _body(message))
                if to in str(message["To"]) and found:
                    return found.group(1)
        time.sleep(0.25)
    raise AssertionError("no mail with a code arrived")


def _log_in_with_bankid(page: Page, username: str) -> None:
    page.goto(APP + "mine-opplysninger")
    expect(page.get_by_role("heading", name="Mine opplysninger")).to_be_visible()
    page.get_by_role("button", name="Logg inn med BankID").click()
    page.wait_for_url(re.compile(r"localhost:9000/"))
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("vern-dev")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r"localhost:8080/"))
    expect(page.get_by_role("heading", name="Se opplysningene dine")).to_be_visible()


def _confirm_address(page: Page, inbox: Path) -> str:
    """Confirms client1's address with the mailed code (a wrong one first); returns the proof."""
    expect(page.get_by_role("heading", name="Bekreft e-postadressen din")).to_be_visible()
    assert_accessible(page, "my-data")
    field = page.get_by_label("E-postadresse", exact=True)
    field.fill("solveig.tveit@")
    expect(page.get_by_text("Skriv en gyldig e-postadresse")).to_be_visible()
    assert_accessible(page, "my-data-proof-invalid-email")
    field.fill(CLIENT1["email"])
    expect(page.get_by_text("Skriv en gyldig e-postadresse")).to_have_count(0)
    page.get_by_role("button", name="Send kode").click()
    expect(page.get_by_text(f"Vi har sendt en kode til {CLIENT1['email']}")).to_be_visible()
    assert_accessible(page, "my-data-proof-code")
    code = _mailed_code(inbox, CLIENT1["email"])

    code_field = page.get_by_label("Kode fra e-posten")
    code_field.fill("12")
    expect(page.get_by_text("Koden har 6 siffer.")).to_be_visible()
    code_field.fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Bekreft", exact=True).click()
    expect(page.get_by_text("Koden stemmer ikke. Du har 4 forsøk igjen.")).to_be_visible()
    assert_accessible(page, "my-data-proof-wrong-code")

    code_field.fill(code)
    with page.expect_response(re.compile(r"/dsar/me/email-proofs/[^/]+/confirm$")) as answer:
        page.get_by_role("button", name="Bekreft", exact=True).click()
    expect(page.get_by_text(f"E-postadressen {CLIENT1['email']} er bekreftet.")).to_be_visible()
    assert_accessible(page, "my-data-proof-confirmed")
    proof: str = answer.value.json()["proof"]
    return proof


def _answer_of(method: str) -> Callable[[Response], bool]:
    return lambda r: "/consent/me/subscriptions/" in r.url and r.request.method == method


def _give_and_withdraw_newsletter_consent(page: Page) -> None:
    """With the address confirmed, each newsletter is a switch that gives or withdraws consent
    at consent at once."""
    partners = page.get_by_role("switch", name=re.compile("^Nyhetsbrev for samarbeidspartnere"))
    expect(partners).not_to_be_checked()
    with page.expect_response(_answer_of("POST")) as given:
        partners.check()
    assert given.value.ok
    expect(page.get_by_text("Du er meldt på «Nyhetsbrev for samarbeidspartnere».")).to_be_visible()
    expect(partners).to_be_checked()
    assert_accessible(page, "my-data-newsletters")
    with page.expect_response(_answer_of("DELETE")) as withdrawn:
        partners.uncheck()
    assert withdrawn.value.ok
    expect(page.get_by_text("Du er meldt av «Nyhetsbrev for samarbeidspartnere».")).to_be_visible()
    expect(partners).not_to_be_checked()


def test_a_bankid_client_confirms_their_address_sees_their_data_and_has_it_erased(
    page: Page, stack: DevStack, tmp_path: Path
) -> None:
    person = register_client(PERSON)
    _log_in_with_bankid(page, "client1")
    expect(page.get_by_text("Du har ikke sendt noen forespørsler ennå.")).to_be_visible()
    proof = _confirm_address(page, stack.var / "mail" / "inbox")
    _give_and_withdraw_newsletter_consent(page)

    page.get_by_role("button", name="Hent opplysningene mine").click()
    expect(page.get_by_text("Opplysningene dine er hentet.")).to_be_visible()
    registry = page.get_by_role("region", name="Klientregisteret")
    expect(
        registry.get_by_role("heading", name="Opplysninger om deg i kontaktregisteret")
    ).to_be_visible()
    for label, value in (
        ("Navn", PERSON["full_name"]),
        ("E-postadresse", PERSON["email"]),
        ("Telefonnummer", PERSON["phone"]),
        ("Kjønn", "kvinne"),
        ("Hvordan du fikk høre om oss", "internett"),
    ):
        term = registry.locator("dt", has_text=re.compile(f"^{re.escape(label)}$")).first
        expect(term).to_be_visible()
        expect(term.locator("xpath=following-sibling::dd[1]")).to_have_text(value)
    for raw_key in ("full_name", "heard_about", "national_id", "client_record"):
        expect(page.get_by_text(raw_key, exact=True)).to_have_count(0)
    assert_accessible(page, "my-data-package")

    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"innsyn-\d{4}-\d{2}-\d{2}\.json", saved.name)
    package = json.loads(saved.read_text())
    assert [s["subject_id"] for s in package["services"]["registry"]["subjects"]] == [person["id"]]
    with page.expect_download() as page_download:
        page.get_by_role("button", name="Last ned som nettside (HTML)").click()
    assert page_download.value.suggested_filename.endswith(".html")

    page.get_by_label("Hva er feil?").select_option("phone")
    page.get_by_label("Hva skal det være?").fill("+47 48 12 34 99")
    page.get_by_role("button", name="Send forespørsel om retting").click()
    expect(page.get_by_text("Forespørselen om retting er sendt.")).to_be_visible()
    requests = page.get_by_role("table", name="Forespørsler om innsyn, retting og sletting")
    expect(requests.get_by_role("rowheader", name="Retting")).to_be_visible()

    page.get_by_role("button", name="Slett opplysningene mine …").click()
    dialog = page.get_by_role("dialog", name="Slette opplysningene dine?")
    expect(dialog).to_be_visible()
    assert_accessible(page, "my-data-erasure-confirm")
    dialog.get_by_role("button", name="Ja, slett opplysningene mine").click()

    # Nok. Bergen grants erasure at once: Vern's own stores are erased, the centre's outside
    # systems wait for staff.
    expect(page.get_by_text("Opplysningene dine er slettet i Vern.")).to_be_visible()
    progress = page.get_by_role("list", name="Sletting per system")
    expect(progress.get_by_text("Gjøres for hånd av senteret").first).to_be_visible()
    assert_accessible(page, "my-data-erasure")
    assert not registry_holds(person["id"])

    assert sorted(finish_manual_tasks()) == sorted(MANUAL)
    page.reload()
    erasure = page.get_by_role("region", name="Be om sletting")
    expect(erasure.get_by_text("Opplysningene dine er slettet.")).to_be_visible()
    expect(erasure.get_by_text("Fullført")).to_be_visible()
    expect(requests.get_by_role("rowheader", name="Sletting")).to_be_visible()
    assert_accessible(page, "my-data-erasure-done")

    # Memory only: the proof is gone after the reload, and was never in the URL or storage.
    expect(page.get_by_label("E-postadresse", exact=True)).to_be_visible()
    stored = page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    for secret in (proof, CLIENT1["nnin"], CLIENT1["email"], "Solveig"):
        assert secret not in page.url
        assert secret not in page.title()
    assert proof not in stored
    assert CLIENT1["email"] not in stored

    page.set_viewport_size({"width": 320, "height": 800})
    assert no_sideways_scroll(page)
    assert_accessible(page, "my-data-320px")
