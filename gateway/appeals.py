"""Registering an appeal: the gateway checks the person's result and the release time, then starts the appeal's
workflow. A refusal names its reason and is audited like any other; nothing is started.

For a web route or the command line: `await Admin.register_appeal(participant_workflow_id, actor)`, then the
appeal's own updates (`AppealWorkflow.assign_examiners`, ...) through `Admin.perform`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, NoReturn

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from domain import appeals as rules
from domain.models import CohortPlan
from domain.text import Actor, WorkflowId
from store.tables import AuditRecord
from workflows import search
from workflows.appeal import AppealWorkflow
from workflows.appeal_messages import AppealDetail, AppealInput
from workflows.group import GroupWorkflow
from workflows.ids import appeal_workflow_id
from workflows.messages import AdminAction, GroupDetail, MemberView, ParticipantDetail, ParticipantInput
from workflows.participant import ParticipantWorkflow

if TYPE_CHECKING:
    from gateway.admin import Admin

FIRST_GRADING = ("register_written_grade", "register_oral")
FINAL = "the result of an appeal is final: this person has already appealed"
_ACTOR: TypeAdapter[str] = TypeAdapter(Actor)
_WORKFLOW_ID: TypeAdapter[str] = TypeAdapter(WorkflowId)


async def register_appeal(
    admin: Admin, participant_workflow_id: str, actor: str, now: datetime | None = None
) -> AppealDetail:
    """Start the appeal of one person's written grade; `Refused` (audited) with the reason when they may not."""
    from gateway.admin import Refused  # the gateway's module imports this one

    try:
        participant_workflow_id = _WORKFLOW_ID.validate_python(participant_workflow_id)
        actor = _ACTOR.validate_python(actor)
    except ValidationError as error:
        raise Refused(error.errors()[0]["msg"].removeprefix("Value error, ")) from None
    participant: ParticipantDetail = await admin.query(participant_workflow_id, ParticipantWorkflow.detail)
    group: GroupDetail = await admin.query(participant.group_workflow_id, GroupWorkflow.detail)
    member = member_of(group, participant_workflow_id)
    if member is None:
        await _refuse(admin, participant_workflow_id, actor, f"{participant_workflow_id} is not a member of its group")
    plan = await plan_of(admin.client, participant_workflow_id)
    appeal_id = appeal_workflow_id(participant_workflow_id)
    # the group's view of the member: it holds the grade from the moment it publishes (the participant hears later)
    facts = rules.AppealFacts(
        track=member.track,
        final_grade=member.final_grade,
        released_at=group.published_at,
        appealed_before=await _exists(admin.client, appeal_id),
    )
    reason = rules.appeal_refusal(facts, now or datetime.now(UTC), plan.appeal_seconds)
    if reason is None and group.written_grade is None:
        reason = "there is no written grade to appeal"
    if reason:
        await _refuse(admin, appeal_id, actor, reason)
    assert member is not None and group.published_at is not None
    assert group.written_grade is not None and member.final_grade is not None
    input = AppealInput(
        participant_workflow_id=participant_workflow_id,
        group_workflow_id=group.group_workflow_id,
        cohort=plan.cohort,
        person_id=member.person_id,
        step_limit=plan.oral_step_limit,
        written_before=group.written_grade,
        oral_before=member.oral_adjustment,
        final_before=member.final_grade,
        first_examiners=await first_examiners(admin, group.group_workflow_id),
        registered_by=actor,
        deadline=rules.appeal_deadline(group.published_at, plan.appeal_seconds),
    )
    try:
        handle = await admin.client.start_workflow(
            AppealWorkflow.run,
            input,
            id=appeal_id,
            task_queue=admin.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes(
                [SearchAttributePair(search.COHORT, plan.cohort), SearchAttributePair(search.STAGE, "appeal")]
            ),
        )
    except WorkflowAlreadyStartedError:  # registered twice at once: the other one won
        await _refuse(admin, appeal_id, actor, FINAL)
    detail: AppealDetail = await handle.query(AppealWorkflow.detail)
    return detail


async def _refuse(admin: Admin, workflow_id: str, actor: str, reason: str) -> NoReturn:
    from gateway.admin import Refused

    await admin._audit_refusal(workflow_id, AdminAction(actor=actor), "register_appeal", reason)  # noqa: SLF001
    raise Refused(reason)


async def plan_of(client: Client, participant_workflow_id: str) -> CohortPlan:
    """The cohort's plan as the participant's workflow was started with it (the first event of its history)."""
    handle = client.get_workflow_handle(participant_workflow_id)
    async for event in handle.fetch_history_events():
        payloads = event.workflow_execution_started_event_attributes.input.payloads
        [started] = await client.data_converter.decode(payloads, [ParticipantInput])
        assert isinstance(started, ParticipantInput)
        return started.plan
    raise LookupError(f"no history for {participant_workflow_id}")


async def first_examiners(admin: Admin, group_workflow_id: str) -> list[str]:
    """Who registered the group's written grade and oral adjustments: the audit trail names them."""
    if admin.sessions is None:
        return []
    async with admin.sessions() as session:
        actors = await session.scalars(
            select(AuditRecord.actor)
            .distinct()
            .where(
                AuditRecord.workflow_id == group_workflow_id,
                AuditRecord.action.in_(FIRST_GRADING),
                AuditRecord.outcome == "accepted",
            )
        )
        return sorted(actors)


async def _exists(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError:
        return False
    return True


def member_of(group: GroupDetail, participant_workflow_id: str) -> MemberView | None:
    return next((m for m in group.members if m.participant_workflow_id == participant_workflow_id), None)
