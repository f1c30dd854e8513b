"""One running cohort for the web tests: two admitted groups (5001 and 0301) on a real worker and dev server,
the first gathering under way, an account per role (the examiner assigned to 5001, the municipality 5001's
contact), and the app built by its factory over the same client.

Each test acts on its own work requirement or attendance day, so the tests do not depend on their order.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from domain.models import Application, CohortPlan
from gateway.admin import Admin
from runtime.settings import Settings
from store.accounts import Account, Accounts, Role
from store.end_of_year import AppealRecord
from store.people import People, register_key
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.web.english import Findings, NoEnglish
from tests.workflows.gatherings import gathering_begun
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan
from web.app import create_app
from web.server import http_server
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import ConfirmSelectionInput

PASSWORD = "riktig-hest-batteri"
FINDINGS = Findings()  # English the app's pages showed (tests/web/english.py), until the test that got them ends
OURS, THEIRS = "5001", "0301"  # the municipality account is bound to 5001


@dataclass
class World:
    harness: Harness
    plan: CohortPlan
    app: FastAPI
    members: list[str]  # participant ids of group 5001
    accounts: dict[str, Account]

    @property
    def cohort(self) -> str:
        return self.plan.cohort

    def group(self, application_id: str = OURS) -> str:
        return f"/kull/{self.cohort}/grupper/{application_id}"

    def api_group(self, application_id: str = OURS) -> str:
        return f"/api/cohorts/{self.cohort}/groups/{application_id}"

    def client(self, address: str = "127.0.0.1") -> httpx.AsyncClient:
        """A client of the app in this process; `address` is the client's IP as the app sees it."""
        transport = httpx.ASGITransport(app=self.app, client=(address, 50123))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    def settings(self, folder: Path) -> Settings:
        return web_settings(folder, self.harness.task_queue)


def web_settings(folder: Path, task_queue: str) -> Settings:
    return Settings(
        data_dir=folder,
        task_queue=task_queue,
        web_secret=SecretStr(uuid.uuid4().hex),
        codec_key=SecretStr(base64.b64encode(TEST_KEY).decode()),
    )


def cohort_plan() -> CohortPlan:
    """Applications due in 4 s, the first gathering 2 s later; the deadlines an hour ahead: the package's tests (a
    quarter of an hour and growing on a busy machine) all run before a requirement's deadline can fail a group."""
    d = 4.0
    return now_plan(
        {
            "application_deadline": d,
            "selection_date": d + 1,
            "written_deadline": d + 3900,
            "oral_start": d + 3910,
            "oral_end": d + 3920,
        },
        gathering_starts=[d + 2, *(d + 300 + 10 * i for i in range(5))],
        requirement_deadlines=[d + 3600 + i for i in range(4)],
        resubmission_seconds=120.0,
    )  # a returned requirement is due again before the oral exams end


async def open_cohort(harness: Harness, plan: CohortPlan) -> list[str]:
    """Apply, let the deadline pass, confirm the selection: the groups' members, once started and their first
    gathering begun."""
    admin = Admin(
        harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY))
    )
    handle = await admin.open_cohort(plan, seed="web-frø")
    for numbers in ([OURS], [THEIRS]):  # through the gateway: the people into the register the app reads names from
        result = await admin.apply(Application.model_validate(application(numbers) | {"cohort": plan.cohort}), "test")
        assert result.accepted, result.problems

    async def drawn() -> None:
        assert (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn)
    await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="test"))
    group = harness.client.get_workflow_handle(group_workflow_id(plan.cohort, OURS))

    async def members() -> list[str]:
        detail = await group.query(GroupWorkflow.detail)
        assert detail.members and detail.outcome == "admitted"
        return [m.participant_workflow_id for m in detail.members]

    ids = await eventually(members)
    for application_id in (OURS, THEIRS):  # the groups' own word, not the wall clock
        await gathering_begun(harness.client.get_workflow_handle(group_workflow_id(plan.cohort, application_id)))
    return ids


async def add_accounts(accounts: Accounts, participant: str) -> dict[str, Account]:
    made = {
        "admin": Account(username="ada", role=Role.ADMIN),
        "teacher": Account(username="turid", role=Role.TEACHER),
        "examiner": Account(username="sigurd", role=Role.EXAMINER),
        "municipality": Account(username="kommune-5001", role=Role.MUNICIPALITY, municipality=OURS),
        "participant": Account(username="deltaker-1", role=Role.PARTICIPANT, participant=participant),
    }
    for account in made.values():
        await accounts.add(account, PASSWORD)
    return made


@pytest.fixture(scope="package")
async def world(env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    folder = tmp_path_factory.mktemp("web")
    async with Harness(env.client, folder) as harness:
        await Accounts.create_table(harness.engine)
        plan = cohort_plan()
        members = await open_cohort(harness, plan)
        app = create_app(web_settings(folder, harness.task_queue), env.client, harness.sessions)
        app.add_middleware(NoEnglish, findings=FINDINGS)  # every page, to the test client or the browser
        accounts = await add_accounts(app.state.web.accounts, members[0])
        await app.state.web.accounts.assign("sigurd", group_workflow_id(plan.cohort, OURS))  # the examiner of 5001
        yield World(harness, plan, app, members, accounts)
        async for execution in env.client.list_workflows(
            f"NisCohort = '{plan.cohort}' AND ExecutionStatus = 'Running'"
        ):
            with contextlib.suppress(RPCError):
                await env.client.get_workflow_handle(execution.id).terminate("test done")


async def token(client: httpx.AsyncClient, world: World, role: str) -> dict[str, str]:
    """The Authorization header of a fresh bearer token for the role's account."""
    answer = await client.post("/api/token", data={"username": world.accounts[role].username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer"
    return {"Authorization": f"Bearer {body['access_token']}"}


async def sign_in(client: httpx.AsyncClient, world: World, role: str) -> None:
    form = await client.get("/logg-inn")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = await client.post(
        "/logg-inn", data={"username": world.accounts[role].username, "password": PASSWORD, "csrf": csrf}
    )
    assert answer.status_code == 303, answer.text


def appeal_row(world: World, participant: str, **changes: object) -> AppealRecord:
    """An undecided appeal's row of a member of the world's group (5001), registered now, as a test puts it in the
    read model: awaiting the commission's appointment unless `changes` say otherwise."""
    now = datetime.now(UTC)
    values: dict[str, object] = {
        "appeal_id": f"{participant}.klage",
        "participant_id": participant,
        "group_id": group_workflow_id(world.cohort, OURS),
        "cohort": world.cohort,
        "person_id": "p" + "2" * 20,
        "attempt": 1,
        "stage": "awaiting_examiners",
        "written_before": "C",
        "final_before": "C",
        "written_after": None,
        "oral_adjustment_after": None,
        "final_after": None,
        "credits_after": None,
        "registered_at": now,
        "decided_at": None,
        "updated_at": now,
    }
    return AppealRecord(**(values | changes))


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app served over HTTP on a free port of this machine (for a browser), at the address it yields."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = http_server(app, "127.0.0.1", port, log_level="warning")
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def csrf_of(page: str) -> str:
    return page.split('name="csrf" value="')[1].split('"')[0]


@pytest.fixture(autouse=True)
def no_english_on_a_page() -> Iterator[None]:
    """A test fails when a page it received showed English, a code or an identifier (tests/web/english.py)."""
    yield
    found = FINDINGS.take()
    assert not found, f"English on a page (path: what): {found}"
