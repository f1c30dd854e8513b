"""A cohort of its own with two joint applications admitted: five municipalities of Hallingdal, and the largest
joint application the rules accept (MUNICIPALITIES_MAX, twenty of Trøndelag), each with four members; an account
for the administration, a teacher, the contact of every member municipality and one participant of each group.

Issue 20, item 8: "a joint application of five or more municipalities is accepted but its group page and API
answer 404". The tests here open every page and API answer of such a group as each of those who may see it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from domain.models import Application, CohortPlan
from domain.text import MUNICIPALITIES_MAX
from gateway.admin import Admin
from store.accounts import Account, Accounts, Role
from store.people import People, register_key
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.web.conftest import FINDINGS, PASSWORD, World, web_settings
from tests.web.english import NoEnglish
from tests.workflows.gatherings import gathering_begun
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan
from web.app import create_app
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import ConfirmSelectionInput

FIVE = ["3324", "3326", "3328", "3330", "3322"]
FIVE_NAMES = "Gol, Hemsedal, Ål, Hol og Nesbyen"
LARGEST = [
    *("5001", "5006", "5007", "5014", "5020", "5021", "5022", "5025", "5026", "5027"),
    *("5028", "5029", "5031", "5032", "5033", "5034", "5035", "5036", "5037", "5038"),
]
LARGEST_NAMES = (
    "Trondheim, Steinkjer, Namsos, Frøya, Osen, Oppdal, Rennebu, Røros, Holtålen, Midtre Gauldal, Melhus, Skaun, "
    "Malvik, Selbu, Tydal, Meråker, Stjørdal, Frosta, Levanger og Verdal"
)
JOINT = {"+".join(FIVE): FIVE_NAMES, "+".join(LARGEST): LARGEST_NAMES}  # application ID -> the names people read
INTAKE_SECONDS = 10.0  # two applications of 4 people through the gateway, on a busy machine

assert len(LARGEST) == MUNICIPALITIES_MAX == len(set(LARGEST))


def contact(number: str) -> str:
    """The key (and user name) of the contact account of one member municipality."""
    return f"kontakt-{number}"


def participant(application_id: str) -> str:
    return f"deltaker-{application_id.split('+')[-1]}"


def plan_now() -> CohortPlan:
    d = INTAKE_SECONDS
    return now_plan(
        {
            "application_deadline": d,
            "selection_date": d + 1,
            "written_deadline": d + 900,
            "oral_start": d + 910,
            "oral_end": d + 920,
        },
        gathering_starts=[d + 2, *(d + 300 + 10 * i for i in range(5))],
        requirement_deadlines=[d + 600 + i for i in range(4)],
    )


async def admit(harness: Harness, plan: CohortPlan) -> dict[str, list[str]]:
    """Apply with both joint applications, confirm the drawn selection: each group's members, once its first
    gathering has begun by its own word."""
    people = People(harness.sessions, register_key(TEST_KEY))
    admin = Admin(harness.client, harness.sessions, harness.task_queue, people)
    handle = await admin.open_cohort(plan, seed="felles")
    for application_id in JOINT:
        data = application(application_id.split("+"), participants=4) | {"cohort": plan.cohort}
        result = await admin.apply(Application.model_validate(data), "test")
        assert result.accepted, result.problems

    async def drawn() -> None:
        assert (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn, timeout=INTAKE_SECONDS + 60)
    await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="test"))
    members = {}
    for application_id in JOINT:
        group = harness.client.get_workflow_handle(group_workflow_id(plan.cohort, application_id))

        async def admitted(group: object = group) -> list[str]:
            detail = await group.query(GroupWorkflow.detail)  # type: ignore[attr-defined]
            assert detail.outcome == "admitted" and len(detail.members) == 4
            return [m.participant_workflow_id for m in detail.members]

        members[application_id] = await eventually(admitted)
        await gathering_begun(group)
    return members


async def add_accounts(accounts: Accounts, members: dict[str, list[str]]) -> dict[str, Account]:
    made = {
        "admin": Account(username="ada", role=Role.ADMIN),
        "teacher": Account(username="turid", role=Role.TEACHER),
    }
    for application_id, ids in members.items():
        for number in application_id.split("+"):
            made[contact(number)] = Account(username=contact(number), role=Role.MUNICIPALITY, municipality=number)
        made[participant(application_id)] = Account(
            username=participant(application_id), role=Role.PARTICIPANT, participant=ids[0]
        )
    for account in made.values():
        await accounts.add(account, PASSWORD)
    return made


@pytest.fixture(scope="package")
async def joint(env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    """The cohort; the World's `members` are both groups' participants (each ID names its group)."""
    folder = tmp_path_factory.mktemp("felles")
    async with Harness(env.client, folder) as harness:
        await Accounts.create_table(harness.engine)
        plan = plan_now()
        members = await admit(harness, plan)
        app = create_app(web_settings(folder, harness.task_queue), env.client, harness.sessions)
        app.add_middleware(NoEnglish, findings=FINDINGS)
        accounts = await add_accounts(app.state.web.accounts, members)
        world = World(harness, plan, app, [m for ids in members.values() for m in ids], accounts)
        yield world
        async for execution in env.client.list_workflows(
            f"NisCohort = '{plan.cohort}' AND ExecutionStatus = 'Running'"
        ):
            with contextlib.suppress(RPCError):
                await env.client.get_workflow_handle(execution.id).terminate("test done")
