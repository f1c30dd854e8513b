"""A gathering's reminder written for every group at once: its readers from the read model the groups keep, each
letter keyed as the group keyed it, nothing queued twice when the activity is retried."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.effects import EffectsActivities
from activities.gathering_reminders import GatheringRemindersInput, ReminderActivities
from activities.models import ParticipantRow, ProjectInput, WriteEffectsInput
from store.tables import EnrolmentRecord, OutboxRecord
from tests.activities.samples import PLAN
from workflows.notices import GatheringAhead

Sessions = async_sessionmaker[AsyncSession]
GROUP_A, GROUP_B, ELSEWHERE = "kull-2022.gruppe-0301", "kull-2022.gruppe-5001", "kull-2023.gruppe-0301"
EVENT = "gathering_ahead:1:1661990400:604800:0"


def person(n: int) -> str:
    return f"p{n:020x}"


def member(group: str, n: int, **status: object) -> ParticipantRow:
    values = {
        "participant_id": f"{group}.deltaker-{n}",
        "group_id": group,
        "cohort": group.split(".")[0].removeprefix("kull-"),
        "sector": "helse_omsorg",
        "track": "student",
        "stage": "active",
        "person_id": person(100 * (group == GROUP_B) + 1000 * (group == ELSEWHERE) + n),
    }
    return ParticipantRow.model_validate(values | status)


async def read_model(sessions: Sessions) -> None:
    """Two groups of cohort 2022 as their own effects wrote them, and a group of another cohort."""
    rows = [
        member(GROUP_A, 1),
        member(GROUP_A, 2, stage="withdrawn", withdrawn=True),
        member(GROUP_A, 3, stage="ended", replaced=True),
        member(GROUP_A, 4),
        member(GROUP_B, 1),
        member(GROUP_B, 2, stage="ended", end_reason="reason.gave_up"),
        member(ELSEWHERE, 1),
    ]
    await ActivityEnvironment().run(
        EffectsActivities(sessions).write, WriteEffectsInput(rows=ProjectInput(participants=rows))
    )
    async with sessions() as session, session.begin():
        for group, contact in [(GROUP_A, person(50)), (GROUP_B, person(150)), (ELSEWHERE, person(1050))]:
            cohort = group.split(".")[0].removeprefix("kull-")
            session.add(EnrolmentRecord(person_id=contact, group_workflow_id=group, cohort=cohort, kind="contact"))


def reminder() -> GatheringRemindersInput:
    notice = GatheringAhead.of("2022", 1, PLAN.gatherings[0], seconds_before=7 * 86400)
    return GatheringRemindersInput(event=EVENT, notice=notice, groups=[GROUP_A, GROUP_B])


async def test_every_active_member_and_contact_of_every_group_once_and_a_retry_adds_nothing(
    session_factory: Sessions,
) -> None:
    await read_model(session_factory)
    activities = ReminderActivities(session_factory)
    first = await ActivityEnvironment().run(activities.write_gathering_reminders, reminder())
    again = await ActivityEnvironment().run(activities.write_gathering_reminders, reminder())
    assert (first.groups, first.queued) == (2, 5)
    assert (again.groups, again.queued) == (2, 0)
    async with session_factory() as session:
        letters = (await session.scalars(select(OutboxRecord).order_by(OutboxRecord.idempotency_key))).all()
    assert sorted(letter.idempotency_key for letter in letters) == sorted(
        [
            *(f"{GROUP_A}:{EVENT}:{reader}" for reader in (person(50), person(1), person(4))),
            *(f"{GROUP_B}:{EVENT}:{reader}" for reader in (person(150), person(101))),
        ]
    )  # not the withdrawn, the replaced, the ended, nor another cohort's group
    assert {(letter.kind, letter.cohort, letter.status) for letter in letters} == {
        ("gathering_ahead", "2022", "queued")
    }


async def test_a_group_without_readers_gets_nothing(session_factory: Sessions) -> None:
    await read_model(session_factory)
    lonely = reminder().model_copy(update={"groups": ["kull-2022.gruppe-1804"]})
    result = await ActivityEnvironment().run(ReminderActivities(session_factory).write_gathering_reminders, lonely)
    assert (result.groups, result.queued) == (0, 0)
