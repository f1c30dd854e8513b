"""Applying on the web in headless Chromium (Debian's /usr/bin/chromium driven by Playwright): a municipality contact
reads the cohort's public page, registers, follows the link in the letter the outbox holds, chooses a password, fills
in the application with one mistake, sees it beside its field in Norwegian, corrects it, sends it and reads the
receipt; the receipt letter is queued to them. The administration then signs in and finds the application on the
cohort's page under the municipality's name."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from temporalio.testing import WorkflowEnvironment

from store.accounts import Account, Role
from tests.web.apply_world import PASSWORD, ApplyWorld, apply_world
from tests.web.test_browser import CHROMIUM, FLAGS, SHOTS
from web.server import http_server

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) to run the browser tests",
)

if CHROMIUM.exists():
    from playwright.async_api import Page, async_playwright, expect

    expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
async def served(
    env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[ApplyWorld, str]]:
    """The app over real HTTP on a free port, its letters' links pointing there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    address = f"http://127.0.0.1:{port}"
    async for world in apply_world(env, tmp_path_factory.mktemp("apply-browser"), web_url=address):
        server = http_server(world.app, "127.0.0.1", port, log_level="warning")
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        yield world, address
        server.should_exit = True
        await task


@pytest.fixture
async def page(served: tuple[ApplyWorld, str]) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = await browser.new_context(base_url=served[1], locale="nb-NO")
        yield await context.new_page()
        await browser.close()


async def fill_participant(page: Page, number: int, email: str, sector: str, education: str) -> None:
    person = page.get_by_role("group", name=f"Deltaker {number}")
    await person.get_by_label("Navn").fill(f"Deltaker Nummer{number}")
    await person.get_by_label("E-postadresse").fill(email)
    await person.get_by_label("Sektor").select_option(sector)
    await person.get_by_label("Stilling").fill("rådgiver")
    await person.get_by_label("År med høyere utdanning").fill(education)
    await person.get_by_label("År med arbeidserfaring").fill("2")


async def test_a_contact_registers_confirms_applies_and_reads_the_receipt(
    page: Page, served: tuple[ApplyWorld, str]
) -> None:
    world, _ = served
    cohort, email = world.open.cohort, "kari.kontakt@trondheim.kommune.no"
    await page.goto(f"/kull/{cohort}/sok")
    await expect(page.get_by_role("heading", name=f"Søk om plass på kull {cohort}")).to_be_visible()
    await expect(page.get_by_text("En søknad har 3 til 4 deltakere fra minst 2 ulike sektorer.")).to_be_visible()
    await page.get_by_label("Navnet ditt").fill("Kari Kontakt")
    await page.get_by_label("E-postadresse").fill(email)
    await page.get_by_label("Kommune").select_option("5001")
    await page.get_by_role("button", name="Send meg lenken").click()
    await expect(page.get_by_role("heading", name="Sjekk e-posten din")).to_be_visible()

    await page.goto(await world.link(cohort, email))  # the link as the letter in the outbox gives it
    await expect(page.get_by_text("Du blir kontaktperson for Trondheim")).to_be_visible()
    await page.get_by_label("Brukernavn").fill("kari-trondheim")
    await page.get_by_label("Passord", exact=True).fill(PASSWORD)
    await page.get_by_label("Passordet en gang til").fill(PASSWORD)
    await page.get_by_role("button", name="Bekreft og velg passord").click()

    await expect(page.get_by_role("heading", name=f"Søknad til kull {cohort}")).to_be_visible()
    await expect(page.get_by_role("group", name="Kontaktperson").get_by_label("E-postadresse")).to_have_value(email)
    await fill_participant(page, 1, "en@trondheim.kommune.no", "helse_omsorg", "4")
    await fill_participant(page, 2, "to-ved-trondheim", "teknisk_miljo", "3")  # the mistake
    await fill_participant(page, 3, "tre@trondheim.kommune.no", "kultur_fritid", "1,5")
    await page.get_by_role("button", name="Lagre utkast").click()
    await expect(page.get_by_text("Utkastet er lagret. Du kan rette det til fristen.")).to_be_visible()
    await page.get_by_role("button", name="Send søknaden").click()
    second = page.get_by_role("group", name="Deltaker 2")
    await expect(second.get_by_role("alert")).to_have_text("'to-ved-trondheim' er ikke en e-postadresse")
    await expect(page.get_by_role("group", name="Deltaker 1").get_by_role("alert")).to_have_count(0)
    await page.screenshot(path=str(SHOTS / "apply-mistake.png"), full_page=True)

    await second.get_by_label("E-postadresse").fill("to@trondheim.kommune.no")
    await page.get_by_role("button", name="Send søknaden").click()
    await expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    await expect(
        page.get_by_text(f"Søknaden fra Trondheim til kull {cohort} er mottatt. Status: Søkt.")
    ).to_be_visible()
    [receipt] = await world.receipt(cohort, email)
    assert "Vi har mottatt søknaden fra Trondheim" in receipt

    await page.get_by_role("button", name="Logg ut").click()
    await expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()  # signed out before the next sign-in
    await the_administration_finds_it_by_name(page, world, cohort)


async def the_administration_finds_it_by_name(page: Page, world: ApplyWorld, cohort: str) -> None:
    await world.app.state.web.accounts.add(Account(username="ada-opptak", role=Role.ADMIN), PASSWORD)
    await page.goto("/logg-inn")
    await page.get_by_label("Brukernavn").fill("ada-opptak")
    await page.get_by_label("Passord").fill(PASSWORD)
    await page.get_by_role("button", name="Logg inn").click()
    await expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    await page.goto(f"/kull/{cohort}")
    row = page.locator("table.applications").get_by_role("row", name="Trondheim (5001)")
    await expect(row).to_contain_text("Søkt")  # the name from the register beside its number, and its state
    await expect(page.locator("table.applications")).not_to_contain_text("Ingen søknader ennå.")
    await page.screenshot(path=str(SHOTS / "apply-admin-sees-it.png"), full_page=True)
