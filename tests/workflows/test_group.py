"""A group on the dev server: from admission through requirements, written and oral, to combined grades."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.models import CohortPlan, Grade
from tests.conftest import Harness
from tests.factories import application, facts
from tests.workflows.helpers import eventually, outbox
from tests.workflows.plans import running_plan
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import (
    AdminAction,
    AttendanceInput,
    DayAttendance,
    GroupInput,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    Outcome,
    OutcomeSignal,
    PublishSignal,
    RequirementInput,
    ReturnRequirementInput,
    SubmitRequirementInput,
    SubmitWrittenInput,
    WrittenGradeInput,
)
from workflows.participant import ParticipantWorkflow

ACTOR = "kari.admin"


async def start_group(
    harness: Harness, participants: int = 4, plan: CohortPlan | None = None, **plan_settings: object
) -> WorkflowHandle[Any, Any]:
    plan = plan or running_plan(**plan_settings)
    data = application(["5001"], participants=participants)
    data["participants"][-1].update(education_years=0.5, experience_years=0)  # one course participant
    app = facts(data | {"cohort": plan.cohort})
    group_id = group_workflow_id(plan.cohort, app.id)
    handle = await harness.client.start_workflow(
        GroupWorkflow.run,
        GroupInput(cohort_workflow_id=f"absent-{uuid.uuid4().hex}", application_id=app.id, application=app, plan=plan),
        id=group_id,
        task_queue=harness.task_queue,
    )
    await handle.signal(GroupWorkflow.outcome, OutcomeSignal(outcome=Outcome.ADMITTED))
    return handle


async def members(handle: WorkflowHandle[Any, Any]) -> list[str]:
    """The members' workflow IDs once their workflows run: a test that asks one before would race its start."""

    async def started() -> list[str]:
        detail = await handle.query(GroupWorkflow.detail)
        assert detail.members and all(m.started for m in detail.members if not m.replaced)
        return [m.participant_workflow_id for m in detail.members]

    return await eventually(started)


async def approve_all(handle: WorkflowHandle[Any, Any]) -> None:
    for number in range(1, 5):
        await handle.execute_update(
            GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=number)
        )
        await handle.execute_update(GroupWorkflow.approve_requirement, RequirementInput(actor=ACTOR, number=number))


