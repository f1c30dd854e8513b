"""Supervision on the group page (issue 19, item 6): the administration assigns a teacher as the group's supervisor,
the teacher records a meeting (date, who came, a note), the municipality contact reads it on their group's page; a
meeting not yet held and a supervisor who is no teacher are refused beside their forms."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.catalogue.labels import OSLO
from tests.web.conftest import World, csrf_of, sign_in
from tests.web.test_pages import text
from tests.workflows.helpers import eventually


async def test_a_supervisor_is_assigned_records_a_meeting_and_the_group_reads_it(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = await client.get(world.group())
        assert "Veileder: ingen veileder er tildelt gruppen ennå" in text(page.text)
        wrong = await client.post(
            world.group() + "/assign-supervisor", data={"csrf": csrf_of(page.text), "username": "sigurd"}
        )
        assert wrong.status_code == 409 and "Avvist: Ingen faglærerkonto 'sigurd'" in text(wrong.text)
        assigned = await client.post(
            world.group() + "/assign-supervisor", data={"csrf": csrf_of(page.text), "username": "turid"}
        )
        assert assigned.status_code == 303 and assigned.headers["location"].endswith("#veiledning")
        assert "Veileder: turid" in text((await client.get(world.group())).text)

    today = datetime.now(OSLO).date()
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        page = await client.get(world.group())
        form = {"csrf": csrf_of(page.text), "came": world.members[:2], "note": "Vi gikk gjennom intervjuene."}
        future = await client.post(world.group() + "/supervision", data=form | {"day": str(today + timedelta(days=1))})
        assert future.status_code == 409
        assert f"Avvist: Veiledningsmøtet {today + timedelta(days=1):%d.%m.%Y} har ikke funnet sted ennå" in text(
            future.text
        )
        saved = await client.post(world.group() + "/supervision", data=form | {"day": str(today)})
        assert saved.status_code == 303 and saved.headers["location"].endswith("#veiledning")

    async with world.client() as client:  # the group reads it: the date, who came by name, the note
        await sign_in(client, world, "municipality")
        seen = text((await client.get(world.group())).text)
    assert f"Dato Til stede Notat {today:%d.%m.%Y} Deltaker 0, Deltaker 1 Vi gikk gjennom intervjuene." in seen
    assert "Veileder: turid" in seen
    assert "Registrer veiledningsmøte" not in seen  # the contact reads it, the staff record it

    async with world.client() as client:  # the statistics report counts the meeting (from the audit trail)
        await sign_in(client, world, "teacher")

        async def counted() -> str:
            report = text((await client.get(f"/kull/{world.cohort}/statistikk")).text)
            assert "Gruppe Veiledningsmøter Oslo 0 Trondheim 1" in report
            return report

        report = await eventually(counted)
    assert "Minst ett veiledningsmøte: 1 av 2 (50 %) av gruppene som fikk plass." in report
