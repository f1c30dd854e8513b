"""In headless Chromium (the fixtures of test_browser.py): the administration narrows the cohort page's list of
applications to a region with the filter form and reads only that region's application, then all of them again."""

from __future__ import annotations

from tests.web.conftest import World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, sign_in

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect


async def test_the_administration_filters_the_applications_by_region(page: Page, world: World) -> None:
    await sign_in(page, world, "admin")
    await page.goto(f"/kull/{world.cohort}?region=Østlandet")
    listed = page.locator("table.applications tbody")
    await expect(listed).to_contain_text("Oslo (0301)")
    await expect(listed).not_to_contain_text("Trondheim (5001)")
    await expect(page.locator("p.paging")).to_contain_text("Viser 1–1 av 1 søknader")
    await page.locator("select[name=region]").select_option("Trøndelag")
    await page.get_by_role("button", name="Vis", exact=True).click()
    await expect(listed).to_contain_text("Trondheim (5001)")
    await expect(listed).not_to_contain_text("Oslo (0301)")
    await page.locator("select[name=region]").select_option("")
    await page.get_by_role("button", name="Vis", exact=True).click()
    await expect(listed).to_contain_text("Trondheim (5001)")
    await expect(listed).to_contain_text("Oslo (0301)")
