"""The rest of the group and participant actions through the API: return with feedback, a new deadline,
a member who did not take part, an individual assessment and a withdrawal; each with a role that may not."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.web.conftest import THEIRS, World, csrf_of, sign_in, token
from tests.web.test_pages import text


async def test_return_with_feedback_then_a_new_deadline(world: World) -> None:
    url = world.api_group(THEIRS) + "/requirements/4"
    async with world.client() as client:
        admin, teacher = await token(client, world, "admin"), await token(client, world, "teacher")
        assert (await client.post(url + "/submit", headers=admin)).status_code == 200
        empty = await client.post(url + "/return", json={"feedback": ""}, headers=teacher)
        assert empty.status_code == 422
        municipality = await client.post(
            url + "/return", json={"feedback": "Nei"}, headers=await token(client, world, "municipality")
        )
        assert municipality.status_code == 403  # a role that may not return work, whichever group it names
        returned = await client.post(url + "/return", json={"feedback": "Mangler brukerinnsikt"}, headers=teacher)
        assert returned.status_code == 200 and returned.json()["status"] == "returned"
        deadline = datetime.fromisoformat(returned.json()["deadline"])

        earlier = await client.post(
            url + "/extend", json={"deadline": (deadline - timedelta(minutes=1)).isoformat()}, headers=teacher
        )
        assert earlier.status_code == 409
        assert earlier.json() == {
            "detail": "Arbeidskrav 4: den nye fristen må være senere enn den gjeldende fristen og enn nå",
            "problems": [{"code": "requirement.extension_not_later", "params": {"number": 4}}],
        }
        naive = await client.post(url + "/extend", json={"deadline": "2030-01-01T12:00:00"}, headers=teacher)
        assert naive.status_code == 422  # a deadline needs its time zone
        # to the written deadline (the orals end minutes after it: no later than that), so the requirement does not
        # fall due, missed, while the package's later tests hand in the group's written assignment (test_uploads)
        later = world.plan.written_deadline
        assert later > deadline + timedelta(minutes=1)
        extended = await client.post(url + "/extend", json={"deadline": later.isoformat()}, headers=teacher)
        assert extended.status_code == 200 and datetime.fromisoformat(extended.json()["deadline"]) == later
        [four] = [
            r
            for r in (await client.get(world.api_group(THEIRS), headers=teacher)).json()["requirements"]
            if r["number"] == 4
        ]
        assert (four["status"], four["feedback"]) == ("returned", "Mangler brukerinnsikt")


async def test_a_member_who_did_not_take_part_and_one_who_withdraws(world: World) -> None:
    last = world.members[-1]
    async with world.client() as client:
        teacher, admin = await token(client, world, "teacher"), await token(client, world, "admin")
        url = world.api_group() + "/non-participating"
        for role in ("municipality", "examiner"):
            denied = await client.post(url, json={"participant": last}, headers=await token(client, world, role))
            assert denied.status_code == 403, role
        marked = await client.post(url, json={"participant": last}, headers=teacher)
        assert marked.status_code == 200 and marked.json() == {"stage": "programme"}
        again = await client.post(url, json={"participant": last}, headers=teacher)
        assert again.status_code == 409 and again.json() == {
            "detail": f"Deltakeren {last} er allerede registrert som ikke deltakende",
            "problems": [{"code": "group.already_non_participating", "params": {"participant": last}}],
        }

        assessment = await client.post(f"/api/participants/{last}/assessment", json={"track": "course"}, headers=admin)
        assert assessment.status_code == 409
        assert assessment.json() == {
            "detail": "Ingen individuell vurdering venter; sporet er allerede student (studiepoeng)",
            "problems": [{"code": "participant.no_assessment_pending", "params": {"track": "student"}}],
        }
        denied = await client.post(f"/api/participants/{last}/withdraw", json={"reason": "Flyttet"}, headers=teacher)
        assert denied.status_code == 403
        withdrawn = await client.post(f"/api/participants/{last}/withdraw", json={"reason": "Flyttet"}, headers=admin)
        assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn"] is True
        nobody = await client.post(
            "/api/participants/kull-x.gruppe-0301.deltaker-9/withdraw", json={"reason": "x"}, headers=admin
        )
        assert nobody.status_code == 404


async def test_the_innovation_project_through_the_api(world: World) -> None:
    url = world.api_group(THEIRS) + "/project"
    project = {
        "title": "Delt transport",
        "problem": "Hvordan kan innbyggere uten bil nå tjenestene?",
        "partners": [{"kind": "business", "name": "Taxisentralen"}, {"kind": "citizens", "name": "Eldrerådet"}],
    }
    async with world.client() as client:
        teacher = await token(client, world, "teacher")
        examiner = await token(client, world, "examiner")
        assert (await client.put(url, json=project, headers=examiner)).status_code == 403  # not an examiner's to do
        twice = project | {"partners": [*project["partners"], {"kind": "other", "name": "taxisentralen"}]}
        refused = await client.put(url, json=twice, headers=teacher)
        assert refused.status_code == 422 and "validation.named_twice" in refused.text
        assert (await client.put(url, json=project, headers=teacher)).status_code == 200
        report = {"drivers": "Felles behov", "barriers": "Regelverk for løyver"}
        assert (await client.put(url + "/reports/5", json=report, headers=teacher)).status_code == 422
        assert (await client.put(url + "/reports/2", json=report, headers=teacher)).status_code == 200
        detail = (await client.get(world.api_group(THEIRS), headers=teacher)).json()
        assert detail["project"]["title"] == "Delt transport" and detail["project"]["partners"][1]["kind"] == "citizens"
        assert detail["project_reports"] == [{"number": 2} | report]


async def test_a_group_is_released_by_the_administration_only_once_it_is_graded(world: World) -> None:
    url = world.api_group() + "/publish"
    async with world.client() as client:
        teacher = await client.post(url, headers=await token(client, world, "teacher"))
        assert teacher.status_code == 403
        early = await client.post(url, headers=await token(client, world, "admin"))
        assert early.status_code == 409 and early.json() == {
            "detail": "Gruppe 5001 har ikke fått karakter ennå",
            "problems": [{"code": "cohort.group_not_graded", "params": {"group": "5001"}}],
        }
        detail = (await client.get(world.api_group(), headers=await token(client, world, "admin"))).json()
        assert detail["published_at"] is None and detail["stage"] != "published"  # nothing changed


async def test_the_group_pages_release_form_refuses_an_ungraded_group_with_its_reason(world: World) -> None:
    async with world.client() as client:
        await sign_in(client, world, "admin")
        page = await client.get(world.group())
        assert "Publiser resultatene for gruppen" not in page.text  # offered once the group is graded
        answer = await client.post(world.group() + "/release", data={"csrf": csrf_of(page.text)})
        assert answer.status_code == 409
        assert "Avvist: Gruppe 5001 har ikke fått karakter ennå" in text(answer.text)
        await sign_in(client, world, "teacher")
        page = await client.get(world.group())
        teacher = await client.post(world.group() + "/release", data={"csrf": csrf_of(page.text)})
        assert teacher.status_code == 403
