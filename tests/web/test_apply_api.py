"""Applying on the web through the API and the gateway: a municipality contact registers, follows the link in the
queued letter, and posts the command line's application file to `/api/cohorts/{cohort}/applications`: 201 and the
receipt letter; 403 for a municipality not theirs; 409 for a second application and after the deadline; 422 naming
each broken field, with nothing recorded. The link works once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from domain.catalogue import when
from gateway.privacy import Privacy, open_drafts
from store.registrations import ApplicationDraftRecord, RegistrationRecord
from tests.factories import application
from tests.web.apply_world import ApplyWorld, apply_world, bearer, confirm, register
from tests.web.conftest import csrf_of
from tests.workflows.helpers import eventually
from workflows.cohort import CohortWorkflow
from workflows.cohort_amend import AmendPlanInput
from workflows.ids import cohort_workflow_id


@pytest.fixture(scope="module")
async def world(env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[ApplyWorld]:
    async for made in apply_world(env, tmp_path_factory.mktemp("apply-api")):
        yield made


async def contact_for(world: ApplyWorld, client: httpx.AsyncClient, municipality: str, username: str) -> str:
    """Register as the municipality's contact and confirm from the letter; the e-mail address used."""
    email = f"{username}@kommune.no"
    sent = await register(client, world.open.cohort, municipality, email)
    assert sent.status_code == 200 and "Sjekk e-posten din" in sent.text
    confirmed = await confirm(client, await world.link(world.open.cohort, email), username)
    assert confirmed.status_code == 303, confirmed.text
    assert confirmed.headers["location"] == f"/kull/{world.open.cohort}/sok/soknad"
    return email


def file_of(world: ApplyWorld, numbers: list[str], email: str, **changes: Any) -> dict[str, Any]:
    data = application(numbers, cohort=world.open.cohort, **changes)
    data["contact"] = {"name": "Kari Kontakt", "email": email}
    return data


async def applications(world: ApplyWorld, cohort: str) -> list[str]:
    handle = world.harness.client.get_workflow_handle(cohort_workflow_id(cohort))
    return [record.id for record in (await handle.query(CohortWorkflow.overview)).applications]


async def test_a_contact_applies_once_and_gets_the_receipt(world: ApplyWorld) -> None:
    async with world.client("10.0.0.1") as client:
        email = await contact_for(world, client, "5001", "kari-5001")
        headers = await bearer(client, "kari-5001")
        url = f"/api/cohorts/{world.open.cohort}/applications"
        answer = await client.post(url, json=file_of(world, ["5001"], email), headers=headers)
        assert answer.status_code == 201, answer.text
        assert answer.json()["id"] == "5001" and answer.json()["state"] == "applied"
        [receipt] = await world.receipt(world.open.cohort, email)
        assert "Hei Kari Kontakt" in receipt and "Vi har mottatt søknaden fra Trondheim" in receipt
        again = await client.post(url, json=file_of(world, ["5001"], email), headers=headers)
        assert again.status_code == 409, again.text
        assert "Trondheim" in again.json()["detail"] and "allerede" in again.json()["detail"]
    assert await applications(world, world.open.cohort) == ["5001"]