async def test_group_from_admission_to_published_grades(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    await handle.execute_update(
        GroupWorkflow.register_attendance,
        AttendanceInput(actor=ACTOR, gathering=1, days=[DayAttendance(day=1, present=ids[:3])]),
    )
    await handle.execute_update(GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=1))
    returned = await handle.execute_update(
        GroupWorkflow.return_requirement, ReturnRequirementInput(actor=ACTOR, number=1, feedback="Mangler innsikt")
    )
    assert returned.status == "returned"
    await approve_all(handle)  # requirement 1 is resubmitted here
    await handle.execute_update(
        GroupWorkflow.mark_non_participating, MarkNonParticipatingInput(actor=ACTOR, participant_workflow_id=ids[2])
    )
    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.C))
    await handle.execute_update(
        GroupWorkflow.register_oral,
        OralInput(
            actor=ACTOR,
            adjustments=[
                OralAdjustment(participant_workflow_id=ids[0], adjustment=1),
                OralAdjustment(participant_workflow_id=ids[1], adjustment=-1),
            ],
        ),
    )

    async def graded() -> None:
        assert (await handle.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(graded)
    await handle.signal(GroupWorkflow.publish, PublishSignal())
    result = await handle.result()

    by_id = {m.participant_workflow_id: m for m in result.detail.members}
    assert (by_id[ids[0]].final_grade, by_id[ids[0]].credits) == (Grade.B, 30)
    assert (by_id[ids[1]].final_grade, by_id[ids[1]].credits) == (Grade.D, 30)
    assert by_id[ids[2]].final_grade is None and by_id[ids[2]].credits == 0  # marked as not taking part
    assert by_id[ids[3]].certificate == "course_certificate" and by_id[ids[3]].final_grade is None
    assert by_id[ids[0]].attendance_days == 1 and by_id[ids[3]].attendance_days == 0

    participant = harness.client.get_workflow_handle_for(ParticipantWorkflow.run, ids[0])
    final = await participant.result()
    assert final.detail.final_grade == Grade.B and final.detail.oral_adjustment == 1 and final.detail.ended
    published = await outbox(harness.sessions, "result_published")
    assert len(published) == 2  # two graded students; the course participant gets a certificate instead
    assert len(await outbox(harness.sessions, "no_result")) == 1  # the one marked as not having taken part
    assert len(await outbox(harness.sessions, "certificate_issued")) == 1


async def test_out_of_order_and_duplicate_actions_are_refused_by_name(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    refusals: list[tuple[Any, AdminAction, str]] = [
        (
            GroupWorkflow.approve_requirement,
            RequirementInput(actor=ACTOR, number=2),
            "ikke levert; det kan ikke godkjennes",
        ),
        (
            GroupWorkflow.register_written_grade,
            WrittenGradeInput(actor=ACTOR, grade=Grade.A),
            "Den skriftlige oppgaven er ikke levert; det er ingenting å sette karakter på",
        ),
        (
            GroupWorkflow.register_oral,
            OralInput(actor=ACTOR, adjustments=[]),
            "Den skriftlige oppgaven har ikke karakter ennå",
        ),
        (
            GroupWorkflow.register_attendance,
            AttendanceInput(actor=ACTOR, gathering=2, days=[DayAttendance(day=3, present=[])]),
            "Samling 2 har 2 dager, ikke dag 3",
        ),
        (
            GroupWorkflow.register_attendance,
            AttendanceInput(
                actor=ACTOR, gathering=1, days=[DayAttendance(day=1, present=["kull-x.gruppe-1.deltaker-9"])]
            ),
            "Ikke aktive medlemmer av gruppen: kull-x.gruppe-1.deltaker-9",
        ),
    ]
    for update, arg, reason in refusals:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(update, arg)
        assert reason in str(refused.value.cause)
    await handle.execute_update(GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=1))
    await handle.execute_update(GroupWorkflow.approve_requirement, RequirementInput(actor=ACTOR, number=1))
    with pytest.raises(WorkflowUpdateFailedError) as second:
        await handle.execute_update(GroupWorkflow.approve_requirement, RequirementInput(actor=ACTOR, number=1))
    assert "Arbeidskrav 1 er godkjent" in str(second.value.cause)
    await approve_all_from(handle, 2)
    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.B))
    with pytest.raises(WorkflowUpdateFailedError) as beyond:
        await handle.execute_update(
            GroupWorkflow.register_oral,
            OralInput(
                actor=ACTOR, adjustments=[OralAdjustment(participant_workflow_id=i, adjustment=2) for i in ids[:3]]
            ),
        )
    cause = beyond.value.cause
    assert isinstance(cause, ApplicationError) and cause.message == (
        f"Muntlig justering kan ikke registreres for {', '.join(ids[:3])}; "
        "Den muntlige eksamenen kan flytte karakteren høyst 1 trinn, ikke +2"
    )  # one problem for the three alike, then the grading rule's own
    assert [d["code"] for d in cause.details] == ["group.oral_adjustment_refused", "grading.beyond_step_limit"]
    detail = await handle.query(GroupWorkflow.detail)
    assert detail.written_grade == Grade.B and all(m.oral_adjustment is None for m in detail.members)
    assert [p.text for p in detail.pending_actions] == ["Registrer de muntlige justeringene"]
    history = await handle.fetch_history()
    assert "oral_adjustment_refused" not in history.to_json()  # a refused update leaves no trace in history
    await handle.terminate("test done")
    for pid in ids:
        await harness.client.get_workflow_handle(pid).terminate("test done")


async def approve_all_from(handle: WorkflowHandle[Any, Any], first: int) -> None:
    for number in range(first, 5):
        await handle.execute_update(
            GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=number)
        )
        await handle.execute_update(GroupWorkflow.approve_requirement, RequirementInput(actor=ACTOR, number=number))


async def test_written_f_is_final_and_needs_no_oral(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    await approve_all(handle)
    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.F))

    async def graded() -> None:
        assert (await handle.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(graded)
    await handle.signal(GroupWorkflow.publish, PublishSignal())
    result = await handle.result()
    students = [m for m in result.detail.members if m.participant_workflow_id != ids[3]]
    assert all(m.final_grade == Grade.F and m.credits == 0 for m in students)
    final = await harness.client.get_workflow_handle_for(ParticipantWorkflow.run, ids[0]).result()
    assert final.detail.final_grade == Grade.F and final.detail.written_grade == Grade.F and final.detail.ended
