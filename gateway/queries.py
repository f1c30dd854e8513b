"""The queries the web app and the command line ask a workflow (`Admin.query(workflow_id, COHORT_OVERVIEW)`), named
here so that neither imports the workflows (tests/test_imports.py); the participant's detail, which two workflows
answer together; and the rows a workflow writes for a page to read instead of asking it (the group's detail, its
offer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.models import OfferState as OfferState  # for the web app, which reads it from here
from domain.reasons import reason
from store.tables import GroupDetailRecord, OfferRecord
from workflows.cohort import CohortWorkflow
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.resit import ResitWorkflow
from workflows.group import GroupWorkflow
from workflows.messages import GroupDetail, ParticipantDetail
from workflows.participant import ParticipantWorkflow

COHORT_OVERVIEW = CohortWorkflow.overview
GROUP_DETAIL = GroupWorkflow.detail
CURRENT_PLAN = CohortWorkflow.current_plan  # the plan a cohort runs on, as amended (web/plans.py)
APPEAL_DETAIL = AppealWorkflow.detail
RESIT_DETAIL = ResitWorkflow.detail


async def written_group_detail(
    sessions: async_sessionmaker[AsyncSession], group_workflow_id: str, changed_at: datetime | None = None
) -> GroupDetail | None:
    """The group as its workflow last wrote it (the `group_details` row), read instead of asking: a query waits
    behind the worker's queue, for seconds in a burst such as the admission, and replays a closed group's whole
    history. None when the group has written none yet, or one that this code cannot read (an older shape), or none
    made after `changed_at` (when the caller sent an action): a row is as of the start of the workflow task that made
    it, and a task that started after the action was sent has run it, unless the action was still on its way to the
    server (milliseconds)."""
    async with sessions() as session:
        record = await session.get(GroupDetailRecord, group_workflow_id)
    if record is None or (changed_at is not None and record.as_of <= changed_at):
        return None
    try:
        return GroupDetail.model_validate(record.detail)
    except ValidationError:
        return None


async def written_offer(
    sessions: async_sessionmaker[AsyncSession], group_workflow_id: str, changed_at: datetime | None = None
) -> OfferState | None:
    """The group's offer of a place as its cohort last wrote it (the `offers` row), read instead of asking the cohort,
    the busiest workflow at the admission. None as for `written_group_detail`: no row, one this code cannot read, or
    none made after `changed_at` (when the caller sent the cohort an action)."""
    async with sessions() as session:
        record = await session.get(OfferRecord, group_workflow_id)
    if record is None or (changed_at is not None and record.as_of <= changed_at):
        return None
    try:
        return OfferState(outcome=record.outcome, answer_by=record.answer_by, answered=record.answered)
    except ValidationError:
        return None


Ask = Callable[[str, Any], Awaitable[Any]]  # (workflow ID, query) -> its answer; the caller's own error handling


async def participant_detail(ask: Ask, participant_workflow_id: str) -> ParticipantDetail | None:
    """The participant's detail as the pages and the command line show it. The group owns attendance, requirements,
    eligibility and the written grade: while the participant runs they come from its group's view of the member;
    once it has ended, the participant holds them itself (the group told them with the end). None when `ask` finds
    no such workflow (it returns None there; `Admin.query` raises Refused instead)."""
    participant: ParticipantDetail | None = await ask(participant_workflow_id, ParticipantWorkflow.detail)
    if participant is None or participant.ended:
        return participant
    group: GroupDetail | None = await ask(participant.group_workflow_id, GroupWorkflow.detail)
    member = next(
        (m for m in (group.members if group else []) if m.participant_workflow_id == participant_workflow_id), None
    )
    if group is None or member is None:
        return participant
    why = reason("reason.withdrawn") if participant.withdrawn else member.ineligible_reason
    return participant.model_copy(
        update={
            "attendance": list(member.attendance),
            "attendance_days": len(member.attendance),
            "non_participating": member.non_participating,
            "requirements_approved": member.requirements_approved,
            "exam_eligible": why is None,
            "ineligible_reason": why,
            "written_grade": group.written_grade,
        }
    )
