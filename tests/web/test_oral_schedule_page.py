"""Orals on a timetable on the group page, in headless Chromium (tests/web/test_browser.py's fixtures): the
administration sets the time and place in the form, first outside the oral period (refused beside the form, in
Norwegian, nothing changed), then inside it; the municipality contact reads the time and place on their group's page."""

from __future__ import annotations

from datetime import timedelta

from domain.catalogue.labels import OSLO, when
from tests.web import test_browser as browsing
from tests.web.conftest import World
from tests.web.test_names import sign_out

pytestmark = browsing.pytestmark
address, browser, page = browsing.address, browsing.browser, browsing.page

if browsing.CHROMIUM.exists():
    from playwright.async_api import Page, expect


async def test_the_administration_sets_the_oral_and_the_contact_reads_it(page: Page, world: World) -> None:
    inside = world.plan.oral_start + timedelta(seconds=5)
    outside = world.plan.oral_end + timedelta(hours=1)
    await browsing.sign_in(page, world, "admin")
    await page.goto(world.group())
    section = page.locator("#muntlig-tid")
    await expect(section).to_contain_text("Ikke satt ennå.")

    await section.get_by_label("Tidspunkt").fill(outside.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M:%S"))
    await section.get_by_label("Sted").fill("Rom 101, Storgata 1")
    await section.get_by_role("button", name="Sett tid og sted").click()
    await expect(page.locator("#muntlig-tid")).to_contain_text("er utenfor perioden for muntlig eksamen")
    await expect(page.locator("#muntlig-tid")).to_contain_text("Ikke satt ennå.")

    section = page.locator("#muntlig-tid")
    await section.get_by_label("Tidspunkt").fill(inside.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M:%S"))
    await section.get_by_label("Sted").fill("Rom 101, Storgata 1")
    await section.get_by_role("button", name="Sett tid og sted").click()
    await expect(page.locator(".flash")).to_have_text(
        "Tid og sted for den muntlige eksamenen er satt, og de som skal opp får brev."
    )
    await expect(page.locator("#muntlig-tid")).to_contain_text(f"{when(inside)}, Rom 101, Storgata 1.")
    await browsing.shot(page, "oral-scheduled")
    await sign_out(page)

    await browsing.sign_in(page, world, "municipality")
    await page.goto(world.group())
    await expect(page.locator("#muntlig-tid")).to_contain_text(f"{when(inside)}, Rom 101, Storgata 1.")
    await expect(page.locator("#muntlig-tid form")).to_have_count(0)  # only the administration sets it
