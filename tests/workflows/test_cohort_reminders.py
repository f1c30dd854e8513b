"""A gathering's reminders on the dev server, from the cohort's own timers, in real seconds: every active member and
the contact of every group in the programme gets one letter per reminder, a member who withdrew gets none."""

from __future__ import annotations

from collections import Counter
from functools import partial

from sqlalchemy import select

from activities.letters import NOTICE, Contact, render_letter
from domain.calendar import DueKind
from domain.models import Application, CohortPlan
from gateway.admin import Admin
from store.people import People, register_key
from store.tables import EnrolmentRecord, OutboxRecord, ParticipantRecord
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.workflows.helpers import eventually, outbox
from tests.workflows.plans import now_plan
from tests.workflows.test_cohort import ACTOR, terminate_all
from tests.workflows.test_timers import item
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.messages import ConfirmSelectionInput, MemberView, WithdrawParticipantInput
from workflows.participant import ParticipantWorkflow

LEADS = [6.0, 3.0]  # the reminders' lead times, in seconds


def reminders_plan() -> CohortPlan:
    """Applications for 5 s; gatherings 1 and 2 in 30 s and 45 s, the others an hour away; deadlines later still."""
    hour = 3600.0
    return now_plan(
        {
            "application_deadline": 5,
            "selection_date": 6,
            "written_deadline": 3 * hour,
            "oral_start": 3 * hour + 10,
            "oral_end": 3 * hour + 20,
        },
        gathering_starts=[30, 45, *(hour + 10 * i for i in range(4))],
        requirement_deadlines=[2 * hour + i for i in range(4)],
        reminder_seconds_before=LEADS,
    )


async def members(harness: Harness, group: str) -> tuple[str, list[MemberView]]:
    """The contact the gateway enrolled and the person IDs of the members, once the group has written their rows."""
    async with harness.sessions() as session:
        contact = await session.scalar(
            select(EnrolmentRecord.person_id).where(
                EnrolmentRecord.group_workflow_id == group, EnrolmentRecord.kind == "contact"
            )
        )
        rows = (await session.scalars(select(ParticipantRecord).where(ParticipantRecord.group_id == group))).all()
    assert contact is not None and len(rows) == 3
    detail = await harness.client.get_workflow_handle_for(GroupWorkflow.run, group).query(GroupWorkflow.detail)
    return contact, list(detail.members)


async def open_and_admit(admin: Admin) -> tuple[CohortPlan, list[str]]:
    plan = reminders_plan()
    cohort = await admin.open_cohort(plan, seed="samling")
    groups = []
    for numbers in (["1804"], ["5001"]):
        handed_in = Application.model_validate(application(numbers) | {"cohort": plan.cohort})
        result = await admin.apply(handed_in, ACTOR)
        assert result.accepted and result.group_workflow_id
        groups.append(result.group_workflow_id)

    async def drawn() -> None:
        assert (await cohort.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn, timeout=20)
    await cohort.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor=ACTOR))
    return plan, groups


async def withdraw(harness: Harness, member: MemberView) -> None:
    participant = harness.client.get_workflow_handle_for(ParticipantWorkflow.run, member.participant_workflow_id)
    await participant.execute_update(
        ParticipantWorkflow.withdraw, WithdrawParticipantInput(actor=ACTOR, reason="Ny jobb")
    )

    async def in_read_model() -> None:
        async with harness.sessions() as session:
            row = await session.get(ParticipantRecord, member.participant_workflow_id)
        assert row is not None and row.withdrawn

    await eventually(in_read_model)


async def test_each_reminder_reaches_every_active_member_of_every_group_once(harness: Harness) -> None:
    people = People(harness.sessions, register_key(TEST_KEY))
    plan, groups = await open_and_admit(Admin(harness.client, harness.sessions, harness.task_queue, people))
    team = {group: await eventually(partial(members, harness, group)) for group in groups}
    leaver = team[groups[0]][1][1]
    await withdraw(harness, leaver)  # before the first reminder, 24 s after the plan was made
    events = [
        item(DueKind.GATHERING_AHEAD, gathering.start, number, lead)
        for number, gathering in enumerate(plan.gatherings[:2], 1)
        for lead in LEADS
    ]

    async def all_reminded() -> list[OutboxRecord]:
        letters = await outbox(harness.sessions, "gathering_ahead")
        assert {letter.idempotency_key.split(":", 1)[1].rpartition(":")[0] for letter in letters} == set(events)
        return letters

    letters = await eventually(all_reminded, timeout=75)
    await terminate_all(harness, plan.cohort)

    expected = [
        f"{group}:{event}:{reader}"
        for group, (contact, active) in team.items()
        for event in events
        for reader in [contact, *(m.person_id for m in active if m is not leaver)]
    ]
    assert len(expected) == 4 * (4 + 3)  # four reminders; the contact and three members, one of whom withdrew
    assert sorted(letter.idempotency_key for letter in letters) == sorted(expected)
    assert leaver.person_id not in {letter.person_id for letter in letters}
    per_reader = Counter((letter.person_id, letter.idempotency_key.split(":", 1)[1]) for letter in letters)
    assert set(per_reader.values()) == {1}

    first = next(letter for letter in letters if letter.person_id == team[groups[1]][1][0].person_id)
    notice = NOTICE.validate_json(first.notice)
    letter = render_letter(notice, "Kari", Contact("stab@example.no"))
    number = 1 if f":{int(plan.gatherings[0].start.timestamp())}:" in first.idempotency_key else 2
    gathering = plan.gatherings[number - 1]
    assert letter.subject.startswith(f"Påminnelse: samling {number} på kull {plan.cohort} starter om ")
    assert f"Samling {number} på kull {plan.cohort}, «{gathering.theme}», starter om " in letter.body
    assert "Oppmøtet registreres hver dag." in letter.body and "Hei Kari" in letter.body
