"""In headless Chromium (the fixtures of test_browser.py): the administration opens a cohort from the plan form,
puts a gathering out of order, reads the broken rule beside that field, corrects it, and lands on the new cohort's
page with its calendar."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from babel.dates import format_date
from temporalio.service import RPCError

from tests.web.conftest import World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot, sign_in
from workflows.ids import cohort_workflow_id

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect


def said(typed: str) -> str:
    return format_date(date.fromisoformat(typed[:10]), "EEEE d. MMMM y", locale="nb")  # mandag 29. november 2027


@pytest.fixture
async def cohort(world: World) -> AsyncIterator[str]:
    """A name no other test's cohort has; its workflow ends with the test."""
    name = f"skjema-{uuid.uuid4().hex[:6]}"
    yield name
    with contextlib.suppress(RPCError):
        await world.harness.client.get_workflow_handle(cohort_workflow_id(name)).terminate("test done")


async def test_the_administration_opens_a_cohort_from_the_plan_form(page: Page, world: World, cohort: str) -> None:
    await sign_in(page, world, "admin")
    await page.get_by_role("link", name="Fyll inn kullplanen i et skjema").click()
    await expect(page.get_by_role("heading", name="Nytt kull")).to_be_visible()
    await expect(page.get_by_label("Samling 1, tema")).to_have_value("Innovasjon og kreativitet")  # the study plan's

    await page.get_by_label("Kullets navn").fill(cohort)
    third = page.get_by_label("Samling 3, start")
    right, end = await third.input_value(), await page.get_by_label("Samling 3, slutt").input_value()
    year = right[:4]
    await third.fill(f"{year}-10-01T09:00")  # before the second gathering ends: out of order
    await page.get_by_role("button", name="Åpne kullet").click()

    beside = page.locator("#feil-gatherings-2-start")
    await expect(beside).to_have_text(
        "Samling 3, start: må komme etter samling 2, start; Samling 3, start: overlapper samling 2"
    )
    await expect(page.locator("#feil")).to_contain_text("Planen er ikke lagret")
    await expect(page.get_by_label("Kullets navn")).to_have_value(cohort)  # what was typed is kept
    await expect(page.get_by_label("Samling 3, start")).to_have_value(f"{year}-10-01T09:00")
    await shot(page, "plan-form-refused")
    with pytest.raises(RPCError):  # nothing was opened
        await world.harness.client.get_workflow_handle(cohort_workflow_id(cohort)).describe()

    await page.get_by_label("Samling 3, start").fill(right)
    await page.get_by_role("button", name="Åpne kullet").click()

    await expect(page.get_by_role("heading", name=f"Kull {cohort}")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text(f"Kull {cohort} er åpnet for søknader.")
    await expect(page.locator("#fase")).to_have_text("Søknadsfase")
    calendar = page.locator("#kalender")
    await expect(calendar.get_by_role("row", name="Samling 3: Innovasjon i kommuner")).to_contain_text(
        f"{said(right)} til {said(end)} (2 dager)"  # as a person reads the dates they typed
    )
    await expect(calendar).to_contain_text("Frist for skriftlig oppgave")
    await shot(page, "plan-form-opened")
