"""In headless Chromium (the fixtures of test_browser.py): a person who failed, sat again and failed the re-sit finds
"Klag på karakteren på ny eksamen (forsøk 2)" on their page and clicks it; once the commission has decided, the page
shows the grade that counts after the appeal of the re-sit, in the attempts' table and in the facts."""

from __future__ import annotations

from domain.ids import AppealId
from domain.models import Grade
from gateway import commands
from gateway.accounts import Account, Role
from store.end_of_year import AppealRecord
from tests.web.conftest import PASSWORD, World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot
from tests.web.test_explanation_browser import sign_in_as
from tests.workflows.commission import EXAMINER, commission_decides, schedule_new_oral
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import acting, admin
from tests.workflows.test_resit_appeal import failed_resit
from workflows.end_of_year.messages import NewOralAdjustmentInput

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Locator, Page, expect

PARTICIPANT = "deltaker-omkonte-klage"


def fact(page: Page, term: str) -> Locator:
    """The value the page's facts give for `term` (its <dd>)."""
    return page.locator("dl.facts dt", has_text=term).locator("xpath=following-sibling::dd[1]")


async def test_the_person_appeals_their_resits_grade_on_their_page(page: Page, world: World) -> None:
    ids, resit = await failed_resit(world.harness)  # member 2: F, then F again at the re-sit
    accounts = world.app.state.web.accounts
    await accounts.add(Account(username=PARTICIPANT, role=Role.PARTICIPANT, participant=ids[1]), PASSWORD)

    await sign_in_as(page, PARTICIPANT)
    await page.goto(f"/deltaker/{ids[1]}")
    await expect(fact(page, "Endelig karakter")).to_have_text("F (den beste av 2 forsøk)")
    await page.get_by_role("button", name="Klag på karakteren på ny eksamen (forsøk 2)").click()
    await expect(page.get_by_text("Klagen er registrert.")).to_be_visible()
    await expect(fact(page, "Klage, ny eksamen (forsøk 2)")).to_contain_text("Registrert, ny sensur pågår")
    await expect(page.get_by_role("button", name="Klag på karakteren på ny eksamen (forsøk 2)")).to_have_count(0)
    await expect(page.get_by_role("button", name="Klag på den skriftlige delen")).to_have_count(0)

    gateway = admin(world.harness)  # the commission (two, one external) decides E; the new oral gives +1: D
    appeal = AppealId.parse(f"{ids[1]}.klage-2")
    assert (await commission_decides(gateway, appeal, Grade.E)).stage == "awaiting_oral"
    await schedule_new_oral(gateway, appeal)  # the new oral's time and place, before its adjustment
    oral = NewOralAdjustmentInput(actor=EXAMINER, adjustment=1)
    assert (await gateway.perform(commands.APPEAL_ORAL, appeal, oral, acting(EXAMINER))).stage == "decided"

    async def row_decided() -> None:  # the appeal's row is written by its workflow's activity after the decision
        async with world.harness.sessions() as session:
            row = await session.get(AppealRecord, appeal.workflow_id)
            assert row is not None and row.decided_at is not None

    await eventually(row_decided)
    await page.goto(f"/deltaker/{ids[1]}")
    appealed = fact(page, "Klage, ny eksamen (forsøk 2)")
    await expect(appealed).to_contain_text("Avgjort: ny skriftlig karakter E, karakteren som gjelder D.")
    await expect(fact(page, "Endelig karakter")).to_have_text("D (den beste av 2 forsøk, etter klage på forsøk 2)")
    await expect(fact(page, "Studiepoeng")).to_have_text("30")
    second = page.locator("table.attempts tbody tr").nth(1)
    await expect(second).to_contain_text("D (etter klage)")
    assert resit.attempt == 2
    await shot(page, "resit-appeal-participant")