async def test_a_municipality_not_theirs_is_403_and_broken_fields_422(world: ApplyWorld) -> None:
    async with world.client("10.0.0.2") as client:
        email = await contact_for(world, client, "1804", "kari-1804")
        headers = await bearer(client, "kari-1804")
        url = f"/api/cohorts/{world.open.cohort}/applications"
        anonymous = await client.post(url, json=file_of(world, ["1804"], email))
        assert anonymous.status_code == 401, anonymous.text
        foreign = await client.post(url, json=file_of(world, ["1804", "0301"], email), headers=headers)
        assert foreign.status_code == 403, foreign.text
        assert "ikke kontaktperson for kommunenummer 0301" in foreign.json()["detail"]
        broken = file_of(world, ["1804"], email)
        broken["participants"] = [
            {
                "name": "Ola",
                "email": "ikke-en-adresse",
                "sector": "helse_omsorg",
                "role": "rådgiver",
                "education_years": 3,
                "experience_years": 2,
            },
            {
                "name": "Per",
                "email": "per@bodo.no",
                "sector": "helse_omsorg",
                "role": "rådgiver",
                "education_years": 99,
                "experience_years": 2,
            },
        ]
        answer = await client.post(url, json=broken, headers=headers)
        assert answer.status_code == 422, answer.text
        fields = {problem["field"] for problem in answer.json()["problems"]}
        assert fields == {"participants.0.email", "participants.1.education_years"}
        assert "'ikke-en-adresse' er ikke en e-postadresse" in answer.json()["detail"]
        too_few = file_of(world, ["1804"], email, participants=2)
        answer = await client.post(url, json=too_few, headers=headers)
        assert answer.status_code == 422
        assert "En søknad skal ha 3 til 4 deltakere" in answer.json()["detail"]
    assert "1804" not in await applications(world, world.open.cohort)  # nothing recorded, not even as refused


async def test_after_the_deadline_is_409(world: ApplyWorld) -> None:
    async with world.client("10.0.0.3") as client:
        email = await contact_for(world, client, "3405", "kari-3405")
        headers = await bearer(client, "kari-3405")
        late = file_of(world, ["3405"], email) | {"cohort": world.closed.cohort}
        answer = await client.post(f"/api/cohorts/{world.closed.cohort}/applications", json=late, headers=headers)
        assert answer.status_code == 409, answer.text
        assert "tar ikke imot søknader" in answer.json()["detail"]
        closed = await client.get(f"/kull/{world.closed.cohort}/sok")
        assert "Kullet tar ikke imot flere søknader" in closed.text and "Send meg lenken" not in closed.text


async def test_the_link_works_once_and_a_second_municipality_joins_the_account(world: ApplyWorld) -> None:
    async with world.client("10.0.0.4") as client:
        email = await contact_for(world, client, "4227", "kari-4227")
        used = await world.link(world.open.cohort, email)
        again = await client.get(httpx.URL(used).path)
        assert again.status_code == 404 and "Lenken er brukt, utløpt eller ugyldig" in again.text
        guessed = await client.get("/registrering/" + "A" * 43)
        assert guessed.status_code == 404
        await register(client, world.open.cohort, "4225", email)  # the same person, for a neighbour
        second = await world.link(world.open.cohort, email)
        page = await client.get(httpx.URL(second).path)
        assert "Du har allerede kontoen kari-4227" in page.text
        joined = await confirm(client, second, "ignored")
        assert joined.status_code == 303 and joined.headers["location"] == "/logg-inn"
        headers = await bearer(client, "kari-4227")
        joint = file_of(world, ["4227", "4225"], email)
        answer = await client.post(f"/api/cohorts/{world.open.cohort}/applications", json=joint, headers=headers)
        assert answer.status_code == 201, answer.text
        assert answer.json()["id"] == "4227+4225"


async def test_bad_registrations_are_shown_beside_their_field(world: ApplyWorld) -> None:
    async with world.client("10.0.0.5") as client:
        answer = await register(client, world.open.cohort, "5001", "ikke-en-adresse")
        assert answer.status_code == 422
        assert "er ikke en e-postadresse" in answer.text
        for missing in ("finnes-ikke", "1999"):
            assert (await client.get(f"/kull/{missing}/sok")).status_code == 404
        unknown = await register(client, world.open.cohort, "9999", "ola@kommune.no")
        assert unknown.status_code == 422 and "9999" in unknown.text
        for n in range(5):  # a script cannot fill a mailbox: five links a minute from one address
            assert (await register(client, world.open.cohort, "5001", f"ola{n}@kommune.no")).status_code == 200
        busy = await register(client, world.open.cohort, "5001", "ola@kommune.no")
        assert busy.status_code == 429 and "For mange registreringer" in busy.text


