"""A person's end of the year through the web app, on a real worker and dev server: the administration registers a
re-sit with the page's form, the group's examiner grades it in the browser's forms, the page shows the attempts
and the grade that counts; the API takes an appeal through its steps; each refusal is shown with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from temporalio.client import WorkflowHandle

from domain.models import Grade
from store.accounts import Account, Accounts, Role
from store.tables import AuditRecord
from tests.conftest import Harness
from tests.web.conftest import FINDINGS, PASSWORD, csrf_of, web_settings
from tests.web.english import NoEnglish
from tests.web.test_pages import text
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import publish
from tests.workflows.test_resit import failed_group, written_graded
from web.app import create_app
from workflows.group import GroupWorkflow


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def sign_in(http: httpx.AsyncClient, username: str) -> None:
    csrf = csrf_of((await http.get("/logg-inn")).text)
    answer = await http.post("/logg-inn", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert answer.status_code == 303, answer.text


async def bearer(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    answer = await http.post("/api/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


ADMIN = Account(username="ada", role=Role.ADMIN)


def examiner_account(name: str) -> Account:
    return Account(username=name, role=Role.EXAMINER)


async def app_with(harness: Harness, tmp_path: Path, group: WorkflowHandle[Any, Any], *accounts: Account) -> FastAPI:
    """The web app over the harness's worker, with these accounts; an examiner is assigned to `group`."""
    await Accounts.create_table(harness.engine)
    app = create_app(web_settings(tmp_path, harness.task_queue), harness.client, harness.sessions)
    app.add_middleware(NoEnglish, findings=FINDINGS)  # its pages are read for English as the other web tests' are
    for account in accounts:
        await app.state.web.accounts.add(account, PASSWORD)
        if account.role == Role.EXAMINER:
            await app.state.web.accounts.assign(account.username, group.id)
    return app


