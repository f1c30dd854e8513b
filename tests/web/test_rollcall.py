"""Roll call (issue 20, item 7): a teacher takes a whole gathering day's attendance across every group of the cohort
in one form, in headless Chromium; each group saves on its own, and a group that refuses is named with its reason
while the others are saved.

A cohort of its own (three groups: Trondheim, Oslo, Kristiansand), so the day it registers is nobody else's; the
browser and the NoEnglish check are tests/web's.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from domain.models import Application
from gateway.admin import Admin
from store.accounts import Accounts
from store.people import People, register_key
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.web import test_browser as browsing
from tests.web.conftest import FINDINGS, World, add_accounts, cohort_plan, sign_in, web_settings
from tests.web.english import NoEnglish
from tests.workflows.gatherings import gathering_begun
from tests.workflows.helpers import eventually
from web.app import create_app
from web.server import http_server
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import ConfirmSelectionInput, GroupDetail, WithdrawParticipantInput
from workflows.participant import ParticipantWorkflow

pytestmark = browsing.pytestmark
browser = browsing.browser
GROUPS = ("5001", "0301", "4204")  # Trondheim, Oslo, Kristiansand

if browsing.CHROMIUM.exists():
    from playwright.async_api import Browser, Page, expect


@pytest.fixture(scope="module")
async def roll_world(env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    folder = tmp_path_factory.mktemp("opprop")
    async with Harness(env.client, folder) as harness:
        await Accounts.create_table(harness.engine)
        plan = cohort_plan()
        admin = Admin(
            harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY))
        )
        handle = await admin.open_cohort(plan, seed="opprop")
        for number in GROUPS:
            result = await admin.apply(Application.model_validate(application([number]) | {"cohort": plan.cohort}), "t")
            assert result.accepted, result.problems

        async def drawn() -> None:
            assert (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn"

        await eventually(drawn)
        await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="test"))
        for number in GROUPS:
            await eventually(lambda number=number: detail(harness, plan.cohort, number, members=True))  # type: ignore[misc]
            await gathering_begun(harness.client.get_workflow_handle(group_workflow_id(plan.cohort, number)))
        app = create_app(web_settings(folder, harness.task_queue), env.client, harness.sessions)
        app.add_middleware(NoEnglish, findings=FINDINGS)
        members = [m.participant_workflow_id for m in (await detail(harness, plan.cohort, GROUPS[0])).members]
        accounts = await add_accounts(app.state.web.accounts, members[0])
        yield World(harness, plan, app, members, accounts)
        async for execution in env.client.list_workflows(
            f"NisCohort = '{plan.cohort}' AND ExecutionStatus = 'Running'"
        ):
            with contextlib.suppress(RPCError):
                await env.client.get_workflow_handle(execution.id).terminate("test done")


async def detail(harness: Harness, cohort: str, number: str, members: bool = False) -> GroupDetail:
    found: GroupDetail = await harness.client.get_workflow_handle(group_workflow_id(cohort, number)).query(
        GroupWorkflow.detail
    )
    assert found.members or not members
    return found


@pytest.fixture(scope="module")
async def address(roll_world: World) -> AsyncIterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = http_server(roll_world.app, "127.0.0.1", port, log_level="warning")
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def page(browser: Browser, address: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=address, locale="nb-NO")
    opened = await context.new_page()
    yield opened
    await context.close()


async def test_a_teacher_takes_the_roll_of_a_day_and_a_group_that_refuses_is_named(
    page: Page, roll_world: World
) -> None:
    world, harness = roll_world, roll_world.harness
    await browsing.sign_in(page, world, "teacher")
    await page.goto(f"/kull/{world.cohort}")
    await page.get_by_role("link", name="Opprop for en samlingsdag").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Opprop kull {world.cohort}")
    await expect(page.get_by_role("combobox", name="Samling")).to_have_value("1")
    await expect(page.get_by_role("combobox", name="Dag")).to_have_value("1")
    legends = await page.locator("fieldset legend").all_inner_texts()
    assert legends == ["Kristiansand", "Oslo", "Trondheim"]  # every group of the cohort, by municipality name
    trondheim, oslo, kristiansand = (page.get_by_role("group", name=n) for n in ("Trondheim", "Oslo", "Kristiansand"))
    await expect(trondheim).to_contain_text("Deltaker 0")  # members by name, from the register
    await trondheim.get_by_label("Deltaker 0").check()
    await trondheim.get_by_label("Deltaker 1").check()
    await oslo.get_by_label("Deltaker 2").check()
    await kristiansand.get_by_label("Deltaker 2").check()

    # while the form is open, Kristiansand's third member withdraws: that group refuses the day, the others not
    gone = (await detail(harness, world.cohort, "4204")).members[2].participant_workflow_id
    await harness.client.get_workflow_handle(gone).execute_update(
        ParticipantWorkflow.withdraw, WithdrawParticipantInput(actor="test", reason="Ny jobb")
    )

    async def withdrawn() -> None:
        assert (await detail(harness, world.cohort, "4204")).members[2].withdrawn

    await eventually(withdrawn)
    await page.get_by_role("button", name="Lagre oppmøte for samling 1, dag 1").click()
    result = page.locator("#resultat")
    await expect(result).to_contain_text("Lagret for 2 av 3 grupper: Oslo, Trondheim.")
    await expect(result.locator("ul.refused")).to_have_text(
        "Kristiansand: Ikke aktive medlemmer av gruppen: Deltaker 2"
    )
    await expect(trondheim.get_by_label("Deltaker 1")).to_be_checked()  # the form keeps what was ticked
    await browsing.shot(page, "rollcall-saved")

    ours, theirs = await detail(harness, world.cohort, "5001"), await detail(harness, world.cohort, "0301")
    assert [m.attendance for m in ours.members] == [["1:1"], ["1:1"], []]
    assert [m.attendance for m in theirs.members] == [[], [], ["1:1"]]
    assert all(m.attendance == [] for m in (await detail(harness, world.cohort, "4204")).members)


async def test_a_day_of_a_gathering_not_begun_is_refused_for_every_group_and_nothing_is_saved(
    page: Page, roll_world: World
) -> None:
    await browsing.sign_in(page, roll_world, "admin")
    await page.goto(f"/kull/{roll_world.cohort}/opprop?samling=2&dag=1")
    await page.get_by_role("group", name="Oslo").get_by_label("Deltaker 0").check()
    await page.get_by_role("button", name="Lagre oppmøte for samling 2, dag 1").click()
    result = page.locator("#resultat")
    await expect(result).to_contain_text("Lagret for 0 av 3 grupper.")
    await expect(result.locator("ul.refused li")).to_have_text(
        [f"{name}: Samling 2 har ikke startet ennå" for name in ("Kristiansand", "Oslo", "Trondheim")]
    )
    oslo = await detail(roll_world.harness, roll_world.cohort, "0301")
    assert all("2:1" not in m.attendance for m in oslo.members)


async def test_only_teachers_and_the_administration_take_the_roll_and_a_day_outside_the_plan_is_named(
    roll_world: World,
) -> None:
    path = f"/kull/{roll_world.cohort}/opprop"
    for role in ("examiner", "municipality", "participant"):
        async with roll_world.client() as client:
            await sign_in(client, roll_world, role)
            assert (await client.get(path)).status_code == 403
    async with roll_world.client() as client:
        await sign_in(client, roll_world, "teacher")
        beyond = await client.get(path, params={"samling": "2", "dag": "3"})
        assert beyond.status_code == 422
        assert "Avvist: Samling 2 har 2 dager: velg en dag fra 1 til 2" in beyond.text
