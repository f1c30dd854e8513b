"""The JSON API against a running cohort: tokens, each role's rights allowed and refused, the workflow's refusals
as 409 with the reason, the signed-in account as the actor in the audit trail, and the sign-in rate limit."""

from __future__ import annotations

from sqlalchemy import select

from domain.catalogue.labels import label
from store.accounts import Account, Role
from store.tables import AuditRecord
from tests.web.conftest import PASSWORD, THEIRS, World, token
from tests.workflows.helpers import eventually


async def test_the_openapi_document_describes_the_api_and_its_password_flow(world: World) -> None:
    async with world.client() as client:
        document = (await client.get("/api/openapi.json")).json()
    paths = document["paths"]
    assert "/api/token" in paths and "/api/cohorts/{cohort}/publish" in paths and "/codec/decode" in paths
    assert "/kull/{cohort}" not in paths and "/logg-inn" not in paths  # the pages are not the API
    [scheme] = document["components"]["securitySchemes"].values()
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/token"


async def test_no_token_is_401_and_a_bad_password_gets_no_token(world: World) -> None:
    async with world.client() as client:
        answer = await client.get(f"/api/cohorts/{world.cohort}")
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["detail"] == "Ikke innlogget: send et tilgangstoken (bearer) fra /api/token"
        bad = await client.post("/api/token", data={"username": "ada", "password": "feil-passord-123"})
        assert bad.status_code == 401 and "access_token" not in bad.json()
        assert bad.json()["detail"] == "Feil brukernavn eller passord"
        forged = await client.get(f"/api/cohorts/{world.cohort}", headers={"Authorization": "Bearer ada.forged"})
        assert forged.status_code == 401


async def test_the_cohort_overview_is_for_staff_only(world: World) -> None:
    async with world.client() as client:
        for role in ("admin", "teacher", "examiner"):
            answer = await client.get(f"/api/cohorts/{world.cohort}", headers=await token(client, world, role))
            overview = answer.json()
            assert answer.status_code == 200 and overview["cohort"] == world.cohort
            assert overview["stage"] == "running" and overview["seed"] == "web-frø"
            assert overview["outcomes"] == {"admitted": 2}
        for role in ("municipality", "participant"):
            answer = await client.get(f"/api/cohorts/{world.cohort}", headers=await token(client, world, role))
            assert answer.status_code == 403, role
            assert answer.json() == {
                "detail": f"Rollen {label(role).lower()} har ikke lov til dette",
                "problems": [{"code": "web.role_forbidden", "params": {"role": role}}],
            }
        missing = await client.get("/api/cohorts/no-such-cohort", headers=await token(client, world, "admin"))
        assert missing.status_code == 404


async def test_publish_is_admin_only_and_a_refusal_is_409_with_the_reason(world: World) -> None:
    async with world.client() as client:
        url = f"/api/cohorts/{world.cohort}/publish"
        for role in ("teacher", "examiner", "municipality", "participant"):
            assert (await client.post(url, headers=await token(client, world, role))).status_code == 403, role
        refused = await client.post(url, headers=await token(client, world, "admin"))
        assert refused.status_code == 409
        assert refused.json() == {
            "detail": "Grupper som ikke har fått karakter ennå: 5001, 0301",
            "problems": [{"code": "cohort.groups_not_graded", "params": {"groups": "5001, 0301"}}],
        }
        overview = (
            await client.get(f"/api/cohorts/{world.cohort}", headers=await token(client, world, "admin"))
        ).json()
        assert overview["stage"] == "running"  # nothing changed


async def test_a_municipality_cannot_tell_another_group_from_none(world: World) -> None:
    async with world.client() as client:
        headers = await token(client, world, "municipality")
        own = await client.get(world.api_group(), headers=headers)
        assert own.status_code == 200 and own.json()["application_id"] == "5001"
        other = await client.get(world.api_group(THEIRS), headers=headers)
        none = await client.get(world.api_group("9999"), headers=headers)
        assert other.status_code == none.status_code == 404 and other.json() == none.json()
        acting = await client.post(world.api_group(THEIRS) + "/requirements/1/submit", headers=headers)
        assert acting.status_code == 404 and acting.json() == none.json()
        staff = await client.get(world.api_group(THEIRS), headers=await token(client, world, "teacher"))
        assert staff.status_code == 200


async def test_an_examiner_sees_and_grades_only_the_groups_assigned_to_them(world: World) -> None:
    await world.app.state.web.accounts.add(Account(username="sensor-b", role=Role.EXAMINER), PASSWORD)
    async with world.client() as client:
        examiner, admin = await token(client, world, "examiner"), await token(client, world, "admin")
        assert (await client.get(world.api_group(), headers=examiner)).status_code == 200
        other = await client.get(world.api_group(THEIRS), headers=examiner)
        assert other.status_code == 404 and other.json() == {"detail": "Fant ikke gruppen"}
        grade = await client.post(world.api_group(THEIRS) + "/written/grade", json={"grade": "A"}, headers=examiner)
        assert grade.status_code == 404
        url = world.api_group(THEIRS) + "/examiners"
        assert (await client.post(url, json={"username": "sigurd"}, headers=examiner)).status_code == 403
        wrong = await client.post(url, json={"username": "ada"}, headers=admin)
        assert wrong.status_code == 409 and wrong.json() == {
            "detail": "Ingen sensorkonto 'ada'",
            "problems": [{"code": "account.no_examiner", "params": {"username": "ada"}}],
        }
        # a second examiner, so the others' view of 0301 stays as the fixture made it
        answer = await client.post("/api/token", data={"username": "sensor-b", "password": PASSWORD})
        second = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        assert (await client.get(world.api_group(THEIRS), headers=second)).status_code == 404
        assigned = await client.post(url, json={"username": "sensor-b"}, headers=admin)
        assert assigned.status_code == 200 and assigned.json() == {"examiners": ["sensor-b"]}
        assert (await client.get(world.api_group(THEIRS), headers=second)).status_code == 200
        assert (await client.get(world.api_group(THEIRS), headers=examiner)).status_code == 404
        nowhere = await client.post(world.api_group("9999") + "/examiners", json={"username": "sigurd"}, headers=admin)
        assert nowhere.status_code == 404


