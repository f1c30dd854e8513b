"""Registering a re-sit (ny eksamen after an F, utsatt eksamen after a valid absence from the oral): the gateway
gathers the person's attempts (the ordinary exam, its appeal, earlier re-sits), checks them against the rules
(domain/end_of_year/resits.py) and starts the re-sit's workflow. A refusal names its reason and is audited; nothing
is started.

The period is the plan's re-sit period, or, when the plan sets none, the exam period (written deadline to the end
of the orals) of the later cohort the administration names.
"""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.end_of_year import resits as rules
from domain.end_of_year.resits import ResitPeriod
from domain.models import CohortPlan
from domain.refusals import Refusal
from domain.text import shown
from gateway import commands
from gateway.admin import Admin
from gateway.end_of_year import common
from store.accounts import Account
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import AppealDetail, ResitDetail, ResitInput
from workflows.end_of_year.resit import ResitWorkflow
from workflows.ids import appeal_workflow_id, cohort_workflow_id, resit_workflow_id
from workflows.messages import CohortInput

ACTION = commands.REGISTER_RESIT.audit
WRITTEN_MISSED = "reason.group_written_missed"  # domain.exam.member_ineligibility's word for the group's missed hand-in


async def register_resit(
    admin: Admin,
    participant_workflow_id: str,
    account: Account,
    in_cohort: str | None = None,
    now: datetime | None = None,
) -> ResitDetail:
    """Start one person's re-sit as `account`; `Refused` (audited) with the reason when they may not sit again now
    (or the account's role may not register it)."""
    who = await common.person(admin, participant_workflow_id, account, commands.REGISTER_RESIT)
    group, member, plan = who.group, who.member, who.plan
    period = await _period(admin, plan, in_cohort)
    if isinstance(period, Refusal):
        await common.refuse(admin, who.participant_workflow_id, who.actor, ACTION, period)
    attempts = await attempts_of(admin.client, who.participant_workflow_id, plan.exam_attempts)
    decided = [a for a in attempts if a.grade_after is not None]
    appeals = await appeals_of(admin.client, who.participant_workflow_id, [1, *(a.attempt for a in decided)])
    grade = member.final_grade
    for attempt, after in [(1, member.final_grade), *((a.attempt, a.grade_after) for a in decided)]:
        appealed = appeals.get(attempt)  # a decided appeal's grade is the grade that counts after that attempt
        grade = appealed.final_after if appealed is not None and appealed.final_after is not None else after
    facts = rules.ResitFacts(
        track=member.track,
        grade=grade,
        released_at=group.published_at,
        appeal_pending=any(a.decided_at is None and a.withdrawn_at is None for a in appeals.values()),
        attempts=(0 if member.oral_absent else 1) + len(attempts),  # a missed oral with a valid absence is none
        resit_pending=len(decided) < len(attempts),
        oral_absent=member.oral_absent,
        # the member met the requirements and the group missed the written deadline: a used attempt (their own
        # shortfall, e.g. attendance, comes first in the reason and gives no re-sit)
        written_missed=member.ineligible_reason is not None and member.ineligible_reason.code == WRITTEN_MISSED,
    )
    sitting = len(attempts) + 2  # the ordinary exam was the first
    resit_id = resit_workflow_id(who.participant_workflow_id, sitting)
    refusal = rules.resit_refusal(facts, period, now or datetime.now(UTC), plan.exam_attempts)
    if refusal is not None:
        await common.refuse(admin, resit_id, who.actor, ACTION, refusal)
    postponed = rules.resit_kind(facts) == "postponed"
    input = ResitInput(
        participant_workflow_id=who.participant_workflow_id,
        group_workflow_id=group.group_workflow_id,
        cohort=plan.cohort,
        person_id=member.person_id,
        attempt=sitting,
        step_limit=plan.oral_step_limit,
        attempts_max=plan.exam_attempts,
        grade_before=grade,
        postponed=postponed,
        written_before=group.written_grade if postponed else None,
        period=period,
        registered_by=who.actor,
        previous=[a.appeal_workflow_id for a in appeals.values()] + [a.resit_workflow_id for a in attempts],
    )
    twice = Refusal("resit.already_registered")  # another registration of the same attempt won
    handle = await common.start_once(admin, ResitWorkflow.run, input, resit_id, who, ACTION, twice)
    detail: ResitDetail = await handle.query(ResitWorkflow.detail)
    return detail


async def attempts_of(
    client: Client, participant_workflow_id: str, attempts_max: int = rules.ATTEMPTS_MAX
) -> list[ResitDetail]:
    """The person's re-sits so far, attempt 2 first; IDs are numbered, so the first missing one ends the list."""
    found: list[ResitDetail] = []
    for attempt in range(2, attempts_max + 1):
        workflow_id = resit_workflow_id(participant_workflow_id, attempt)
        detail: ResitDetail | None = await common.detail_or_none(client, workflow_id, ResitWorkflow.detail)
        if detail is None:
            break
        found.append(detail)
    return found


async def appeals_of(client: Client, participant_workflow_id: str, attempts: list[int]) -> dict[int, AppealDetail]:
    """The person's appeals of these attempts (the ordinary exam's is attempt 1), by attempt; those not appealed left
    out."""
    found: dict[int, AppealDetail] = {}
    for attempt in attempts:
        workflow_id = appeal_workflow_id(participant_workflow_id, attempt)
        detail: AppealDetail | None = await common.detail_or_none(client, workflow_id, AppealWorkflow.detail)
        if detail is not None:
            found[attempt] = detail
    return found


async def _period(admin: Admin, plan: CohortPlan, in_cohort: str | None) -> ResitPeriod | Refusal:
    """The re-sit's period, or why there is none."""
    if in_cohort is None:
        if plan.resit_start is None or plan.resit_end is None:
            return Refusal("resit.no_period", cohort=plan.cohort)
        return ResitPeriod(
            label=f"ny og utsatt eksamen for kull {plan.cohort}", start=plan.resit_start, end=plan.resit_end
        )
    try:
        workflow_id = cohort_workflow_id(in_cohort)
    except ValueError:  # not a cohort's name at all: said quoted and escaped, as typed
        return Refusal("resit.no_such_cohort", cohort=shown(in_cohort))
    later = await _cohort_plan(admin.client, workflow_id)
    if later is None:
        return Refusal("resit.no_such_cohort", cohort=in_cohort)
    if later.oral_end <= plan.oral_end:
        return Refusal("resit.cohort_not_later", later=in_cohort, cohort=plan.cohort)
    return ResitPeriod(
        label=f"eksamensperioden for kull {later.cohort}", start=later.written_deadline, end=later.oral_end
    )


async def _cohort_plan(client: Client, workflow_id: str) -> CohortPlan | None:
    """A cohort's plan as its workflow was started with it; None when there is no such cohort."""
    try:
        async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
            payloads = event.workflow_execution_started_event_attributes.input.payloads
            [started] = await client.data_converter.decode(payloads, [CohortInput])
            assert isinstance(started, CohortInput)
            return started.plan
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return None
