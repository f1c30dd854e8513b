"""Names where people expect names (issue 20, item 4): municipalities from the register on the cohort page, the home
page, the group page, the inbox and in the letters; a participant's own name as their page's heading; a workflow ID
never as a heading. In headless Chromium (tests/web/test_browser.py's fixtures) and over HTTP."""

from __future__ import annotations

import re

import pytest

from domain.places import said_place
from tests.web import test_browser as browsing
from tests.web.conftest import OURS, THEIRS, World, sign_in
from tests.web.test_pages import text
from web.pages import unnamed

pytestmark = browsing.pytestmark
# the browser, the app served over HTTP and a fresh page per test, as the other browser tests have them
address, browser, page = browsing.address, browsing.browser, browsing.page

if browsing.CHROMIUM.exists():
    from playwright.async_api import Page, expect


async def test_admin_and_contact_read_the_municipality_by_name_and_the_participant_their_own(
    page: Page, world: World
) -> None:
    await browsing.sign_in(page, world, "admin")
    await page.goto(f"/kull/{world.cohort}")
    applications = page.locator("table.applications")
    await expect(applications).to_contain_text("Oslo (0301)")  # staff read the number beside the name
    await page.get_by_role("link", name="Trondheim (5001)").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Gruppe Trondheim kull {world.cohort}")
    await expect(page.locator("dl.facts")).to_contain_text("Trondheim (5001)")
    await browsing.shot(page, "names-group-admin")
    await sign_out(page)

    await browsing.sign_in(page, world, "municipality")
    await expect(page.locator("header")).to_contain_text("kommune-5001 · Trondheim kommune")
    # their group on the home page, by name (in this world's cohort: other tests' cohorts may hold a 5001 too)
    ours = page.get_by_role("row").filter(has_text=world.cohort)
    await ours.get_by_role("link", name="Trondheim", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Gruppe Trondheim kull {world.cohort}")
    await browsing.shot(page, "names-group-municipality")
    await page.get_by_role("link", name="Mine oppgaver").click()
    await expect(page.locator("table.tasks")).to_contain_text(f"Kull {world.cohort}, gruppe Trondheim")
    await sign_out(page)

    await browsing.sign_in(page, world, "participant")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deltaker 0")  # their name in the register
    await expect(page.locator("main")).to_contain_text("Gruppe Trondheim, kull")
    await expect(page.locator("main")).not_to_contain_text(world.members[0])
    await browsing.shot(page, "names-participant")


async def test_the_admission_letter_names_the_municipality(world: World) -> None:
    """The letters the cohort queued for the admitted groups, rendered from their notices for the administration."""
    async with world.client() as client:
        await sign_in(client, world, "admin")
        letters = text((await client.get(f"/kull/{world.cohort}/brev", params={"type": "admitted"})).text)
    assert f"Gratulerer! Trondheim har fått plass på kull {world.cohort}" in letters
    assert f"Gratulerer! Oslo har fått plass på kull {world.cohort}" in letters
    assert OURS not in letters and THEIRS not in letters


async def test_the_contacts_home_page_names_the_group_and_the_log_says_where_in_words(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        home = text((await client.get("/")).text)
    # the list's header, and this world's row in it (another test's cohort may hold a group of 5001 too)
    assert "Kull Gruppe Utfall Status" in home and f"{world.cohort} Trondheim Tatt opp" in home
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = (await client.get("/logg", params={"kull": world.cohort})).text
    assert f"Kull {world.cohort} test Søknad Utført" in text(page)
    # the "Hvor" column, the second of each row, in words: never a workflow ID (a parameter may name one)
    where = [text(cell) for cell in re.findall(r"<tr><td>[^<]*</td><td>(.*?)</td>", page)]
    assert where and f"Kull {world.cohort}" in where and not [w for w in where if "kull-" in w], where


@pytest.mark.parametrize(
    ("workflow_id", "said"),
    [
        ("kull-2022", "Kull 2022"),
        ("kull-2022.gruppe-4227+4225+4206", "Kull 2022, Kvinesdal, Lyngdal og Farsund (4227+4225+4206)"),
        ("kull-2022.gruppe-4204.deltaker-2", "Kull 2022, Kristiansand (4204), deltaker 2"),
        ("kull-2022.gruppe-4204.deltaker-2.klage", "Kull 2022, Kristiansand (4204), deltaker 2, klage"),
        ("kull-2022.gruppe-4204.deltaker-2.ny-eksamen-2", "Kull 2022, Kristiansand (4204), deltaker 2, ny eksamen"),
        ("noe-annet", "noe-annet"),
    ],
)
def test_the_log_says_where_an_action_was_in_words(workflow_id: str, said: str) -> None:
    assert said_place(workflow_id) == said


def test_a_participant_the_register_does_not_name_is_said_by_their_place() -> None:
    assert unnamed("kull-2022.gruppe-4227+4225.deltaker-3") == "Deltaker 3 i gruppe Kvinesdal og Lyngdal"


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Logg ut").click()
    await expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
