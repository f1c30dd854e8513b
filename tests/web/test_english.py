"""The check that no page shows English (tests/web/english.py) can fail: on an English refusal, a code, an action's
identifier; and lets a Norwegian page, its attributes and its scripts be."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.web.english import Findings, NoEnglish, english_in

NORWEGIAN = """<html><head><title>Gruppe</title><style>.register_appeal { color: red }</style>
<script>const requirement_state = "the group has no exam";</script></head>
<body><p class="refusal" data-code="requirement.not_awaiting">Avvist: Arbeidskrav 3 er åpent, ikke levert</p>
<a href="/kull/2022/grupper/1804?handling=register_appeal">Registrering av klage</a>
<td>kull-2022.gruppe-1804.deltaker-2</td><td>kari@example.no</td></body></html>"""


def test_a_norwegian_page_passes_with_its_codes_in_attributes_and_scripts() -> None:
    assert english_in(NORWEGIAN) == []


def test_english_a_code_or_an_identifier_on_a_page_fails() -> None:
    said = english_in("<p>Avvist: requirement 3 is open, not submitted</p>")
    assert said == ["requirement", "is", "not", "submitted"]
    assert english_in("<td>register_appeal</td>") == ["register_appeal"]
    assert english_in("<p>Avvist: requirement.not_awaiting</p>") == ["requirement.not_awaiting"]
    assert english_in("<dd>Kan ikke gå opp (waiting for the group)</dd>") == ["waiting", "the", "group"]


def test_the_middleware_finds_english_on_a_page_it_serves() -> None:
    async def english(request: object) -> HTMLResponse:
        return HTMLResponse("<h1>Logg</h1><td>assign_examiners</td><td>the group has no exam</td>")

    async def norwegian(request: object) -> HTMLResponse:
        return HTMLResponse(NORWEGIAN)

    findings = Findings()
    app = NoEnglish(Starlette(routes=[Route("/en", english), Route("/nb", norwegian)]), findings)
    with TestClient(app) as client:
        client.get("/nb")
        assert findings.take() == {}
        client.get("/en")
    assert findings.take() == {"GET /en": ["assign_examiners", "the", "group", "has", "no"]}
