"""No English on a page: every HTML page the web tests receive is read as a person reads it (its visible text:
no script, style or attribute) and fails on an identifier of the code (`register_appeal`), a code of the
catalogue (`requirement.not_awaiting`) or a common English word.

`NoEnglish` is an ASGI middleware the web tests' app carries (tests/web/conftest.py): it reads each HTML response
as it goes out, to the test client or to the browser, and keeps what it finds; a fixture fails the test that
received the page. tests/web/test_english.py shows it failing on an English page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.catalogue import REFUSALS
from domain.catalogue.reasons import REASONS

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_SECTIONS = sorted({code.split(".")[0] for code in (*REFUSALS, *REASONS)})
DOTTED = re.compile(rf"\b(?:{'|'.join(_SECTIONS)})\.[a-z_]+\b")
# words of English sentences that are not Norwegian words as well (so not "for", "at", "to", "be", "i", "en")
ENGLISH = frozenset(
    "the is are was were not has have had cannot already must should would could been does did this that these "
    "which with without of and or an it its there their from into only yet no refused accepted waiting group "
    "requirement requirements participant participants examiner appeal resit grade failed approved submitted "
    "deadline missed withdrawn published attempt named twice empty".split()
)
_NAMES = re.compile(r"\S*@\S*|\S*\w\.\w\S*")
_HIDDEN = {"script", "style", "template"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in _HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in _HIDDEN and self._hidden > 0

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def english_in(html: str) -> list[str]:
    """What on the page is English or a code: each identifier, catalogue code and English word, once."""
    text = visible_text(html)
    found = DOTTED.findall(text)
    rest = DOTTED.sub(" ", text)
    found += SNAKE.findall(rest)
    words = _NAMES.sub(" ", SNAKE.sub(" ", rest))  # an e-mail address, a domain or an ID is a name, not a sentence
    found += [word for word in re.findall(r"[^\W\d_]+", words) if word.lower() in ENGLISH]
    return list(dict.fromkeys(found))


@dataclass
class Findings:
    """What the middleware found, page by page (path: English), until a test takes it."""

    pages: dict[str, list[str]] = field(default_factory=dict)

    def take(self) -> dict[str, list[str]]:
        taken, self.pages = self.pages, {}
        return taken


class NoEnglish:
    def __init__(self, app: ASGIApp, findings: Findings) -> None:
        self.app = app
        self.findings = findings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        html = False
        body: list[bytes] = []

        async def read(message: Message) -> None:
            nonlocal html
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = message.get("headers", [])
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
            elif message["type"] == "http.response.body" and html:
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._check(scope, b"".join(body).decode("utf-8", "replace"))
            await send(message)

        await self.app(scope, receive, read)

    def _check(self, scope: dict[str, Any] | Scope, html: str) -> None:
        english = english_in(html)
        if english:
            self.findings.pages[f"{scope.get('method')} {scope.get('path')}"] = english
