"""The gateway's application path against the dev server: people registered, IDs sent, kept only when accepted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from domain.ids import CohortId
from domain.models import Application, CohortPlan, Participant
from gateway.admin import Admin, Refused
from gateway.commands import CONFIRM_SELECTION
from gateway.people import SWEEP_AFTER, register_application
from store.accounts import Account, Role
from store.people import People, register_key
from store.tables import EnrolmentRecord, PersonRecord
from tests.conftest import TEST_KEY, Harness
from tests.factories import application, participant
from tests.workflows.helpers import eventually
from tests.workflows.plans import now_plan

ACTOR = "kari.admin"


def plan(deadline_in: float, first_gathering_in: float) -> CohortPlan:
    d, g = deadline_in, first_gathering_in
    return now_plan(
        {
            "application_deadline": d,
            "selection_date": d + 1,
            "written_deadline": g + 900,
            "oral_start": g + 910,
            "oral_end": g + 920,
        },
        gathering_starts=[g, *(g + 300 + 10 * i for i in range(5))],
        requirement_deadlines=[g + 600 + i for i in range(4)],
    )


def file(cohort: str, municipalities: list[str], **overrides: Any) -> Application:
    return Application.model_validate(application(municipalities, **overrides) | {"cohort": cohort})


@pytest.fixture
async def admin(harness: Harness) -> AsyncIterator[Admin]:
    yield Admin(harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY)))
    async for execution in harness.client.list_workflows("ExecutionStatus = 'Running'"):
        if execution.task_queue == harness.task_queue:
            await harness.client.get_workflow_handle(execution.id).terminate("test done")


async def register(harness: Harness) -> list[tuple[str, str, bool]]:
    async with harness.sessions() as session:
        rows = (await session.scalars(select(PersonRecord).order_by(PersonRecord.person_id))).all()
        return [(r.person_id, r.kind, r.confirmed) for r in rows]


async def test_accepted_application_keeps_its_people_and_a_retry_duplicates_no_one(
    admin: Admin, harness: Harness
) -> None:
    cohort_plan = plan(deadline_in=600, first_gathering_in=700)
    await admin.open_cohort(cohort_plan)
    handed_in = file(cohort_plan.cohort, ["1804"])
    first = await admin.apply(handed_in, ACTOR)
    again = await admin.apply(handed_in, ACTOR)  # the command run twice (a retry after a lost answer)
    assert first.accepted and again == first
    assert first.group_workflow_id == f"kull-{cohort_plan.cohort}.gruppe-1804"

    people = admin.people
    assert people is not None
    rows = await register(harness)
    assert len(rows) == 4 and all(confirmed for _, _, confirmed in rows)
    assert sorted(kind for _, kind, _ in rows) == ["contact", "participant", "participant", "participant"]
    ids = [people.person_id(cohort_plan.cohort, p.email) for p in handed_in.participants]
    found = await people.get_many(ids)
    assert [found[i].name for i in ids] == ["Deltaker 0", "Deltaker 1", "Deltaker 2"]
    async with harness.sessions() as session:
        enrolled = (await session.scalars(select(EnrolmentRecord).where(EnrolmentRecord.kind == "participant"))).all()
    assert sorted((e.person_id, e.participant_workflow_id) for e in enrolled) == sorted(
        (pid, f"{first.group_workflow_id}.deltaker-{n}") for n, pid in enumerate(ids, 1)
    )


async def test_a_crash_before_the_outcome_heals_on_retry_and_leftovers_are_swept(
    admin: Admin, harness: Harness
) -> None:
    cohort_plan = plan(deadline_in=600, first_gathering_in=700)
    await admin.open_cohort(cohort_plan)
    people = admin.people
    assert people is not None
    abandoned = await register_application(people, file(cohort_plan.cohort, ["0301"]))  # never handed in again
    async with harness.sessions() as session, session.begin():
        await session.execute(
            update(PersonRecord).values(touched_at=datetime.now(UTC) - SWEEP_AFTER - timedelta(hours=1))
        )
    crashed = file(cohort_plan.cohort, ["1804"])
    await register_application(people, crashed)  # the gateway stopped here last time
    assert (await admin.apply(crashed, ACTOR)).accepted
    rows = await register(harness)
    assert len(rows) == 4 and all(confirmed for _, _, confirmed in rows)
    assert not set(await people.get_many([abandoned.contact, *(p.person_id for p in abandoned.participants)]))


async def test_a_contact_who_takes_part_is_one_person_with_the_participants_data(
    admin: Admin, harness: Harness
) -> None:
    cohort_plan = plan(deadline_in=600, first_gathering_in=700)
    await admin.open_cohort(cohort_plan)
    data = application(["1804"])
    handed_in = file(
        cohort_plan.cohort, ["1804"], contact={"name": "Deltaker 0", "email": data["participants"][0]["email"]}
    )
    assert (await admin.apply(handed_in, ACTOR)).accepted
    people = admin.people
    assert people is not None
    rows = await register(harness)
    assert len(rows) == 3 and {kind for _, kind, _ in rows} == {"participant"}
    both = await people.get(people.person_id(cohort_plan.cohort, handed_in.contact.email))
    assert both is not None and (both.role, both.education_years) == ("rådgiver", 3.0)


async def test_a_refused_application_keeps_only_its_contact_for_the_letter_and_spares_an_accepted_one(
    admin: Admin, harness: Harness
) -> None:
    cohort_plan = plan(deadline_in=600, first_gathering_in=700)
    await admin.open_cohort(cohort_plan)
    accepted = file(cohort_plan.cohort, ["1804"])
    assert (await admin.apply(accepted, ACTOR)).accepted
    before = await register(harness)

    # refused by the cohort: two participants only, one of them already in the accepted application
    shared = participant(0, email=accepted.participants[0].email, name="Another Name", role="leder")
    data = application(["1806"], participants=1)
    refused = Application.model_validate(
        data | {"cohort": cohort_plan.cohort, "participants": [*data["participants"], shared]}
    )
    result = await admin.apply(refused, ACTOR)
    assert not result.accepted
    assert [p.code for p in result.problems] == ["application.participant_count", "application.one_sector"]
    people = admin.people
    assert people is not None
    # the cohort wrote to the contact why: name and e-mail stay (unconfirmed, so swept later) to reach them
    contact_id = people.person_id(cohort_plan.cohort, refused.contact.email)
    assert sorted(await register(harness)) == sorted([*before, (contact_id, "contact", False)])
    contact = await people.get(contact_id)
    assert contact is not None and (contact.name, contact.education_years) == (refused.contact.name, None)
    kept = await people.get(people.person_id(cohort_plan.cohort, shared["email"]))
    assert kept is not None and kept.name == "Deltaker 0"  # a refused file does not rewrite a confirmed person

    # refused before it reaches the cohort: no workflow for that cohort
    with pytest.raises(Refused, match="Fant ingen sak kull-nocohort"):
        await admin.apply(file("nocohort", ["0301"]), ACTOR)
    assert sorted(await register(harness)) == sorted([*before, (contact_id, "contact", False)])


async def test_a_replacement_is_kept_when_the_group_accepts_it_and_discarded_when_it_refuses(
    admin: Admin, harness: Harness
) -> None:
    cohort_plan = plan(deadline_in=3, first_gathering_in=120)
    await admin.open_cohort(cohort_plan)
    result = await admin.apply(file(cohort_plan.cohort, ["1804"]), ACTOR)
    assert result.accepted and result.group_workflow_id is not None
    group = result.group_workflow_id

    async def drawn() -> None:
        from workflows.messages import ConfirmSelectionInput

        confirm, office = ConfirmSelectionInput(actor=ACTOR), Account(username=ACTOR, role=Role.ADMIN)
        await admin.perform(CONFIRM_SELECTION, CohortId(cohort_plan.cohort), confirm, office)

    await eventually(_refusal_as_assertion(drawn), timeout=30)

    newcomer = Participant.model_validate(participant(7, email="ny@1804.no", name="Ny Deltaker"))
    await eventually(_refusal_as_assertion(lambda: admin.replace_participant(f"{group}.deltaker-1", newcomer, ACTOR)))
    people = admin.people
    assert people is not None
    newcomer_id = people.person_id(cohort_plan.cohort, newcomer.email)
    assert [e.participant_workflow_id for e in await people.enrolments(newcomer_id)] == [f"{group}.deltaker-4"]
    assert (newcomer_id, "participant", True) in await register(harness)

    twin = Participant.model_validate(participant(8, email="p2@1804.no", name="Same Address"))  # already a member
    with pytest.raises(Refused, match="Den nye deltakeren er allerede med i gruppen"):
        await admin.replace_participant(f"{group}.deltaker-2", twin, ACTOR)
    stranger = Participant.model_validate(participant(9, email="p9@1804.no", sector="politisk"))
    with pytest.raises(Refused, match="deltaker-1"):  # no longer an active member: refused, and not kept
        await admin.replace_participant(f"{group}.deltaker-1", stranger, ACTOR)
    assert await people.get(people.person_id(cohort_plan.cohort, stranger.email)) is None
    assert len(await register(harness)) == 5


def _refusal_as_assertion(action: Any) -> Any:
    async def check() -> None:
        try:
            await action()
        except Refused as refused:
            raise AssertionError(str(refused)) from None

    return check
