"""A re-sit after the group handed in no written assignment (issue 19): FS counts the missed hand-in as an attempt, so
a member who met the requirements may register a new exam, on the dev server through the gateway."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.ids import ResitId
from domain.models import CohortPlan, Grade
from gateway import commands
from gateway.end_of_year.resit import register_resit
from tests.conftest import Harness
from tests.workflows.helpers import eventually
from tests.workflows.plans import plan_from
from tests.workflows.test_appeal import acting, admin, publish, refused
from tests.workflows.test_group import approve_all, members, start_group
from tests.workflows.test_resit import EXAMINER, OFFICE, letter
from workflows.end_of_year.messages import NewOralAdjustmentInput, NewWrittenGradeInput
from workflows.group import GroupWorkflow


def missed_written_plan(window: float) -> CohortPlan:
    """Gatherings behind us; the four requirements due within `window` seconds and the written assignment just after
    them; the orals and the re-sit period later."""
    t0 = datetime.now(UTC) - timedelta(hours=1)
    hour, w = 3600.0, window
    return plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": hour + w,
            "oral_start": hour + w + 10,
            "oral_end": hour + w + 20,
        },
        gathering_starts=[10 + i for i in range(6)],
        requirement_deadlines=[hour + w - 4 + i for i in range(4)],
        resit_start=t0 + timedelta(days=1),
        resit_end=t0 + timedelta(days=2),
    )


WIDEST_WINDOW = 160.0


# the suite's 120 s is less than this test's own widening allows on a busy machine (two CPU loops and a demo beside it,
# it ran out at 120 s): the tries before the widest window (150 s), the widest (160 s), the wait for its written
# deadline (window + 60 s) and the re-sit after it
@pytest.mark.timeout(600)
async def test_a_group_that_handed_in_no_written_assignment_may_sit_a_new_exam(harness: Harness) -> None:
    """FS counts a written assignment not handed in as an attempt: a member who met the requirements registers a new
    exam as attempt 2, with no grade before it; a course participant may not."""
    window = 10.0
    while True:  # the requirements are approved before their deadlines, as the group judges them (a busy machine
        # may need a wider window: the group is stopped and the next one gets twice the time)
        handle = await start_group(harness, plan=missed_written_plan(window))
        ids = await members(handle)
        try:
            await approve_all(handle)
            break
        except WorkflowUpdateFailedError:
            if window >= WIDEST_WINDOW:
                raise
            await handle.terminate("the requirements' deadlines passed before the test approved them")
            window *= 2

    async def no_exam() -> None:  # the group's own word that the written deadline's timer fired
        detail = await handle.query(GroupWorkflow.detail)
        assert detail.stage == "no_exam" and detail.written_missed

    await eventually(no_exam, timeout=window + 60)
    await publish(handle)
    gateway = admin(harness)
    resit = await register_resit(gateway, ids[0], acting(OFFICE))
    assert (resit.attempt, resit.stage, resit.grade_before, resit.postponed) == (2, "awaiting_written", None, False)
    registered = await letter(harness, "resit_registered")
    assert "Du er meldt opp til ny eksamen på kull" in registered
    assert "Dette blir ditt forsøk nummer 2 på eksamen." in registered
    await refused(register_resit(gateway, ids[3], acting(OFFICE)), "En kursdeltaker får ikke karakter")

    await gateway.perform(
        commands.RESIT_WRITTEN,
        ResitId.parse(resit.resit_workflow_id),
        NewWrittenGradeInput(actor=EXAMINER, grade=Grade.D),
        acting(EXAMINER),
    )
    decided = await gateway.perform(
        commands.RESIT_ORAL,
        ResitId.parse(resit.resit_workflow_id),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=1),
        acting(EXAMINER),
    )
    assert decided.stage == "decided"
    body = await letter(harness, "resit_decided")
    assert "Karakteren som gjelder, er C." in body and "Du har bestått og får 30 studiepoeng." in body
