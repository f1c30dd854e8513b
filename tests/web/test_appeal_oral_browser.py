"""An appeal's new oral on the web, in Chromium, on a real worker and dev server: the commission has changed the
written grade; the administration finds "Sett tid for ny muntlig eksamen" in its inbox, follows it to the appeal's
page and sets the time and place in the form; the person who appealed reads them on their own page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from domain.catalogue import when
from domain.catalogue.labels import OSLO
from domain.ids import AppealId
from domain.models import Grade
from store.accounts import Account, Role
from tests.conftest import Harness
from tests.web.conftest import PASSWORD, serving
from tests.web.test_appeal_commission import commission_app
from tests.web.test_browser import CHROMIUM, FLAGS
from tests.web.test_end_of_year import ADMIN
from tests.workflows.commission import EXAMINER, EXTERNAL, decide, grade

if CHROMIUM.exists():
    from playwright.async_api import Page, async_playwright, expect

PERSON = "deltaker.klage"  # the account of the person who appealed (member 1: written C, +1: B)
PLACE = "Møterom Fjord, Rådhuset"


@pytest.fixture
async def served(harness: Harness, tmp_path: Path) -> AsyncIterator[tuple[str, str]]:
    """The commission has fixed B (from C): the appeal waits for its new oral."""
    app, ids, gateway = await commission_app(harness, tmp_path)
    await app.state.web.accounts.add(Account(username=PERSON, role=Role.PARTICIPANT, participant=ids[0]), PASSWORD)
    appeal = AppealId.parse(f"{ids[0]}.klage")
    await grade(gateway, appeal, EXAMINER, Grade.B)
    await grade(gateway, appeal, EXTERNAL, Grade.B)
    assert (await decide(gateway, appeal, Grade.B)).stage == "awaiting_oral"
    async with serving(app) as address:
        yield address, ids[0]


async def sign_in(page: Page, username: str) -> None:
    await page.goto("/")
    await page.get_by_label("Brukernavn").fill(username)
    await page.get_by_label("Passord").fill(PASSWORD)
    await page.get_by_role("button", name="Logg inn").click()
    await expect(page.get_by_role("button", name="Logg ut")).to_be_visible(timeout=15_000)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
async def test_the_administration_sets_the_new_oral_and_the_person_reads_it(served: tuple[str, str]) -> None:
    address, person = served
    start = (datetime.now(OSLO) + timedelta(days=3)).replace(hour=10, minute=15, second=0, microsecond=0)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = await browser.new_context(base_url=address, locale="nb-NO")
        page = await context.new_page()
        await sign_in(page, ADMIN.username)
        task = page.get_by_role("link", name="Sett tid for ny muntlig eksamen")
        for _ in range(50):  # the appeal's row reaches the read model as its workflow writes it
            await page.goto("/oppgaver")
            if await task.count():
                break
            await asyncio.sleep(0.2)
        await task.click()
        await expect(page.get_by_role("heading", name="Tid og sted for ny muntlig eksamen")).to_be_visible()
        await expect(page.get_by_text("Ikke satt ennå.")).to_be_visible()
        await page.get_by_label("Tidspunkt").fill(start.strftime("%Y-%m-%dT%H:%M:%S"))
        await page.get_by_label("Sted").fill(PLACE)
        await page.get_by_role("button", name="Sett tid og sted").click()
        await expect(page.get_by_text("Tid og sted for den nye muntlige eksamenen er satt")).to_be_visible(
            timeout=15_000
        )
        await page.goto(f"/klage/{person}")
        await expect(page.get_by_text(f"{when(start)}, {PLACE}.")).to_be_visible()

        page = await (await browser.new_context(base_url=address, locale="nb-NO")).new_page()  # the person's own
        await sign_in(page, PERSON)
        shown = page.get_by_text(f"Ny muntlig eksamen {when(start)}, {PLACE}.")
        for _ in range(50):  # the page reads the appeal's row, which the workflow writes after the update
            await page.goto(f"/deltaker/{person}")
            if await shown.count():
                break
            await asyncio.sleep(0.2)
        await expect(shown).to_be_visible()
        await expect(page.get_by_text("Ny skriftlig karakter B.")).to_be_visible()
        await context.close()
        await browser.close()
