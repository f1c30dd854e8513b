"""The participant's detail while it runs: the group owns attendance and progress (no signal per day to each member),
and the detail the pages and the command line show (gateway.queries.participant_detail) says what the group
registered; the group writes the members' rows in the read model."""

from __future__ import annotations

from typing import Any

from gateway.queries import participant_detail
from store.tables import ParticipantRecord
from tests.conftest import Harness
from tests.workflows.helpers import eventually
from tests.workflows.test_group import ACTOR, members, start_group
from workflows.group import GroupWorkflow
from workflows.messages import AttendanceInput, DayAttendance, RequirementInput, SubmitRequirementInput
from workflows.participant import ParticipantWorkflow


async def test_the_participants_detail_shows_the_attendance_the_group_registered(harness: Harness) -> None:
    group = await start_group(harness)
    ids = await members(group)
    await group.execute_update(
        GroupWorkflow.register_attendance,
        AttendanceInput(actor=ACTOR, gathering=1, days=[DayAttendance(day=1, present=ids[:2])]),
    )
    await group.execute_update(GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=1))
    await group.execute_update(GroupWorkflow.approve_requirement, RequirementInput(actor=ACTOR, number=1))

    async def ask(workflow_id: str, query: Any) -> Any:
        return await harness.client.get_workflow_handle(workflow_id).query(query)

    present, absent = await participant_detail(ask, ids[0]), await participant_detail(ask, ids[2])
    assert present is not None and absent is not None and not present.ended
    assert (present.attendance, present.attendance_days, present.requirements_approved) == (["1:1"], 1, 1)
    assert (absent.attendance, absent.attendance_days, absent.requirements_approved) == ([], 0, 1)
    # the participant's own workflow was told nothing: the group is the one source while it runs
    own = await harness.client.get_workflow_handle(ids[0]).query(ParticipantWorkflow.detail)
    assert (own.attendance, own.requirements_approved) == ([], 0)

    async def rows() -> None:
        async with harness.sessions() as session:
            row = await session.get(ParticipantRecord, ids[0])
            assert row is not None and (row.attendance_days, row.requirements_approved, row.stage) == (1, 1, "active")

    await eventually(rows)
