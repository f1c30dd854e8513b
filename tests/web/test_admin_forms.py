"""Opening a cohort from an uploaded plan (page and API), and a participant's own data export."""

from __future__ import annotations

import contextlib
import json
import re
from html import unescape

from temporalio.service import RPCError

from domain.models import Application, CohortPlan
from gateway.admin import Admin
from store.people import People, register_key
from tests.conftest import TEST_KEY
from tests.factories import application
from tests.web.conftest import World, csrf_of, sign_in, token
from tests.workflows.plans import now_plan


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def far_plan() -> dict[str, object]:
    plan = now_plan(
        {
            "application_deadline": 600,
            "selection_date": 601,
            "written_deadline": 2000,
            "oral_start": 2010,
            "oral_end": 2020,
        },
        gathering_starts=[700 + 10 * i for i in range(6)],
        requirement_deadlines=[1000 + i for i in range(4)],
    )
    return plan.model_dump(mode="json")


async def test_the_admin_opens_a_cohort_from_a_plan_file_and_a_broken_plan_is_refused_with_its_rules(
    world: World,
) -> None:
    plan = far_plan()
    async with world.client() as client:
        await sign_in(client, world, "admin")
        home = await client.get("/")
        assert "Åpne et kull" in text(home.text)
        csrf = csrf_of(home.text)
        broken = dict(plan) | {"places": 0, "gatherings": []}
        refused = await client.post("/kull", data={"csrf": csrf}, files={"plan": ("plan.json", json.dumps(broken))})
        assert refused.status_code == 409
        shown = text(refused.text.split('id="apne-kull"')[1].split(">", 1)[1])
        assert shown.startswith(
            "Kullplan (JSON) Trekningsfrø Åpne kullet Avvist: gatherings: planen skal ha 6 samlinger, denne har 0"
        )
        assert "places: minst 1 plass, ikke 0" in shown
        garbled = await client.post("/kull", data={"csrf": csrf}, files={"plan": ("plan.json", "{not json")})
        assert garbled.status_code == 422 and "Avvist: Filen er ikke gyldig JSON" in text(garbled.text)
        assert (await client.get(f"/kull/{plan['cohort']}")).status_code == 404  # nothing was opened

        opened = await client.post(
            "/kull", data={"csrf": csrf, "seed": "frø-7"}, files={"plan": ("plan.json", json.dumps(plan))}
        )
        try:
            assert opened.status_code == 303 and opened.headers["location"] == f"/kull/{plan['cohort']}"
            page = text((await client.get(opened.headers["location"])).text)
            assert f"Kull {plan['cohort']} er åpnet for søknader." in page and "Fase Søknadsfase" in page
        finally:
            with contextlib.suppress(RPCError):
                await world.harness.client.get_workflow_handle(f"kull-{plan['cohort']}").terminate("test done")


async def test_the_api_opens_a_cohort_for_the_admin_only(world: World) -> None:
    plan = far_plan()
    async with world.client() as client:
        body = {"plan": plan, "seed": "frø-8"}
        assert (
            await client.post("/api/cohorts", json=body, headers=await token(client, world, "teacher"))
        ).status_code == 403
        admin = await token(client, world, "admin")
        refused = await client.post("/api/cohorts", json={"plan": plan | {"places": 0}}, headers=admin)
        assert refused.status_code == 409 and "places" in refused.json()["detail"]
        opened = await client.post("/api/cohorts", json=body, headers=admin)
        try:
            assert opened.status_code == 201 and opened.json() == {"cohort": plan["cohort"]}
            overview = (await client.get(f"/api/cohorts/{plan['cohort']}", headers=admin)).json()
            assert (overview["stage"], overview["places"], overview["applications"]) == ("intake", plan["places"], [])
        finally:
            with contextlib.suppress(RPCError):
                await world.harness.client.get_workflow_handle(f"kull-{plan['cohort']}").terminate("test done")


async def test_the_cohort_page_says_why_an_application_was_refused_in_norwegian(world: World) -> None:
    plan = CohortPlan.model_validate(far_plan())
    people = People(world.harness.sessions, register_key(TEST_KEY))
    admin = Admin(world.harness.client, world.harness.sessions, world.harness.task_queue, people)
    await admin.open_cohort(plan, seed="frø-9")
    try:
        too_few = Application.model_validate(application(["1804"], participants=2) | {"cohort": plan.cohort})
        assert not (await admin.apply(too_few, "test")).accepted
        async with world.client() as client:
            await sign_in(client, world, "admin")
            page = text((await client.get(f"/kull/{plan.cohort}")).text)
            row = page.split("Gruppens fase Feil ")[1]
            assert row.startswith(  # application, region, size, outcome, group's stage, what it breaks
                "Bodø (1804) – – Avvist – Søknaden har 2 deltakere. En søknad skal ha 3 til 4 deltakere. "
            ), row
            assert "participants" not in page and "an application names" not in page
            overview = (
                await client.get(f"/api/cohorts/{plan.cohort}", headers=await token(client, world, "admin"))
            ).json()
            assert overview["applications"][0]["problems"] == [
                {"code": "application.participant_count", "params": {"count": 2, "min": 3, "max": 4}}
            ]
    finally:
        with contextlib.suppress(RPCError):
            await world.harness.client.get_workflow_handle(f"kull-{plan.cohort}").terminate("test done")


async def test_a_participant_downloads_their_own_data_and_no_one_elses(world: World) -> None:
    own, other = world.members[0], world.members[1]
    async with world.client() as client:
        await sign_in(client, world, "participant")
        page = await client.get(f"/deltaker/{own}")
        assert "Last ned mine data (JSON)" in text(page.text)
        export = await client.get(f"/deltaker/{own}/eksport")
        assert (
            export.status_code == 200
            and export.headers["content-disposition"] == 'attachment; filename="mine-data.json"'
        )
        [enrolment] = export.json()["enrolments"]  # the privacy export (tests/web/test_participant_page.py)
        assert (
            enrolment["participant_workflow_id"] == own
            and enrolment["group_workflow_id"] == f"kull-{world.cohort}.gruppe-5001"
        )
        assert (await client.get(f"/deltaker/{other}/eksport")).status_code == 404
    async with world.client() as client:
        await sign_in(client, world, "teacher")
        assert (await client.get(f"/deltaker/{own}/eksport")).status_code == 403
