"""Two cohorts for the applying tests (tests/web/test_apply*.py): one open for applications (its deadline a quarter
of an hour ahead), one whose deadline has passed (waited for by its stage), on a real worker and dev server; the app
built by its factory, and the steps a municipality contact takes: register, follow the link in the queued letter,
choose a password."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from activities.letters import NOTICE, Contact, render_letter
from domain.models import CohortPlan
from gateway.admin import Admin
from store.people import People, register_key
from store.tables import OutboxRecord
from tests.conftest import TEST_KEY, Harness
from tests.web.conftest import FINDINGS, csrf_of, web_settings
from tests.web.english import NoEnglish
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan
from web.app import create_app
from workflows.cohort import CohortWorkflow
from workflows.ids import cohort_workflow_id

PASSWORD = "kommune-passord-1"
LINK = re.compile(r"https?://\S+/registrering/\S+")


def _plan(deadline: float) -> CohortPlan:
    d = deadline
    return now_plan(
        {
            "application_deadline": d,
            "selection_date": d + 1,
            "written_deadline": d + 900,
            "oral_start": d + 910,
            "oral_end": d + 920,
        },
        gathering_starts=[d + 300 + 10 * i for i in range(6)],
        requirement_deadlines=[d + 600 + i for i in range(4)],
    )


@dataclass
class ApplyWorld:
    harness: Harness
    app: FastAPI
    open: CohortPlan
    closed: CohortPlan
    people: People

    def client(self, address: str = "127.0.0.1") -> httpx.AsyncClient:
        """A client of the app; `address` as the app sees it (registrations are limited per address)."""
        transport = httpx.ASGITransport(app=self.app, client=(address, 50124))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    async def letters(self, cohort: str, email: str, kind: str) -> list[str]:
        """The letters of `kind` queued to the person with this address, rendered as the relay renders them."""
        person_id = self.people.person_id(cohort, email)
        async with self.harness.sessions() as session:
            rows = (
                await session.scalars(
                    select(OutboxRecord).where(OutboxRecord.person_id == person_id, OutboxRecord.kind == kind)
                )
            ).all()
        person = await self.people.get(person_id)
        name = person.name if person else None
        return [render_letter(NOTICE.validate_json(r.notice), name, Contact("stab@example.no")).body for r in rows]

    async def receipt(self, cohort: str, email: str) -> list[str]:
        """The receipt letters to `email`, once the group has queued one (it does so as it starts)."""

        async def queued() -> list[str]:
            bodies = await self.letters(cohort, email, "application_received")
            assert bodies
            return bodies

        return await eventually(queued)

    async def link(self, cohort: str, email: str) -> str:
        """The newest confirmation link in the letters to `email`."""
        bodies = await self.letters(cohort, email, "registration_link")
        found = LINK.findall(bodies[-1])
        assert found, bodies[-1]
        return str(found[0])


async def apply_world(env: WorkflowEnvironment, folder: Path, web_url: str | None = None) -> AsyncIterator[ApplyWorld]:
    async with Harness(env.client, folder) as harness:
        people = People(harness.sessions, register_key(TEST_KEY))
        admin = Admin(harness.client, harness.sessions, harness.task_queue, people)
        plans = _plan(900.0), _plan(1.0)
        for plan in plans:
            await admin.open_cohort(plan, seed="søk-frø")
        closed = harness.client.get_workflow_handle(cohort_workflow_id(plans[1].cohort))

        async def deadline_passed() -> None:  # the cohort's own word that its intake is over
            assert (await closed.query(CohortWorkflow.overview)).stage != "intake"

        await eventually(deadline_passed)
        settings = web_settings(folder, harness.task_queue)
        if web_url:
            settings = settings.model_copy(update={"web_url": web_url})
        app = create_app(settings, env.client, harness.sessions)
        app.add_middleware(NoEnglish, findings=FINDINGS)
        yield ApplyWorld(harness, app, plans[0], plans[1], people)
        for plan in plans:
            async for execution in env.client.list_workflows(f"NisCohort = '{plan.cohort}'"):
                with contextlib.suppress(RPCError):
                    await env.client.get_workflow_handle(execution.id).terminate("test done")


async def register(
    client: httpx.AsyncClient, cohort: str, municipality: str, email: str, name: str = "Kari Kontakt"
) -> httpx.Response:
    page = await client.get(f"/kull/{cohort}/sok")
    assert page.status_code == 200, page.text
    form = {"csrf": csrf_of(page.text), "name": name, "email": email, "municipality": municipality}
    return await client.post(f"/kull/{cohort}/sok", data=form)


async def confirm(client: httpx.AsyncClient, link: str, username: str) -> httpx.Response:
    path = httpx.URL(link).path
    page = await client.get(path)
    assert page.status_code == 200, page.text
    form = {"csrf": csrf_of(page.text), "username": username, "password": PASSWORD, "password_again": PASSWORD}
    return await client.post(path, data=form)


async def bearer(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    answer = await client.post("/api/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
