"""Answering an offer on the web: the municipality's contact sees the offer with its answer deadline on the group's
page, clicks "Takk nei", reads what happened in Norwegian, and the first on the waiting list moves up; the API's
equivalents answer only for the contact's own application. A cohort of its own (first gathering minutes ahead, an
answer asked), served by an app of its own, so the shared web world's groups keep their places."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import HTTPException, status
from temporalio.testing import WorkflowEnvironment

from domain.models import Application, CohortPlan
from domain.selection import select
from gateway.admin import Admin
from gateway.queries import OfferState, written_offer
from store.accounts import Account, Accounts, Role
from store.people import People, register_key
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.web.conftest import FINDINGS, PASSWORD, web_settings
from tests.web.english import NoEnglish
from tests.web.test_browser import CHROMIUM, FLAGS, shot
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan
from web.app import create_app
from web.server import http_server
from web.state import Web
from workflows.cohort import CohortWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import ConfirmSelectionInput

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
if CHROMIUM.exists():
    from playwright.async_api import Page, async_playwright, expect

OURS, OTHERS = "4601", ["0301", "5001"]  # the contact's municipality (Bergen) and two more; two places


@dataclass
class Offered:
    harness: Harness
    plan: CohortPlan
    address: str
    waiting: str  # the first on the waiting list
    web: Web

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.address)


def seed_admitting_ours(apps: list[dict], cohort: str) -> tuple[str, str]:  # type: ignore[type-arg]
    """A lottery seed that gives our municipality a place and leaves one waiting, found by the published rule."""
    for n in range(100):
        drawn = select([a | {"cohort": cohort} for a in apps], places=2, seed=f"tilbud-{n}")
        if OURS in [e.id for e in drawn.admitted] and drawn.waitlist:
            return f"tilbud-{n}", drawn.waitlist[0].id
    raise AssertionError("no seed among 100 admits 4601")


async def offered_cohort(harness: Harness) -> tuple[CohortPlan, str]:
    plan = now_plan(
        {"application_deadline": 4, "selection_date": 5, "written_deadline": 900, "oral_start": 910, "oral_end": 920},
        gathering_starts=[300 + 10 * i for i in range(6)],
        requirement_deadlines=[600 + i for i in range(4)],
        places=2,
        offer_answer_seconds=14 * 86400.0,  # clamped to the first gathering, minutes ahead
    )
    apps = [application([n]) for n in (OURS, *OTHERS)]
    seed, waiting = seed_admitting_ours(apps, plan.cohort)
    admin = Admin(
        harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY))
    )
    handle = await admin.open_cohort(plan, seed=seed)
    for data in apps:
        assert (await admin.apply(Application.model_validate(data | {"cohort": plan.cohort}), "test")).accepted

    async def drawn() -> None:
        assert (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn)
    await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="test"))
    return plan, waiting


@pytest.fixture
async def offered(env: WorkflowEnvironment, tmp_path: Path) -> AsyncIterator[Offered]:
    async with Harness(env.client, tmp_path) as harness:
        await Accounts.create_table(harness.engine)
        plan, waiting = await offered_cohort(harness)
        app = create_app(web_settings(tmp_path, harness.task_queue), env.client, harness.sessions)
        app.add_middleware(NoEnglish, findings=FINDINGS)
        for account in (
            Account(username="kommune-4601", role=Role.MUNICIPALITY, municipality=OURS),
            Account(username="kommune-0301", role=Role.MUNICIPALITY, municipality="0301"),
        ):
            await app.state.web.accounts.add(account, PASSWORD)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        server = http_server(app, "127.0.0.1", port, log_level="warning")
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        try:
            yield Offered(harness, plan, f"http://127.0.0.1:{port}", waiting, app.state.web)
        finally:
            server.should_exit = True
            await task
            await env.client.get_workflow_handle(f"kull-{plan.cohort}").terminate("test done")


async def outcome_of(offered: Offered, application_id: str) -> str:
    overview = await offered.harness.client.get_workflow_handle(f"kull-{offered.plan.cohort}").query(
        CohortWorkflow.overview
    )
    return str(next(r.outcome for r in overview.applications if r.id == application_id))


async def test_the_contact_clicks_takk_nei_and_the_waiting_list_moves_up(offered: Offered) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = await browser.new_context(base_url=offered.address, locale="nb-NO")
        page = await context.new_page()
        await sign_in(page, "kommune-4601")
        await page.goto(f"/kull/{offered.plan.cohort}/grupper/{OURS}")
        offer = page.locator("#tilbud")
        await expect(offer.get_by_role("heading", name="Tilbud om plass")).to_be_visible()
        deadline = offered.plan.gatherings[0].start.astimezone(UTC)
        assert deadline > datetime.now(UTC)
        await expect(offer).to_contain_text("Svar innen")
        await shot(page, "offer-open")
        await offer.get_by_role("button", name="Takk nei").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Dere har takket nei til plassen. Plassen går videre til neste på ventelisten."
        )
        await expect(page.get_by_role("button", name="Takk ja")).to_have_count(0)
        await shot(page, "offer-declined")
        await browser.close()

    async def moved_up() -> None:
        assert await outcome_of(offered, OURS) == "gave_up"
        assert await outcome_of(offered, offered.waiting) == "moved_up"

    await eventually(moved_up)


async def test_the_page_shows_the_offer_from_the_row_its_cohort_wrote(
    offered: Offered, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cohort writes each group's offer (issue 18): the page shows it without asking the cohort, which is the
    busiest workflow of the year while a national cohort is admitted."""
    group_id = group_workflow_id(offered.plan.cohort, OURS)

    async def written() -> None:
        handle = offered.harness.client.get_workflow_handle(f"kull-{offered.plan.cohort}")
        record = next(r for r in (await handle.query(CohortWorkflow.overview)).applications if r.id == OURS)
        assert record.answer_by is not None
        offer = OfferState(outcome=record.outcome, answer_by=record.answer_by, answered=record.answered)
        assert await written_offer(offered.harness.sessions, group_id) == offer

    await eventually(written)

    async def unreachable(cohort: str) -> None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Temporal svarer ikke")

    monkeypatch.setattr(offered.web, "overview", unreachable)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = await (await browser.new_context(base_url=offered.address, locale="nb-NO")).new_page()
        await sign_in(page, "kommune-4601")
        await page.goto(f"/kull/{offered.plan.cohort}/grupper/{OURS}")
        offer = page.locator("#tilbud")
        await expect(offer.get_by_role("heading", name="Tilbud om plass")).to_be_visible()
        await expect(offer).to_contain_text("Svar innen")
        await expect(offer.get_by_role("button", name="Takk ja")).to_be_visible()
        await browser.close()