async def test_a_resit_is_registered_and_graded_in_the_pages_forms(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await failed_group(harness)  # member 2 has F
    await publish(handle)
    contact_account = Account(username="kommune-5001", role=Role.MUNICIPALITY, municipality="5001")
    app = await app_with(harness, tmp_path, handle, ADMIN, examiner_account("sigurd"), contact_account)
    page_of = f"/deltaker/{ids[1]}"

    async with client(app) as contact:
        headers = await bearer(contact, "kommune-5001")
        refused = await contact.post(
            f"/api{page_of.replace('/deltaker', '/participants')}/resit", json={}, headers=headers
        )
        assert refused.status_code == 403  # the municipality sees its member, but registers nothing

    async with client(app) as office:
        await sign_in(office, "ada")
        page = (await office.get(page_of)).text
        assert "Registrer ny eksamen" in page
        answer = await office.post(f"{page_of}/resit", data={"csrf": csrf_of(page), "in_cohort": ""})
        assert answer.status_code == 303, text(answer.text)

        async def listed() -> str:
            words = text((await office.get(page_of)).text)
            assert "Ny eksamen Forsøk Periode" in words, words
            return words

        words = await eventually(listed)
        assert "2 ny og utsatt eksamen for kull" in words and "venter på sensur" in words
        again = await office.post(f"{page_of}/resit", data={"csrf": csrf_of(page)})
        assert again.status_code == 409
        assert "Avvist: Ny eksamen er allerede registrert og ikke avgjort" in text(again.text)

    async with client(app) as examiner:
        await sign_in(examiner, "sigurd")
        page = (await examiner.get(page_of)).text
        csrf = csrf_of(page)
        early = await examiner.post(f"{page_of}/resit-oral", data={"csrf": csrf, "adjustment": "1"})
        assert early.status_code == 409
        assert "Avvist: Registrer den skriftlige karakteren på ny eksamen først" in text(early.text)
        written = await examiner.post(f"{page_of}/resit-written", data={"csrf": csrf, "grade": "C"})
        assert written.status_code == 303, text(written.text)
        oral = await examiner.post(f"{page_of}/resit-oral", data={"csrf": csrf, "adjustment": "+1"})
        assert oral.status_code == 303, text(oral.text)

        async def decided() -> str:
            words = text((await examiner.get(page_of)).text)
            assert "Endelig karakter B (den beste av 2 forsøk) Studiepoeng 30" in words, words
            return words

        assert "2 ny og utsatt eksamen for kull" in await eventually(decided)

    async with harness.sessions() as session:
        actors = set(
            await session.scalars(
                select(AuditRecord.actor).where(
                    AuditRecord.action.like("register_resit%"), AuditRecord.outcome == "accepted"
                )
            )
        )
    assert actors == {"ada", "sigurd"}  # the accounts' user names, as the command line records them too


async def test_the_api_takes_an_appeal_through_its_steps_with_the_same_rights(harness: Harness, tmp_path: Path) -> None:
    handle, ids = await failed_group(harness)  # member 1 has D
    await publish(handle)
    app = await app_with(harness, tmp_path, handle, ADMIN, examiner_account("sigurd"))  # sigurd: the group's
    await app.state.web.accounts.add(examiner_account("mona"), PASSWORD)  # an examiner of other groups
    await app.state.web.accounts.add(Account(username="per", role=Role.EXAMINER, external=True), PASSWORD)
    person = f"/api/participants/{ids[0]}"

    async with client(app) as http:
        office, sigurd, mona, per = [await bearer(http, name) for name in ("ada", "sigurd", "mona", "per")]
        assert (await http.post(f"{person}/appeal", headers=sigurd)).status_code == 403
        registered = await http.post(f"{person}/appeal", headers=office)
        assert registered.status_code == 200, registered.text
        assert registered.json()["stage"] == "awaiting_examiners"
        nobody = await http.post(f"{person}/appeal/examiners", json={"examiners": ["mona", "ada"]}, headers=office)
        assert nobody.status_code == 409 and nobody.json() == {
            "detail": "ada er ikke brukernavnet til en sensorkonto",
            "problems": [{"code": "appeal.not_examiner_account", "params": {"examiners": "ada"}}],
        }
        first = await http.post(f"{person}/appeal/examiners", json={"examiners": ["sigurd", "per"]}, headers=office)
        assert first.status_code == 409  # assigned to the group: a first grader, though the office keyed the grade
        assert first.json()["problems"] == [
            {"code": "appeal.examiners_graded_first", "params": {"examiners": "sigurd"}}
        ]
        assigned = await http.post(f"{person}/appeal/examiners", json={"examiners": ["mona", "per"]}, headers=office)
        assert assigned.json() == {"stage": "awaiting_commission"}
        stranger = await http.post(f"{person}/appeal/grade", json={"grade": "C"}, headers=sigurd)
        assert stranger.status_code == 409 and stranger.json() == {  # the group's own examiner: not on it
            "detail": "sigurd er ikke sensor for denne klagen (sensorene er mona, per)",
            "problems": [{"code": "appeal.not_examiner", "params": {"actor": "sigurd", "examiners": "mona, per"}}],
        }
        assert (await http.post(f"{person}/appeal/grade", json={"grade": "C"}, headers=office)).status_code == 403
        for member in (mona, per):
            own = await http.post(f"{person}/appeal/grade", json={"grade": "C"}, headers=member)
            assert own.status_code == 200, own.text
        assert own.json() == {"stage": "awaiting_decision"}
        written = await http.post(f"{person}/appeal/written", json={"grade": "C"}, headers=mona)
        assert written.json() == {"stage": "further_assessment"}  # E to C: two grades
        further = await http.post(f"{person}/appeal/further", json={"grade": "C"}, headers=office)
        assert further.json() == {"stage": "awaiting_oral"}
        early = await http.post(f"{person}/appeal/oral", json={"adjustment": 0}, headers=mona)
        assert early.status_code == 409 and early.json()["problems"] == [
            {"code": "appeal.new_oral_not_scheduled", "params": {}}
        ]
        slot = {"start": (datetime.now(UTC) + timedelta(hours=3)).isoformat(), "place": "Rom 101"}
        assert (await http.post(f"{person}/appeal/oral-schedule", json=slot, headers=mona)).status_code == 403
        scheduled = await http.post(f"{person}/appeal/oral-schedule", json=slot, headers=office)
        assert scheduled.json() == {"stage": "awaiting_oral"}
        oral = await http.post(f"{person}/appeal/oral", json={"adjustment": 0}, headers=mona)
        assert oral.json() == {"stage": "decided"}
        final = await http.post(f"{person}/appeal", headers=office)
        assert final.status_code == 409 and final.json() == {
            "detail": "Personen har allerede klaget, og resultatet av en klage er endelig",
            "problems": [{"code": "appeal.already_appealed", "params": {}}],
        }
        passed = await http.post(f"{person}/resit", json={}, headers=office)
        assert passed.status_code == 409 and passed.json() == {
            "detail": "Eksamen er bestått (C); ny eksamen er for den som ikke har bestått",  # C after the appeal
            "problems": [{"code": "resit.passed", "params": {"grade": "C"}}],
        }

    async with client(app) as page:  # the commission's examiner reaches the person's appeal, blind, and no more
        await sign_in(page, "mona")
        assert (await page.get(f"/klage/{ids[0]}")).status_code == 200
        assert (await page.get(f"/deltaker/{ids[0]}")).status_code == 404
        assert (await page.get(f"/klage/{ids[1]}")).status_code == 404

    async with client(app) as office_page:  # the decided appeal on the person's page and in the log, in Norwegian
        await sign_in(office_page, "ada")
        words = text((await office_page.get(f"/deltaker/{ids[0]}")).text)
        assert "Endelig karakter C (etter klage; før klagen D)" in words
        log = text((await office_page.get("/logg")).text)
        assert "per Karakter fra en sensor i klagekommisjonen Utført karakter C" in log
        assert "mona Klagekommisjonens karakter på skriftlig oppgave Utført karakter C" in log
        assert "mona Ny muntlig justering etter klage Utført muntlig justering +0" in log
        assert "ada Oppnevning av klagesensorer Utført sensorer: mona, per" in log  # the audit's parameters, said


async def test_a_valid_absence_ticked_in_the_oral_form_leads_to_a_postponed_exam(
    harness: Harness, tmp_path: Path
) -> None:
    handle, ids = await written_graded(harness, Grade.C)  # ids[2] took no part, ids[3] is a course participant
    app = await app_with(harness, tmp_path, handle, ADMIN)
    cohort = handle.id.split(".")[0].removeprefix("kull-")
    group_page = f"/kull/{cohort}/grupper/5001"

    async with client(app) as office:
        await sign_in(office, "ada")
        page = (await office.get(group_page)).text
        assert "gyldig fravær (utsatt eksamen)" in page
        form = {"csrf": csrf_of(page), f"absent:{ids[1]}": "1", f"adjust:{ids[1]}": "+1"}
        form[f"adjust:{ids[0]}"] = "0"
        answer = await office.post(f"{group_page}/oral", data=form)
        assert answer.status_code == 303, text(answer.text)
        detail = await handle.query(GroupWorkflow.detail)
        absent = {m.participant_workflow_id: (m.oral_absent, m.oral_adjustment) for m in detail.members}
        assert absent[ids[1]] == (True, None) and absent[ids[0]] == (False, 0)  # the tick wins over the "+1"

        async def graded() -> None:
            assert (await handle.query(GroupWorkflow.detail)).stage == "graded"

        await eventually(graded)
        await publish(handle)
        page_of = f"/deltaker/{ids[1]}"
        page = (await office.get(page_of)).text
        assert "Registrer ny eksamen" in page  # no grade, yet the administration may register the postponed exam
        answer = await office.post(f"{page_of}/resit", data={"csrf": csrf_of(page)})
        assert answer.status_code == 303, text(answer.text)
        page = (await office.get(page_of)).text
        assert "Registrer skriftlig karakter" in page
        refused = await office.post(f"{page_of}/resit-written", data={"csrf": csrf_of(page), "grade": "B"})
        assert refused.status_code == 409
        assert "Utsatt eksamen beholder den skriftlige karakteren C" in text(refused.text)
        oral = await office.post(f"{page_of}/resit-oral", data={"csrf": csrf_of(page), "adjustment": "0"})
        assert oral.status_code == 303, text(oral.text)

        async def decided() -> None:
            words = text((await office.get(page_of)).text)
            assert "Endelig karakter C (utsatt eksamen) Studiepoeng 30" in words, words  # the missed oral: no attempt

        await eventually(decided)
