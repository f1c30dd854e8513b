"""In headless Chromium (the fixtures of test_browser.py): the administration moves a gathering of a cohort whose groups
are admitted, and the letters queued to an admitted group (its contact and its members), rendered as the relay renders
them with the name from the register, say the new date and time in Norwegian."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select
from temporalio.service import RPCError

from activities.letters import NOTICE, Contact, date_time, render_letter
from domain.catalogue.labels import OSLO
from domain.models import Application, CohortPlan
from domain.plan_form import to_form
from gateway.admin import Admin
from store.db import under_workflow
from store.people import People, register_key
from store.tables import OutboxRecord
from tests.conftest import TEST_KEY
from tests.factories import application
from tests.web.conftest import World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot, sign_in
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id
from workflows.messages import ConfirmSelectionInput

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect

DAY = 86400.0
ADMITTED = "4601"  # Bergen


def whole_days(plan: CohortPlan) -> CohortPlan:
    """The gatherings at whole minutes, a working day each day, as a person types them into the form."""
    base = datetime.now(UTC).replace(second=0, microsecond=0)
    gatherings = [
        g.model_copy(
            update={
                "start": base + timedelta(days=10 * (i + 1)),
                "end": base + timedelta(days=10 * (i + 1) + g.days - 1, hours=7),
            }
        )
        for i, g in enumerate(plan.gatherings)
    ]
    return plan.model_copy(update={"gatherings": gatherings})


@pytest.fixture
async def admitted(world: World) -> AsyncIterator[tuple[CohortPlan, People]]:
    """A cohort of its own whose one group is admitted (its members started); its gatherings days ahead."""
    plan = whole_days(
        now_plan(
            {
                "application_deadline": 3,
                "selection_date": 4,
                "written_deadline": 70 * DAY,
                "oral_start": 71 * DAY,
                "oral_end": 72 * DAY,
            },
            gathering_starts=[10 * DAY * (i + 1) for i in range(6)],
            requirement_deadlines=[10 * DAY * (i + 1) + 5 * DAY for i in range(4)],
            cohort=f"brev-{uuid.uuid4().hex[:6]}",
            # the plan form cannot show "no answer asked" (a blank is the default): the model's default, as typed
            offer_answer_seconds=14 * DAY,
        )
    )
    harness = world.harness
    people = People(harness.sessions, register_key(TEST_KEY))
    admin = Admin(harness.client, harness.sessions, harness.task_queue, people)
    cohort = await admin.open_cohort(plan, seed="endringsbrev")
    raw = application([ADMITTED], participants=3) | {"cohort": plan.cohort}
    assert (await admin.apply(Application.model_validate(raw), "test")).accepted

    async def drawn() -> None:  # the cohort's own word that the deadline passed and the draw is made
        assert (await cohort.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn)
    await cohort.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="test"))
    group = harness.client.get_workflow_handle(group_workflow_id(plan.cohort, ADMITTED))

    async def started() -> None:
        detail = await group.query(GroupWorkflow.detail)
        assert detail.outcome == "admitted" and len(detail.members) == 3

    await eventually(started)
    yield plan, people
    async for execution in harness.client.list_workflows(f"NisCohort = '{plan.cohort}'"):
        with contextlib.suppress(RPCError):
            await harness.client.get_workflow_handle(execution.id).terminate("test done")


async def letters_of(world: World, people: People, workflow_id: str) -> list[str]:
    """The plan_amended letters queued by the group, each rendered for its reader as the relay renders it."""
    async with world.harness.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxRecord).where(
                    OutboxRecord.kind == "plan_amended", under_workflow(OutboxRecord.idempotency_key, workflow_id)
                )
            )
        ).all()
    bodies = []
    for row in rows:
        person = await people.get(row.person_id)
        assert person is not None
        letter = render_letter(NOTICE.validate_json(row.notice), person.name, Contact("stab@example.no"))
        bodies.append(f"{letter.subject}\n{letter.body}")
    return bodies


async def test_the_admitted_group_reads_the_moved_gathering_in_its_letters(
    page: Page, world: World, admitted: tuple[CohortPlan, People]
) -> None:
    plan, people = admitted
    await sign_in(page, world, "admin")
    await page.goto(f"/kull/{plan.cohort}/kullplan/endre")
    third = plan.gatherings[2]
    start, end = third.start + timedelta(days=2), third.end + timedelta(days=2)
    later = to_form(plan.model_copy(update={"gatherings": [third.model_copy(update={"start": start, "end": end})]}))
    await page.get_by_label("Samling 3, start").fill(later["gatherings.0.start"])
    await page.get_by_label("Samling 3, slutt").fill(later["gatherings.0.end"])
    await page.get_by_role("button", name="Lagre endringene").click()
    await expect(page.get_by_role("status")).to_contain_text("Kullplanen er endret: 2 datoer er flyttet.")
    await shot(page, "plan-amend-admitted")

    async def told() -> list[str]:
        bodies = await letters_of(world, people, group_workflow_id(plan.cohort, ADMITTED))
        assert len(bodies) == 4  # the contact and the three members
        return bodies

    new_day = format_date(start.astimezone(OSLO).date(), "EEEE d. MMMM y", locale="nb")  # e.g. "tirsdag 20. mai 2027"
    for body in await eventually(told):
        assert f"Endret plan for kull {plan.cohort}" in body
        assert f"flyttet fra {date_time(third.start)} til {date_time(start)}" in body, body
        assert f"til {new_day} kl. " in body and "\nHei " in body, body  # the new date in words, to the reader by name
    cohort = world.harness.client.get_workflow_handle(cohort_workflow_id(plan.cohort))
    assert (await cohort.query(CohortWorkflow.current_plan)).gatherings[2].start == start
