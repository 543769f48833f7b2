"""Reading a rendered page as a reader gets it: its text, its outline, and whether it is well formed."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "link", "br", "hr", "img", "input"}


@dataclass
class Page:
    text: str
    headings: list[int]
    tags: set[str]
    lang: str | None
    unclosed: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[int] = []
        self.tags: set[str] = set()
        self.lang: str | None = None
        self.open: list[str] = []
        self.stray: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("title", "script", "style"):
            self._hidden += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script", "style"):
            self._hidden -= 1
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.stray.append(tag)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Page(
        text=" ".join(" ".join(reader.text).split()),
        headings=reader.headings,
        tags=reader.tags,
        lang=reader.lang,
        unclosed=reader.open,
        stray=reader.stray,
    )


def outline_problems(headings: list[int]) -> list[str]:
    """An accessible outline: one h1 first, and no level skipped on the way down."""
    problems = []
    if headings[:1] != [1] or headings.count(1) != 1:
        problems.append("the page must open with its one h1")
    for before, after in itertools.pairwise(headings):
        if after > before + 1:
            problems.append(f"h{before} is followed by h{after}")
    return problems