async def test_the_api_answers_only_for_the_contacts_own_application(offered: Offered) -> None:
    base = f"/api/cohorts/{offered.plan.cohort}/applications"
    async with offered.client() as client:
        ours = await token_of(client, "kommune-4601")
        theirs = await client.post(f"{base}/{OTHERS[0]}/answer", json={"answer": "accept"}, headers=ours)
        assert theirs.status_code == 404, theirs.text
        bad = await client.post(f"{base}/{OURS}/answer", json={"answer": "kanskje"}, headers=ours)
        assert bad.status_code == 422, bad.text
        accepted = await client.post(f"{base}/{OURS}/answer", json={"answer": "accept"}, headers=ours)
        assert accepted.status_code == 200, accepted.text
        assert (accepted.json()["outcome"], accepted.json()["answered"]) == ("admitted", "accept")
        again = await client.post(f"{base}/{OURS}/answer", json={"answer": "decline"}, headers=ours)
        assert again.status_code == 409 and again.json()["detail"] == "Tilbudet er allerede besvart (takk ja)"
        given_up = await client.post(f"{base}/{OURS}/give-up", headers=ours)
        assert given_up.status_code == 200, given_up.text
        assert (given_up.json()["outcome"], given_up.json()["moved_up"]) == ("gave_up", offered.waiting)
        none_left = await client.post(f"{base}/{OURS}/give-up", headers=ours)
        assert none_left.status_code == 409
        assert none_left.json()["detail"] == "Det er ingen plass å gi fra seg (utfall: ga fra seg plassen)"


async def token_of(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    answer = await client.post("/api/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def sign_in(page: Page, username: str) -> None:
    await page.goto("/")
    await page.get_by_label("Brukernavn").fill(username)
    await page.get_by_label("Passord").fill(PASSWORD)
    await page.get_by_role("button", name="Logg inn").click()
    await expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