async def test_a_draft_is_kept_until_it_is_sent_and_a_broken_one_is_not_sent(world: ApplyWorld) -> None:
    cohort = world.open.cohort
    async with world.client("10.0.0.6") as client:
        await contact_for(world, client, "4204", "kari-4204")  # signed in by the link
        form = await client.get(f"/kull/{cohort}/sok/soknad")
        draft = {"csrf": csrf_of(form.text), "municipalities": "4204", "participants.0.name": "Ola Utkast"}
        saved = await client.post(f"/kull/{cohort}/sok/soknad", data=draft | {"action": "lagre"})
        assert saved.status_code == 303
        again = await client.get(f"/kull/{cohort}/sok/soknad")
        assert 'value="Ola Utkast"' in again.text and "Utkastet er lagret" in again.text
        sent = await client.post(f"/kull/{cohort}/sok/soknad", data=draft | {"action": "send"})
        assert sent.status_code == 422
        assert "Velg et av valgene i listen" in sent.text and "Kan ikke være tomt" in sent.text
        home = await client.get("/")
        assert home.status_code == 200 and "Søk om plass på et kull" in home.text
        listed = await client.get("/sok")
        assert f"Kull {cohort}" in listed.text and f"Kull {world.closed.cohort}" not in listed.text
    assert "4204" not in await applications(world, cohort)


async def test_a_contacts_registration_and_draft_are_exported_and_erased_with_them(world: ApplyWorld) -> None:
    """Art. 15 and 17 for a contact who registered on the web and saved a draft but never sent it: the export holds
    the registration (not the link's token) and the draft opened; erasing removes both."""
    cohort = world.open.cohort
    async with world.client("10.0.0.10") as client:
        email = await contact_for(world, client, "3401", "kari-3401")
        form = await client.get(f"/kull/{cohort}/sok/soknad")
        draft = {"csrf": csrf_of(form.text), "municipalities": "3401", "participants.0.name": "Per Utkast"}
        assert (await client.post(f"/kull/{cohort}/sok/soknad", data=draft | {"action": "lagre"})).status_code == 303
    person_id = world.people.person_id(cohort, email)
    privacy = Privacy(
        world.harness.client,
        world.harness.sessions,
        world.people,
        drafts=open_drafts(world.app.state.web.settings, world.harness.sessions),
    )
    exported = await privacy.export(person_id, "kari.admin")
    assert [(r["municipality"], r["username"]) for r in exported.registrations] == [("3401", "kari-3401")]
    assert all("token_hash" not in r for r in exported.registrations)
    [saved] = exported.drafts
    assert saved["cohort"] == cohort and "Per Utkast" in str(saved["content"]) and "sealed" not in saved

    await privacy.erase(person_id, "kari.admin")
    async with world.harness.sessions() as session:
        assert (
            await session.scalars(select(RegistrationRecord).where(RegistrationRecord.person_id == person_id))
        ).all() == []
        drafts = select(ApplicationDraftRecord).where(ApplicationDraftRecord.username == "kari-3401")
        assert (await session.scalars(drafts)).all() == []


async def test_the_page_states_the_deadline_of_the_plan_as_amended(world: ApplyWorld) -> None:
    """The administration moves the application deadline (a minute earlier, still ahead): the cohort's page and the
    door's check read the amended plan, not the one the cohort was opened with. Last in the module: it moves the
    open cohort's deadline."""
    moved = world.open.application_deadline - timedelta(minutes=1)
    amended = world.open.model_copy(update={"application_deadline": moved})
    cohort = world.harness.client.get_workflow_handle(cohort_workflow_id(world.open.cohort))
    await cohort.execute_update(CohortWorkflow.amend_plan, AmendPlanInput(actor="kari.admin", plan=amended))

    async def shown() -> None:  # once the amendment's audit row is written, the pages ask for the current plan
        async with world.client("10.0.0.9") as client:
            page = (await client.get(f"/kull/{world.open.cohort}/sok")).text
        assert f"Søknadsfristen er {when(moved)}" in page, page

    await eventually(shown)
