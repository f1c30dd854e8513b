"""In headless Chromium (the fixtures of test_browser.py): after the release, a participant clicks "Be om
begrunnelse" on their page, the group's examiner finds the task in their inbox and writes the begrunnelse on the
participant's page, and the participant reads it on their page with the appeal deadline counted from it."""

from __future__ import annotations

from gateway.accounts import Account, Role
from tests.web.conftest import PASSWORD, World
from tests.web.test_browser import CHROMIUM, address, browser, page, pytestmark, shot
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import graded_group, publish

__all__ = ["address", "browser", "page", "pytestmark"]  # the browser fixtures, and the skip without Chromium

if CHROMIUM.exists():
    from playwright.async_api import Page, expect

PARTICIPANT, EXAMINER = "deltaker-begrunnelse", "sensor-begrunnelse"
WORDS = "Besvarelsen viser god innsikt i tjenestedesign, men drøftingen av barrierene er kortfattet."


async def sign_in_as(page: Page, username: str) -> None:
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()  # the form of this load, its token
    await page.get_by_label("Brukernavn").fill(username)
    await page.get_by_label("Passord").fill(PASSWORD)
    await page.get_by_role("button", name="Logg inn").click()
    await expect(page.get_by_role("button", name="Logg ut")).to_be_visible()


async def sign_out(page: Page) -> None:
    """Signed out, and the sign-in page it leads to loaded: its response sets the sign-in form's token cookie, which
    must not land after the next page's own (the next form would then be "Skjemaet var utløpt")."""
    await page.get_by_role("button", name="Logg ut").click()
    await expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()


async def open_until_letter(page: Page, path: str, text: str) -> None:
    """The person's page opened again until their letters show `text`. The workflow queues a letter in a write after
    it has answered, so the page that answered the click can come before the letter (seen on a busy machine)."""

    async def shown() -> None:
        await page.goto(path)
        await expect(page.locator("#brev")).to_contain_text(text, timeout=1_000)

    await eventually(shown)


async def test_asked_written_and_read_on_the_page(page: Page, world: World) -> None:
    handle, ids = await graded_group(world.harness)
    accounts = world.app.state.web.accounts
    await accounts.add(Account(username=PARTICIPANT, role=Role.PARTICIPANT, participant=ids[0]), PASSWORD)
    await accounts.add(Account(username=EXAMINER, role=Role.EXAMINER), PASSWORD)
    await accounts.assign(EXAMINER, handle.id)
    await publish(handle)

    await sign_in_as(page, PARTICIPANT)
    await page.goto(f"/deltaker/{ids[0]}")
    section = page.locator("#begrunnelse")
    await expect(section.get_by_role("heading", name="Begrunnelse for karakteren")).to_be_visible()
    await section.get_by_role("button", name="Be om begrunnelse").click()
    await expect(page.get_by_text("Kravet om begrunnelse er registrert.")).to_be_visible()
    await expect(section).to_contain_text("Det er bedt om begrunnelse for karakteren B")
    await expect(section).to_contain_text("Sensor skal normalt gi den innen")
    await expect(section.get_by_role("button", name="Be om begrunnelse")).to_have_count(0)
    await open_until_letter(page, f"/deltaker/{ids[0]}", "Kvittering: du har bedt om begrunnelse")

    await sign_out(page)
    await sign_in_as(page, EXAMINER)
    await page.goto("/oppgaver")
    task = page.get_by_role("link", name="Skriv begrunnelse for karakteren")
    await expect(task).to_be_visible()
    await task.click()
    await page.get_by_label("Begrunnelse for karakteren").fill(WORDS)
    await shot(page, "explanation-examiner")
    await page.get_by_role("button", name="Send begrunnelsen").click()
    await expect(page.get_by_text("Begrunnelsen er gitt.")).to_be_visible()

    await sign_out(page)
    await sign_in_as(page, PARTICIPANT)
    await page.goto(f"/deltaker/{ids[0]}")
    section = page.locator("#begrunnelse")
    await expect(section).to_contain_text(WORDS)
    await expect(section).to_contain_text("Klagefristen regnes fra den og er")
    await open_until_letter(page, f"/deltaker/{ids[0]}", "Begrunnelsen for karakteren din på")
    await shot(page, "explanation-participant")
