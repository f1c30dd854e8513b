"""The innovation project on the group page: the municipality records title, problem and partners and reports
drivers and barriers; the teacher reads them; a partner named twice is refused beside the form."""

from __future__ import annotations

from tests.web.conftest import World, csrf_of, sign_in
from tests.web.test_pages import text


async def test_the_group_records_its_project_and_the_teacher_reads_it(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "municipality")
        page = await client.get(world.group())
        assert "Innovasjonsprosjektet Ikke registrert ennå." in text(page.text)
        twice = await client.post(
            world.group() + "/project",
            data={
                "csrf": csrf_of(page.text),
                "title": "Trygg hjemme",
                "problem": "Hvordan kan eldre bo trygt hjemme lenger?",
                "partner_kind": ["research", "ngo"],
                "partner_name": ["NTNU", "ntnu"],
            },
        )
        assert twice.status_code == 422
        assert "Avvist: Partnere: NTNU, ntnu er oppgitt to ganger" in text(twice.text)
        assert "Ikke registrert ennå." in text((await client.get(world.group())).text)
        saved = await client.post(
            world.group() + "/project",
            data={
                "csrf": csrf_of(page.text),
                "title": "Trygg hjemme",
                "problem": "Hvordan kan eldre bo trygt hjemme lenger?\nVi prøver digitalt tilsyn.",
                "partner_kind": ["research", "ngo", "business", "other"],
                "partner_name": ["NTNU", "Røde Kors", "", ""],
            },
        )
        assert saved.status_code == 303 and saved.headers["location"].endswith("#prosjekt")
        reported = await client.post(
            world.group() + "/project-report",
            data={"csrf": csrf_of(page.text), "number": "1", "drivers": "Engasjerte brukere", "barriers": "Tid"},
        )
        assert reported.status_code == 303
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        shown = text((await client.get(world.group())).text)
        assert "Trygg hjemme Hvordan kan eldre bo trygt hjemme lenger?" in shown
        assert "NTNU (forskning) Røde Kors (frivillig organisasjon)" in shown
        assert "Arbeidskrav Drivere Barrierer 1 Engasjerte brukere Tid" in shown
        assert "Innovasjonsprosjektet Utført 2 partnere" in shown  # the log, in Norwegian