async def test_requirement_submitted_by_the_municipality_and_approved_by_the_teacher(world: World) -> None:
    async with world.client() as client:
        municipality, teacher = await token(client, world, "municipality"), await token(client, world, "teacher")
        url = world.api_group() + "/requirements/1"
        assert (await client.post(url + "/approve", headers=municipality)).status_code == 403
        assert (await client.post(url + "/submit", headers=teacher)).status_code == 403
        submitted = await client.post(url + "/submit", headers=municipality)
        assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
        approved = await client.post(url + "/approve", headers=teacher)
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        again = await client.post(url + "/approve", headers=teacher)
        assert again.status_code == 409
        assert again.json() == {
            "detail": "Arbeidskrav 1 er godkjent, ikke levert; det kan ikke godkjennes",
            "problems": [
                {"code": "requirement.not_submitted_to_approve", "params": {"number": 1, "status": "approved"}}
            ],
        }
        assert (await client.post(world.api_group() + "/requirements/5/approve", headers=teacher)).status_code == 422

    async def audited() -> list[tuple[str, str, str]]:
        async with world.harness.sessions() as session:
            rows = (
                await session.scalars(select(AuditRecord).where(AuditRecord.workflow_id.endswith(".gruppe-5001")))
            ).all()
        found = [(r.actor, r.action, r.outcome) for r in rows]
        assert ("turid", "approve_requirement", "accepted") in found
        return found

    found = await eventually(audited)
    assert ("kommune-5001", "submit_requirement", "accepted") in found
    assert ("turid", "approve_requirement", "refused") in found


async def test_attendance_and_exam_actions_by_role(world: World) -> None:
    async with world.client() as client:
        teacher, examiner = await token(client, world, "teacher"), await token(client, world, "examiner")
        body = {"gathering": 1, "day": 1, "present": world.members[:2]}
        assert (await client.post(world.api_group() + "/attendance", json=body, headers=examiner)).status_code == 403
        registered = await client.post(world.api_group() + "/attendance", json=body, headers=teacher)
        assert registered.status_code == 200 and registered.json() == {"stage": "programme"}
        later_days = [{"day": 2, "present": world.members[:1]}, {"day": 3, "present": []}]  # day 1 keeps what it had
        gathering = await client.post(
            world.api_group() + "/attendance", json={"gathering": 1, "days": later_days}, headers=teacher
        )
        assert gathering.status_code == 200, gathering.text
        later = await client.post(world.api_group() + "/attendance", json=body | {"gathering": 2}, headers=teacher)
        assert later.status_code == 409 and later.json() == {
            "detail": "Samling 2 har ikke startet ennå",
            "problems": [{"code": "group.attendance_not_started", "params": {"gathering": 2}}],
        }
        grade = await client.post(world.api_group() + "/written/grade", json={"grade": "B"}, headers=teacher)
        assert grade.status_code == 403
        grade = await client.post(world.api_group() + "/written/grade", json={"grade": "B"}, headers=examiner)
        assert grade.status_code == 409
        assert grade.json()["detail"] == "Den skriftlige oppgaven er ikke levert; det er ingenting å sette karakter på"
        assert grade.json()["problems"] == [{"code": "group.written_not_submitted", "params": {}}]
        detail = (await client.get(world.api_group(), headers=teacher)).json()
        days = {m["participant_workflow_id"]: m["attendance_days"] for m in detail["members"]}
        assert [days[p] for p in world.members] == [2, 1] + [0] * (len(world.members) - 2)
        assert detail["written_grade"] is None


async def test_sign_in_attempts_are_limited_per_account_from_any_address_and_per_address_for_any_name(
    world: World,
) -> None:
    await world.app.state.web.accounts.add(Account(username="laast-api", role=Role.TEACHER), PASSWORD)
    async with world.client(address="10.0.0.41") as client:  # addresses of their own: the other tests sign in
        for _ in range(5):
            assert (
                await client.post("/api/token", data={"username": "laast-api", "password": "gjett"})
            ).status_code == 401
        blocked = await client.post("/api/token", data={"username": "laast-api", "password": PASSWORD})
        assert blocked.status_code == 429
        assert blocked.json() == {
            "detail": "For mange mislykkede innlogginger: vent et minutt og prøv igjen",
            "problems": [{"code": "web.too_many_sign_ins", "params": {}}],
        }
        other = await client.post("/api/token", data={"username": "ada", "password": PASSWORD})
        assert other.status_code == 200  # another account from the same address is not blocked
    async with world.client(address="10.0.0.43") as elsewhere:  # the account is limited from every address
        answer = await elsewhere.post("/api/token", data={"username": "laast-api", "password": PASSWORD})
        assert answer.status_code == 429
    async with world.client(address="10.0.0.44") as sprayer:  # one password tried on many names
        for n in range(20):
            guess = await sprayer.post("/api/token", data={"username": f"navn-{n}", "password": "Sommer2026!"})
            assert guess.status_code == 401
        assert (await sprayer.post("/api/token", data={"username": "ada", "password": PASSWORD})).status_code == 429
    async with world.client(address="10.0.0.45") as client:
        assert (await client.post("/api/token", data={"username": "ada", "password": PASSWORD})).status_code == 200
