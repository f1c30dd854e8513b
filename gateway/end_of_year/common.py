"""What registering an appeal and registering a re-sit share: reading the person's facts (their group's view of
them, the cohort's plan), refusing with an audited reason, and starting the step's workflow once.

gateway/end_of_year/appeal.py and resit.py hold each step's own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from pydantic import ValidationError
from temporalio.client import Client, WorkflowHandle
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.end_of_year.explanations import appeal_window_start
from domain.errors import problems
from domain.ids import ExplanationId, ParticipantId
from domain.models import CohortPlan, Strict
from domain.refusals import Refusal
from domain.text import Actor, WorkflowId
from gateway.admin import Admin, Refused
from gateway.commands import Rights, Start
from gateway.queries import participant_detail
from store.accounts import Account
from workflows import search
from workflows.end_of_year.explanation import ExplanationWorkflow
from workflows.end_of_year.explanation_messages import ExplanationDetail
from workflows.group import GroupWorkflow
from workflows.messages import GroupDetail, MemberView, ParticipantInput


class _Who(Strict):
    """The bounds of who is named and who acts, checked before anything is read or audited."""

    participant_workflow_id: WorkflowId
    actor: Actor


@dataclass(frozen=True)
class Person:
    """One member of a group, as their group sees them (it holds the grade from the moment it publishes)."""

    participant_workflow_id: str
    actor: str
    group: GroupDetail
    member: MemberView
    plan: CohortPlan


async def person(admin: Admin, participant_workflow_id: str, account: Account, start: Start) -> Person:
    """The person's facts; `Refused` for an ID or actor that breaks its bounds (nothing to audit it under), an
    account whose role may not give `start` (gateway.role_forbidden) or a participant their group does not list
    (both audited under the start's audit name)."""
    try:
        who = _Who(participant_workflow_id=participant_workflow_id, actor=account.username)
    except ValidationError as error:
        raise Refused(Refusal.of(problems(error))) from None
    participant_workflow_id, actor, action = who.participant_workflow_id, who.actor, start.audit
    await check(admin, start, participant_workflow_id, account)
    participant = await participant_detail(admin.query, participant_workflow_id)  # Admin.query refuses a missing one
    assert participant is not None
    group: GroupDetail = await admin.query(participant.group_workflow_id, GroupWorkflow.detail)
    member = member_of(group, participant_workflow_id)
    if member is None:
        refusal = Refusal("participant.not_member_of_group", participant=participant_workflow_id)
        await refuse(admin, participant_workflow_id, actor, action, refusal)
    plan = await plan_of(admin.client, participant_workflow_id)
    return Person(participant_workflow_id, actor, group, member, plan)


async def check(admin: Admin, command: Rights, workflow_id: str, account: Account) -> None:
    """`Refused` (audited) unless the account's role may give the command, as `Admin.perform` checks an update."""
    try:
        command.check(account)
    except Refusal as refusal:
        await refuse(admin, workflow_id, account.username, command.audit, refusal)


async def refuse(admin: Admin, workflow_id: str, actor: str, action: str, refusal: Refusal) -> NoReturn:
    """Audit the refusal (its Norwegian, as an update's refusal is audited) and raise it with its codes."""
    await admin._audit_refusal(workflow_id, actor, action, refusal)  # noqa: SLF001
    raise Refused(refusal)


async def start_once(
    admin: Admin, run: Any, input: Any, workflow_id: str, who: Person, action: str, twice: Refusal
) -> WorkflowHandle[Any, Any]:
    """Start the step's workflow under its ID; the same ID registered twice at once is refused (`twice`)."""
    stage = SearchAttributePair(search.STAGE, action.removeprefix("register_"))
    try:
        return await admin.client.start_workflow(
            run,
            input,
            id=workflow_id,
            task_queue=admin.task_queue,
            task_timeout=admin.task_timeout,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes([SearchAttributePair(search.COHORT, who.plan.cohort), stage]),
        )
    except WorkflowAlreadyStartedError:  # the other one won
        await refuse(admin, workflow_id, who.actor, action, twice)


async def detail_or_none(client: Client, workflow_id: str, query: Any) -> Any:
    """A step's live detail; None when there is no such workflow."""
    try:
        return await client.get_workflow_handle(workflow_id).query(query)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise


async def plan_of(client: Client, participant_workflow_id: str) -> CohortPlan:
    """The cohort's plan as the participant's workflow was started with it (the first event of its history)."""
    handle = client.get_workflow_handle(participant_workflow_id)
    async for event in handle.fetch_history_events():
        payloads = event.workflow_execution_started_event_attributes.input.payloads
        [started] = await client.data_converter.decode(payloads, [ParticipantInput])
        assert isinstance(started, ParticipantInput)
        return started.plan
    raise LookupError(f"no history for {participant_workflow_id}")


def member_of(group: GroupDetail, participant_workflow_id: str) -> MemberView | None:
    return next((m for m in group.members if m.participant_workflow_id == participant_workflow_id), None)


async def appeal_window_from(
    client: Client, participant_workflow_id: str, released_at: datetime | None, now: datetime
) -> datetime | None:
    """Where the person's appeal window starts when a begrunnelse moves it (domain/end_of_year/explanations.py):
    from the begrunnelse once given, not yet begun while it is asked for; None without a request (the release)."""
    workflow_id = ExplanationId(ParticipantId.parse(participant_workflow_id)).workflow_id
    found: ExplanationDetail | None = await detail_or_none(client, workflow_id, ExplanationWorkflow.detail)
    if found is None or released_at is None:
        return None
    return appeal_window_start(released_at, True, found.given_at, now)
