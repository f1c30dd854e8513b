"""The participant's own page (issue 20, item 5): their calendar (gatherings, deadlines, their oral), their letters as
sent, and the full data export as `starter.py privacy export` gives it. In headless Chromium (tests/web/
test_browser.py's fixtures) and over HTTP for the rights: another participant's page is 404, the municipality's
contact reads the calendar but no letters and gets no export, an examiner reads no letters."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from tests.web import test_browser as browsing
from tests.web.conftest import World, sign_in
from tests.web.test_pages import text

pytestmark = browsing.pytestmark
address, browser, page = browsing.address, browsing.browser, browsing.page

if browsing.CHROMIUM.exists():
    from playwright.async_api import Page, expect

OWN_EMAIL, OTHER_EMAILS = "p0@5001.no", ("p1@5001.no", "p2@5001.no", "p0@0301.no")  # tests/factories.py


def first_gathering(world: World) -> str:
    """The first gathering's date as a Norwegian reads it: `lørdag 5. desember 2026`."""
    start = world.plan.gatherings[0].start
    return format_datetime(start, "EEEE d. MMMM y", tzinfo=ZoneInfo("Europe/Oslo"), locale="nb")


def admitted(world: World) -> str:
    return f"Gratulerer! Trondheim har fått plass på kull {world.cohort}"


async def test_a_participant_reads_their_calendar_and_letters_and_downloads_their_data(
    page: Page, world: World
) -> None:
    await browsing.sign_in(page, world, "participant")
    calendar = page.locator("table.calendar")
    await expect(calendar).to_contain_text(f"Samling 1: {world.plan.gatherings[0].theme}")
    await expect(calendar).to_contain_text(first_gathering(world))
    await expect(calendar).to_contain_text("Frist for skriftlig oppgave")
    await expect(calendar).to_contain_text("Muntlig eksamen")  # no time set yet: the period

    letters = page.locator("section#brev")
    await expect(letters.get_by_role("heading", name="Mine brev")).to_be_visible()
    await expect(letters.get_by_text(admitted(world))).to_be_hidden()  # closed until opened
    await letters.get_by_text(f"Tilbud om plass på kull {world.cohort}").click()
    await expect(letters.get_by_text(admitted(world))).to_be_visible()
    await browsing.shot(page, "participant-page")

    async with page.expect_download(timeout=10_000) as saving:
        await page.get_by_role("link", name="Last ned mine data (JSON)").click()
    download = await saving.value
    assert download.suggested_filename == "mine-data.json"
    exported = json.loads(Path(await download.path()).read_text(encoding="utf-8"))
    assert exported["person"]["data"]["name"] == "Deltaker 0" and exported["person"]["data"]["email"] == OWN_EMAIL
    kinds = [letter["kind"] for letter in exported["letters"]]
    assert "admitted" in kinds
    assert {letter["person_id"] for letter in exported["letters"]} == {exported["person_id"]}
    assert [e["participant_workflow_id"] for e in exported["enrolments"]] == [world.members[0]]
    whole = json.dumps(exported, ensure_ascii=False)
    assert not any(email in whole for email in OTHER_EMAILS)  # nobody else's


async def test_another_participants_page_and_export_are_not_found(world: World) -> None:
    other = world.members[1]
    async with world.client() as client:
        await sign_in(client, world, "participant")
        for path in (f"/deltaker/{other}", f"/deltaker/{other}/eksport"):
            answer = await client.get(path)
            assert answer.status_code == 404 and "Fant ikke deltakeren" in text(answer.text)


async def test_the_municipality_reads_the_calendar_but_no_letters_and_gets_no_export(world: World) -> None:
    member = world.members[0]
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        seen = text((await client.get(f"/deltaker/{member}")).text)
        assert f"Kalender Hva Når Samling 1: {world.plan.gatherings[0].theme}" in seen
        assert first_gathering(world) in seen
        assert "Brev til deltakeren" not in seen and "Tilbud om plass" not in seen and admitted(world) not in seen
        assert "Last ned" not in seen
        refused = await client.get(f"/deltaker/{member}/eksport")
        assert refused.status_code == 403 and "Rollen kommune har ikke lov til dette" in text(refused.text)


async def test_the_examiner_reads_no_letters_and_the_teacher_reads_them(world: World) -> None:
    member = world.members[0]
    async with world.client() as client:
        await sign_in(client, world, "examiner")
        seen = text((await client.get(f"/deltaker/{member}")).text)
        assert "Kalender" in seen and admitted(world) not in seen and "Brev til deltakeren" not in seen
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        seen = text((await client.get(f"/deltaker/{member}")).text)
        assert "Brev til deltakeren" in seen and admitted(world) in seen and "Last ned deltakerens data" not in seen


async def test_the_administration_downloads_a_participants_data_and_the_privacy_log_says_who(world: World) -> None:
    member = world.members[1]
    async with world.client() as client:
        await sign_in(client, world, "admin")
        assert "Last ned deltakerens data (JSON)" in text((await client.get(f"/deltaker/{member}")).text)
        answer = await client.get(f"/deltaker/{member}/eksport")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="mine-data.json"'
    exported = answer.json()
    assert exported["person"]["data"]["email"] == "p1@5001.no"
    async with world.client() as client:  # the next export holds the log of this one (written after gathering)
        await sign_in(client, world, "admin")
        again = (await client.get(f"/deltaker/{member}/eksport")).json()
    logged = [(row["actor"], row["action"], row["outcome"]) for row in again["privacy_log"]]
    assert logged[-1] == ("ada", "export", "done")
