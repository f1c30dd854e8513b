"""Waiting for a gathering to begin by the group workflow's own word, never by the wall clock.

The group takes attendance once a gathering has begun on the workflow's clock (`workflow.now()` in its validator),
which need not be the test's clock the moment the test looks. So the test asks the workflow: an attendance naming
no member of the group is refused either with "not started" (too early) or with "not members" (the gathering has
begun); a refused update is refused by its validator and writes nothing to the history, the audit or the letters.
"""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from tests.workflows.helpers import eventually
from workflows.group import GroupWorkflow
from workflows.messages import AttendanceInput, DayAttendance

NOT_STARTED, BEGUN = "group.attendance_not_started", "group.attendance_not_members"


async def gathering_begun(group: WorkflowHandle[Any, Any], number: int = 1, timeout: float = 60.0) -> None:
    """Return once the group's workflow says gathering `number` has begun; fail after `timeout` seconds, saying so."""
    stranger = DayAttendance(day=1, present=[f"{group.id}.deltaker-99"])
    nobody = AttendanceInput(actor="test", gathering=number, days=[stranger])

    async def begun() -> None:
        try:
            await group.execute_update(GroupWorkflow.register_attendance, nobody)
        except WorkflowUpdateFailedError as failed:
            code = failed.cause.type if isinstance(failed.cause, ApplicationError) else None
            if code == BEGUN:
                return
            assert code == NOT_STARTED, f"the probe of gathering {number} on {group.id} was refused: {failed.cause}"
        else:
            raise AssertionError(f"{group.id} took attendance for a participant it does not have")
        raise AssertionError(f"gathering {number} of {group.id} has not begun by its workflow's clock")

    try:
        await eventually(begun, timeout=timeout)
    except AssertionError as error:
        raise AssertionError(f"{error} after {timeout:g} s") from None
