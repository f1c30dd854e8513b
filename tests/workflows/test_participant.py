"""Participants on the dev server: an individual assessment decided, a withdrawal, a replacement before the first
gathering; the group sees each, and repeated or misplaced actions are refused by name."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.models import Track
from domain.reasons import reason
from tests.conftest import Harness
from tests.factories import application, enrolment, facts, participant
from tests.workflows.helpers import audit, eventually
from tests.workflows.plans import plan_from
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import (
    DecideAssessmentInput,
    GroupDetail,
    GroupInput,
    Outcome,
    OutcomeSignal,
    ReplaceParticipantInput,
    WithdrawParticipantInput,
)
from workflows.participant import ParticipantWorkflow

ACTOR = "kari.admin"
HOUR = 3600.0


async def start_admitted_group(harness: Harness) -> tuple[WorkflowHandle[Any, Any], list[str]]:
    """Admitted, first gathering an hour ahead; member 2 waits for an individual assessment."""
    t0 = datetime.now(UTC) - timedelta(seconds=60)
    plan = plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": 5 * HOUR,
            "oral_start": 5 * HOUR + 10,
            "oral_end": 5 * HOUR + 20,
        },
        gathering_starts=[HOUR + 10 * i for i in range(6)],
        requirement_deadlines=[2 * HOUR + i for i in range(4)],
    )
    data = application(["4601"], participants=4)
    data["participants"][1].update(education_years=2, experience_years=3)
    app = facts(data | {"cohort": plan.cohort})
    handle = await harness.client.start_workflow(
        GroupWorkflow.run,
        GroupInput(cohort_workflow_id=f"absent-{uuid.uuid4().hex}", application_id=app.id, application=app, plan=plan),
        id=group_workflow_id(plan.cohort, app.id),
        task_queue=harness.task_queue,
    )
    await handle.signal(GroupWorkflow.outcome, OutcomeSignal(outcome=Outcome.ADMITTED))

    async def started() -> list[str]:
        detail = await handle.query(GroupWorkflow.detail)
        assert len(detail.members) == 4 and detail.stage == "programme"
        return [m.participant_workflow_id for m in detail.members]

    return handle, await eventually(started)


async def refused(handle: WorkflowHandle[Any, Any], update: object, arg: object) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, arg)  # type: ignore[call-overload]
    return str(failure.value.cause)


async def test_assessment_withdrawal_and_replacement(harness: Harness) -> None:
    group, ids = await start_admitted_group(harness)
    waiting, student = (harness.client.get_workflow_handle(i) for i in ids[1:3])

    async def waiting_for_assessment() -> None:  # RPCError, retried, until the group has started it
        assert (await waiting.query(ParticipantWorkflow.detail)).track == Track.ASSESSMENT
        await student.query(ParticipantWorkflow.detail)

    await eventually(waiting_for_assessment)

    decided = await waiting.execute_update(
        ParticipantWorkflow.decide_assessment, DecideAssessmentInput(actor=ACTOR, track=Track.COURSE)
    )
    assert decided.track == Track.COURSE
    assert "Ingen individuell vurdering venter; sporet er allerede kursdeltaker" in await refused(
        waiting, ParticipantWorkflow.decide_assessment, DecideAssessmentInput(actor=ACTOR, track=Track.STUDENT)
    )
    assert "sporet er allerede student (studiepoeng)" in await refused(
        student, ParticipantWorkflow.decide_assessment, DecideAssessmentInput(actor=ACTOR, track=Track.COURSE)
    )

    await student.execute_update(ParticipantWorkflow.withdraw, WithdrawParticipantInput(actor=ACTOR, reason="Ny jobb"))
    assert "Deltakeren har allerede trukket seg" in await refused(
        student, ParticipantWorkflow.withdraw, WithdrawParticipantInput(actor=ACTOR, reason="igjen")
    )

    async def group_sees_both() -> GroupDetail:
        detail: GroupDetail = await group.query(GroupWorkflow.detail)
        by_id = {m.participant_workflow_id: m for m in detail.members}
        assert by_id[ids[1]].track == Track.COURSE and not by_id[ids[1]].exam_eligible
        assert by_id[ids[2]].withdrawn and by_id[ids[2]].ineligible_reason == reason("reason.withdrawn")
        return detail

    await eventually(group_sees_both)

    newcomer = enrolment(participant(7, email="ny@4601.no"))
    same_person = enrolment(participant(8, email="p3@4601.no"))  # member 4 stays
    assert "Den nye deltakeren er allerede med i gruppen" in await refused(
        group,
        GroupWorkflow.replace_participant,
        ReplaceParticipantInput(actor=ACTOR, participant_workflow_id=ids[0], replacement=same_person),
    )
    await group.execute_update(
        GroupWorkflow.replace_participant,
        ReplaceParticipantInput(actor=ACTOR, participant_workflow_id=ids[0], replacement=newcomer),
    )

    async def replaced() -> str:
        detail = await group.query(GroupWorkflow.detail)
        by_id = {m.participant_workflow_id: m for m in detail.members}
        assert by_id[ids[0]].replaced and len(detail.members) == 5
        new_id = detail.members[-1].participant_workflow_id
        assert (
            new_id.endswith(".deltaker-5")
            and (await harness.client.get_workflow_handle(new_id).query(ParticipantWorkflow.detail)).track
            == Track.STUDENT
        )
        return new_id

    await eventually(replaced)
    assert "er ikke et aktivt medlem av gruppen" in await refused(
        group,
        GroupWorkflow.replace_participant,
        ReplaceParticipantInput(actor=ACTOR, participant_workflow_id=ids[0], replacement=newcomer),
    )

    async def audited() -> None:
        actions = [(entry.action, entry.outcome) for entry in await audit(harness.sessions)]
        assert {
            ("decide_assessment", "accepted"),
            ("withdraw_participant", "accepted"),
            ("replace_participant", "accepted"),
        } <= set(actions)

    await eventually(audited)
    await group.terminate("test done")
    for workflow_id in ids:
        with contextlib.suppress(RPCError):  # a withdrawn or replaced participant's workflow has ended by itself
            await harness.client.get_workflow_handle(workflow_id).terminate("test done")
