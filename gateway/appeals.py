"""Registering an appeal: the gateway checks the person's result and the release time, then starts the appeal's
workflow. A refusal names its reason and is audited like any other; nothing is started.

For a web route or the command line: `await register_appeal(admin, participant_workflow_id, actor)`, then the
appeal's own updates (`AppealWorkflow.assign_examiners`, ...) through `Admin.perform`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from temporalio.client import Client
from temporalio.service import RPCError

from domain import appeals as rules
from domain.refusals import Refusal
from gateway import after_release
from gateway.admin import Admin
from store.tables import AuditRecord
from workflows.appeal import AppealWorkflow
from workflows.appeal_messages import AppealDetail, AppealInput
from workflows.ids import appeal_workflow_id

FIRST_GRADING = ("register_written_grade", "register_oral")
ACTION = "register_appeal"


async def register_appeal(
    admin: Admin, participant_workflow_id: str, actor: str, now: datetime | None = None
) -> AppealDetail:
    """Start the appeal of one person's written grade; `Refused` (audited) with the reason when they may not."""
    who = await after_release.person(admin, participant_workflow_id, actor, ACTION)
    group, member, plan = who.group, who.member, who.plan
    appeal_id = appeal_workflow_id(who.participant_workflow_id)
    facts = rules.AppealFacts(
        track=member.track,
        final_grade=member.final_grade,
        released_at=group.published_at,
        appealed_before=await _exists(admin.client, appeal_id),
    )
    refusal = rules.appeal_refusal(facts, now or datetime.now(UTC), plan.appeal_seconds)
    if refusal is None and group.written_grade is None:
        refusal = Refusal("appeal.no_written_grade")
    if refusal is not None:
        await after_release.refuse(admin, appeal_id, who.actor, ACTION, refusal)
    assert group.published_at is not None and group.written_grade is not None and member.final_grade is not None
    input = AppealInput(
        participant_workflow_id=who.participant_workflow_id,
        group_workflow_id=group.group_workflow_id,
        cohort=plan.cohort,
        person_id=member.person_id,
        step_limit=plan.oral_step_limit,
        written_before=group.written_grade,
        oral_before=member.oral_adjustment,
        final_before=member.final_grade,
        first_examiners=await first_examiners(admin, group.group_workflow_id),
        registered_by=who.actor,
        deadline=rules.appeal_deadline(group.published_at, plan.appeal_seconds),
    )
    final = Refusal("appeal.already_appealed")  # another registration of the same appeal won
    handle = await after_release.start_once(admin, AppealWorkflow.run, input, appeal_id, who, ACTION, final)
    detail: AppealDetail = await handle.query(AppealWorkflow.detail)
    return detail


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
