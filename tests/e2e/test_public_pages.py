"""The public's pages without a login: the privacy notice as a page of the app, newsletter sign-up
with double opt-in, and the unsubscribe page, whose token from the mailed link never stays in the
address bar nor reaches a log."""

from __future__ import annotations

import email
import mailbox
import re
import time
from email.message import Message
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from vern.kit.devstack import DevStack

from .screens import APP, assert_accessible, no_sideways_scroll

pytestmark = pytest.mark.e2e
ADDRESS = "nyhetsbrev.e2e@example.org"
CONSENT = "http://127.0.0.1:8002"


def _body(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    text = ""
    for part in parts:
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            text += payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return text


def _mailed_token(inbox: Path, path: str, seen: set[str]) -> str:
    """Waits for a new mail to ADDRESS with a link under `path`; returns the link's token."""
    pattern = re.compile(re.escape(path) + r"([A-Za-z0-9_-]{20,128})")
    for _ in range(120):
        if inbox.exists():
            for key, raw in mailbox.Maildir(inbox, factory=None).items():
                if key in seen:
                    continue
                message = email.message_from_bytes(raw.as_bytes())
                if ADDRESS not in str(message["To"]):
                    continue
                found = pattern.search(_body(message))
                if found:
                    seen.add(key)
                    return found.group(1)
        time.sleep(0.25)
    raise AssertionError(f"no mail with a {path} link arrived")


def _wider_than_the_viewport(page: Page) -> list[str]:
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
              .slice(0, 8).map(e => `${e.tagName}.${e.className}`)"""
        )
    )


def test_the_privacy_notice_reads_as_a_page_of_the_app(page: Page) -> None:
    page.goto(APP + "personvern")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personvernerklæring")
    for section in ("Behandlingsansvarlig", "Dine rettigheter", "Kontakt oss"):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Sletteregler")).to_be_visible()
    expect(page.get_by_role("navigation", name="Innhold i erklæringen")).to_be_visible()
    assert page.title().startswith("Personvernerklæring")
    assert_accessible(page, "public-privacy-notice")

    page.get_by_role("main").get_by_role("link", name="Mine opplysninger").click()
    expect(page.get_by_role("button", name="Logg inn med BankID")).to_be_visible()
    assert_accessible(page, "public-my-data-sign-in")

    page.goto(APP + "personvern")
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert no_sideways_scroll(page), _wider_than_the_viewport(page)
    assert_accessible(page, "public-privacy-notice-320px")


def test_a_newsletter_is_confirmed_by_mail_and_left_with_the_mailed_link(
    page: Page, stack: DevStack
) -> None:
    inbox = stack.var / "mail" / "inbox"
    seen: set[str] = set()

    page.goto(APP + "nyhetsbrev")
    expect(page.get_by_role("heading", name="Meld deg på nyhetsbrev")).to_be_visible()
    assert_accessible(page, "public-newsletter")
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    expect(page.get_by_text("Skriv en gyldig e-postadresse")).to_be_visible()
    page.get_by_label("E-postadresse").fill(ADDRESS)
    page.get_by_role("button", name="Meld meg på").click()
    expect(page.get_by_text("Sjekk e-posten din")).to_be_visible()
    assert ADDRESS not in page.url
    assert_accessible(page, "public-newsletter-sent")

    confirm = _mailed_token(inbox, "/consent/subscriptions/confirm/", seen)
    confirmed = httpx.post(f"{CONSENT}/consent/subscriptions/confirm/{confirm}")
    assert confirmed.status_code == 200

    page.goto(APP + "nyhetsbrev/avmelding")
    expect(page.get_by_text("kan vi sende deg en ny lenke")).to_be_visible()
    assert_accessible(page, "public-unsubscribe-lost-link")
    page.get_by_label("E-postadresse").fill(ADDRESS)
    page.get_by_role("button", name="Send meg en ny lenke").click()
    expect(page.get_by_text("Sjekk e-posten din")).to_be_visible()

    # The mailed link opens the app's page, with the token after "#".
    token = _mailed_token(inbox, APP + "nyhetsbrev/avmelding#", seen)
    page.goto(APP + "nyhetsbrev/avmelding#" + token)
    expect(page.get_by_role("button", name="Meld meg av")).to_be_visible()
    assert token not in page.url
    assert token not in page.evaluate("JSON.stringify(window.history.state) + document.title")
    assert_accessible(page, "public-unsubscribe")
    page.get_by_role("button", name="Meld meg av").click()
    expect(page.get_by_text("Du er meldt av")).to_be_visible()
    assert_accessible(page, "public-unsubscribed")

    for log in (stack.var / "logs").glob("*.log"):
        text = log.read_text(errors="replace")
        assert token not in text, log.name
        assert confirm not in text, log.name
