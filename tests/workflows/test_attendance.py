"""A gathering's attendance in one registration: every day of it in one update and one audit entry, a later
registration of some days leaving the others as they were, and the refusals in Norwegian."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateFailedError

from domain.catalogue import detail as said
from domain.errors import describe
from tests.conftest import Harness
from tests.workflows.helpers import audit, eventually
from tests.workflows.test_group import ACTOR, members, start_group
from workflows.group import GroupWorkflow
from workflows.messages import AttendanceInput, DayAttendance


async def test_a_gathering_is_registered_at_once_and_a_day_again_alone(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    gathering = AttendanceInput(
        actor=ACTOR,
        gathering=1,
        days=[
            DayAttendance(day=1, present=ids[:3]),
            DayAttendance(day=2, present=ids[:2]),
            DayAttendance(day=3, present=ids[1:3]),
        ],
    )
    await handle.execute_update(GroupWorkflow.register_attendance, gathering)
    again = AttendanceInput(actor=ACTOR, gathering=1, days=[DayAttendance(day=2, present=[ids[0], ids[3]])])
    await handle.execute_update(GroupWorkflow.register_attendance, again)

    detail = await handle.query(GroupWorkflow.detail)
    assert [m.attendance for m in detail.members] == [["1:1", "1:2"], ["1:1", "1:3"], ["1:1", "1:3"], ["1:2"]]
    assert [m.attendance_days for m in detail.members] == [2, 2, 2, 1]
    accepted = [
        e
        for e in (await handle.fetch_history()).events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    ]
    assert len(accepted) == 2  # three days, then one: an update each

    async def recorded() -> list[str]:
        entries = [a for a in await audit(harness.sessions) if a.action == "register_attendance"]
        assert len(entries) == 2
        return [said(a.params or {}) for a in entries]

    assert await eventually(recorded) == [
        "samling 1, dag 1: 3 til stede, dag 2: 2 til stede, dag 3: 2 til stede",
        "samling 1, dag 2: 2 til stede",
    ]


async def test_days_the_gathering_has_not_and_strangers_are_refused_and_change_nothing(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    refusals = [
        (
            AttendanceInput(
                actor=ACTOR, gathering=2, days=[DayAttendance(day=1, present=[]), DayAttendance(day=3, present=[])]
            ),
            "Samling 2 har 2 dager, ikke dag 3",
        ),
        (
            AttendanceInput(
                actor=ACTOR,
                gathering=1,
                days=[DayAttendance(day=1, present=ids), DayAttendance(day=2, present=["kull-x.gruppe-1.deltaker-9"])],
            ),
            "Ikke aktive medlemmer av gruppen: kull-x.gruppe-1.deltaker-9",
        ),
    ]
    for action, reason in refusals:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(GroupWorkflow.register_attendance, action)
        assert reason in str(refused.value.cause)
    assert [m.attendance_days for m in (await handle.query(GroupWorkflow.detail)).members] == [0, 0, 0, 0]


def test_a_day_named_twice_or_none_at_all_is_the_inputs_own_refusal() -> None:
    def refusal(**fields: object) -> list[str]:
        with pytest.raises(ValidationError) as error:
            AttendanceInput.model_validate({"actor": ACTOR, "gathering": 1} | fields)
        return describe(error.value)

    twice = [{"day": 2, "present": []}, {"day": 1, "present": []}, {"day": 2, "present": []}]
    assert refusal(days=twice) == ["dager: 2 er oppgitt to ganger"]
    assert refusal(days=[]) == ["dager: minst 1 i listen, her 0"]
    assert refusal(day=1) == ["days.0.present: må fylles ut"]  # one day as before still names who was there
    one_day = AttendanceInput.model_validate({"actor": ACTOR, "gathering": 1, "day": 3, "present": []})
    assert one_day.days == [DayAttendance(day=3, present=[])]
