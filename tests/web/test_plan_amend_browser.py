"""In headless Chromium (the fixtures of test_browser.py): the administration opens "Endre kullplanen" on a running
cohort's page, gets the plan form prefilled with the plan the cohort runs on, moves a gathering into the past and
reads why beside that field, moves it two days later instead, and the cohort page's calendar shows the new date."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from temporalio.service import RPCError

from domain.catalogue.labels import OSLO
from domain.models import CohortPlan
from domain.plan import check_plan
from domain.plan_form import to_form
from gateway.admin import Admin
from store.people import People, register_key
from tests.conftest import TEST_KEY
from tests.web.conftest import World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot, sign_in
from tests.workflows.plans import plan_from
from workflows.cohort import CohortWorkflow
from workflows.ids import cohort_workflow_id

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect

DAY = 86400.0


def said(moment: datetime) -> str:
    return format_date(moment.astimezone(OSLO).date(), "EEEE d. MMMM y", locale="nb")  # tirsdag 20. september 2027


@pytest.fixture
async def cohort(world: World) -> AsyncIterator[CohortPlan]:
    """A cohort of its own, in its intake, its dates days ahead at whole minutes; its workflow ends with the test."""
    t0 = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)
    plan = plan_from(
        t0,
        {
            "application_deadline": 0,
            "selection_date": DAY,
            "written_deadline": 70 * DAY,
            "oral_start": 71 * DAY,
            "oral_end": 72 * DAY,
        },
        gathering_starts=[10 * DAY * (i + 1) for i in range(6)],
        requirement_deadlines=[10 * DAY * (i + 1) + 5 * DAY for i in range(4)],
        cohort=f"endre-{uuid.uuid4().hex[:6]}",
    )
    plan = plan.model_copy(  # gatherings of whole days, as a person types them
        update={
            "gatherings": [
                g.model_copy(update={"end": g.start + timedelta(days=g.days - 1, hours=7)}) for g in plan.gatherings
            ]
        }
    )
    assert check_plan(plan) == []
    harness = world.harness
    admin = Admin(
        harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY))
    )
    await admin.open_cohort(plan, seed="endring")
    yield plan
    with contextlib.suppress(RPCError):
        await harness.client.get_workflow_handle(cohort_workflow_id(plan.cohort)).terminate("test done")


async def test_the_administration_moves_a_gathering_of_a_running_cohort(
    page: Page, world: World, cohort: CohortPlan
) -> None:
    await sign_in(page, world, "admin")
    await page.goto(f"/kull/{cohort.cohort}")
    await page.get_by_role("link", name="Endre kullplanen").click()
    await expect(page.get_by_role("heading", name=f"Endre kullplanen for kull {cohort.cohort}")).to_be_visible()
    shown = to_form(cohort)
    await expect(page.get_by_label("Samling 3, start")).to_have_value(shown["gatherings.2.start"])  # the running plan

    await page.get_by_label("Samling 3, start").fill("2020-01-07T09:00")
    await page.get_by_role("button", name="Lagre endringene").click()
    await expect(page.locator("#feil-gatherings-2-start")).to_contain_text(
        "Samling 3, start: kan ikke flyttes til et tidspunkt som har vært"
    )
    await expect(page.locator("#feil")).to_contain_text("Planen er ikke lagret")
    await shot(page, "plan-amend-refused")
    plan_now = await world.harness.client.get_workflow_handle_for(
        CohortWorkflow.run, cohort_workflow_id(cohort.cohort)
    ).query(CohortWorkflow.current_plan)
    assert plan_now == cohort  # nothing was sent

    third = cohort.gatherings[2]
    start, end = third.start + timedelta(days=2), third.end + timedelta(days=2)
    later = to_form(cohort.model_copy(update={"gatherings": [third.model_copy(update={"start": start, "end": end})]}))
    await page.get_by_label("Samling 3, start").fill(later["gatherings.0.start"])
    await page.get_by_label("Samling 3, slutt").fill(later["gatherings.0.end"])
    await page.get_by_role("button", name="Lagre endringene").click()

    await expect(page.get_by_role("status")).to_contain_text("Kullplanen er endret: 2 datoer er flyttet.")
    row = page.locator("#kalender").get_by_role("row", name="Samling 3: Innovasjon i kommuner")
    await expect(row).to_contain_text(f"{said(start)} til {said(end)}")
    await shot(page, "plan-amend-done")
    await page.reload()  # read again from the cohort, not from what the form sent
    await expect(row).to_contain_text(f"{said(start)} til {said(end)}")
