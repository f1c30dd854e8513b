"""The calendar feed over HTTP (web/routes/calendar.py): a person makes their feed's address on their own page, the
feed parses as iCalendar with their dates and no one else's, names nobody, and a new address ends the old one."""

from __future__ import annotations

import logging

import httpx
from icalendar import Calendar

from gateway.messages import GroupDetail
from gateway.queries import GROUP_DETAIL
from tests.web.conftest import OURS, THEIRS, World, csrf_of, sign_in
from web.routes.calendar import HIDE_FEED_TOKENS
from workflows.ids import group_workflow_id


async def new_feed(client: httpx.AsyncClient, page: str) -> str:
    """Click "Lag ny lenke" on the page: the address the answer shows, once."""
    shown = await client.get(page)
    assert shown.status_code == 200 and "Kalender-abonnement" in shown.text and "Lag ny lenke" in shown.text
    made = await client.post("/kalender/ny", data={"csrf": csrf_of(shown.text)})
    assert made.status_code == 200, made.text
    assert "Kopier den nå: den vises bare denne gangen" in made.text
    url = made.text.split('id="kalender-url" value="')[1].split('"')[0]
    assert url.startswith("http://testserver/kalender/") and url.endswith(".ics")
    return url


async def fetch(url: str, world: World) -> Calendar:
    async with world.client() as client:  # a calendar program: no session, the address is all it has
        answer = await client.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(answer.content)


def summaries(feed: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in feed.walk("VEVENT")]


async def personal_data(world: World) -> list[str]:
    """Every name and e-mail address the register holds for both groups, their participant IDs and user names."""
    web = world.app.state.web
    found = []
    for application_id in (OURS, THEIRS):
        detail: GroupDetail = await world.harness.client.get_workflow_handle(
            group_workflow_id(world.cohort, application_id)
        ).query(GROUP_DETAIL)
        people = await web.admin.people.get_many([m.person_id for m in detail.members])
        found += [p.name for p in people.values()] + [p.email for p in people.values()]
        found += [m.participant_workflow_id for m in detail.members]
    return found + [account.username for account in world.accounts.values()]


async def test_a_participants_feed_has_their_groups_dates_and_nothing_of_others(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "participant")
        url = await new_feed(client, f"/deltaker/{world.members[0]}")
    for secret in ("deltaker", world.cohort, OURS):  # the address names nobody and nothing
        assert secret not in url.removeprefix("http://testserver/kalender/")
    feed = await fetch(url, world)
    said = summaries(feed)
    assert said[:1] == [f"Samling 1: {world.plan.gatherings[0].theme}"]
    for wanted in ("Frist arbeidskrav 1", "Frist arbeidskrav 4", "Frist skriftlig oppgave", "Muntlig eksamen"):
        assert said.count(wanted) == 1, said
    uids = [str(event["UID"]) for event in feed.walk("VEVENT")]
    assert any(group_workflow_id(world.cohort, OURS) in uid for uid in uids)
    assert not any(THEIRS in uid for uid in uids)
    body = feed.to_ical().decode()
    assert [found for found in await personal_data(world) if found in body] == []
    assert "@" not in body.replace("@innovasjonsskole", "")


async def test_a_new_address_ends_the_old_one(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "participant")
        old = await new_feed(client, f"/deltaker/{world.members[0]}")
        new = await new_feed(client, f"/deltaker/{world.members[0]}")
    assert new != old
    async with world.client() as calendar_program:
        gone = await calendar_program.get(old)
    assert gone.status_code == 404 and "Lenken kan være erstattet av en ny" in gone.text
    assert "Frist skriftlig oppgave" in summaries(await fetch(new, world))


async def test_a_contact_sees_their_groups_dates_and_staff_the_cohorts(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        contact = await fetch(await new_feed(client, "/"), world)
    uids = [str(event["UID"]) for event in contact.walk("VEVENT")]
    assert f"{group_workflow_id(world.cohort, OURS)}.arbeidskrav-1@innovasjonsskole" in uids
    assert not any(THEIRS in uid for uid in uids)
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        staff = await fetch(await new_feed(client, "/"), world)
    assert f"kull-{world.cohort}.arbeidskrav-1@innovasjonsskole" in [str(e["UID"]) for e in staff.walk("VEVENT")]
    assert summaries(staff).count("Muntlig eksamen") == 1  # the cohort's oral period


async def test_making_an_address_needs_the_pages_csrf_token_and_a_sign_in(world: World) -> None:
    async with world.client() as client:
        assert (await client.post("/kalender/ny", data={"csrf": "x"})).status_code == 303  # to the sign-in
        await sign_in(client, world, "examiner")
        assert (await client.post("/kalender/ny", data={"csrf": "feil"})).status_code == 403


async def test_unknown_addresses_are_limited_per_address(world: World) -> None:
    limit = world.app.state.web.settings.web_login_attempts  # the misses of one address count as one account's
    async with world.client("10.9.8.7") as client:
        for _ in range(limit):
            assert (await client.get("/kalender/gjettet.ics")).status_code == 404
        assert (await client.get("/kalender/gjettet.ics")).status_code == 429
    async with world.client("10.9.8.8") as other:
        assert (await other.get("/kalender/gjettet.ics")).status_code == 404  # another address is not held up


async def test_the_access_log_hides_a_feeds_token(world: World) -> None:
    """uvicorn's access line, as it makes it: the feed's path without the token, other paths as they were."""
    line = '%s - "%s %s HTTP/%s" %d'
    feed = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, line, ("10.0.0.1:5", "GET", "/kalender/abc.ics", "1.1", 200), None
    )
    other = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, line, ("10.0.0.1:5", "GET", "/kull/2022", "1.1", 200), None
    )
    assert HIDE_FEED_TOKENS.filter(feed) and HIDE_FEED_TOKENS.filter(other)
    assert feed.getMessage() == '10.0.0.1:5 - "GET /kalender/***.ics HTTP/1.1" 200'
    assert other.getMessage() == '10.0.0.1:5 - "GET /kull/2022 HTTP/1.1" 200'
    assert HIDE_FEED_TOKENS in logging.getLogger("uvicorn.access").filters  # the app's factory put it there
