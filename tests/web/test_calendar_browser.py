"""In headless Chromium (the fixtures of test_browser.py): a participant signs in, finds "Kalender-abonnement" on
their own page, clicks "Lag ny lenke", and the address the page shows is a calendar of their dates."""

from __future__ import annotations

from icalendar import Calendar

from tests.web.conftest import World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot, sign_in

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect


async def test_a_participant_makes_their_calendar_address_on_their_page(page: Page, world: World, address: str) -> None:
    await sign_in(page, world, "participant")  # a participant lands on their own page
    section = page.locator("#kalender-abonnement")
    await expect(section.get_by_role("heading", name="Kalender-abonnement")).to_be_visible()
    await section.get_by_role("button", name="Lag ny lenke").click()
    await expect(page.get_by_role("heading", name="Kalender-abonnement")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text("Kopier den nå: den vises bare denne gangen.")
    url = await page.get_by_label("Lenke til kalenderen").input_value()
    assert url.startswith(f"{address}/kalender/") and url.endswith(".ics")
    await shot(page, "calendar-address")

    answer = await page.request.get(url)  # what a calendar program fetches with the address
    assert answer.status == 200 and answer.headers["content-type"] == "text/calendar; charset=utf-8"
    said = [str(event["SUMMARY"]) for event in Calendar.from_ical(await answer.body()).walk("VEVENT")]
    assert f"Samling 1: {world.plan.gatherings[0].theme}" in said and "Frist skriftlig oppgave" in said

    await page.get_by_role("link", name="Tilbake").click()
    await expect(page.locator("#kalender-abonnement")).to_be_visible()  # back on their own page
