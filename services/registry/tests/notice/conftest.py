"""Helpers for the privacy notice tests: the reference profiles and the text a reader sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vern.kit.orgprofile import OrgProfile, load_profile
from vern.registry.notice.schemas import PrivacyNotice
from vern.registry.notice.service import build_notice, render_html

ORGS = Path(__file__).resolve().parents[4] / "deploy" / "orgs"
APP_URL = "https://vern.example.no"


def reference_profile(name: str) -> OrgProfile:
    return load_profile(ORGS / f"{name}.yaml")


def notice_of(profile: OrgProfile) -> PrivacyNotice:
    return build_notice(profile=profile, app_public_url=APP_URL)


class _Page(HTMLParser):
    """Collects what a reader sees and the page's outline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.attributes: list[tuple[str, str | None]] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag in ("style", "title", "script"):
            self._hidden += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def parse_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def visible_text(html: str) -> str:
    """The page's text with whitespace normalised, as a reader (or a screen reader) gets it."""
    return " ".join(" ".join(parse_page(html).text).split())


@pytest.fixture(params=["tryggere", "nokbergen"])
def profile(request: pytest.FixtureRequest) -> OrgProfile:
    return reference_profile(request.param)


@pytest.fixture
def page_text(profile: OrgProfile) -> str:
    return visible_text(render_html(notice_of(profile)))
