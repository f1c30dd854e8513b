"""An appeal through the gateway: registering it (the person's result and the release time are checked, then the
appeal's workflow starts) and naming its new examiners (each an existing examiner account). A refusal names its
reason by code and is audited like any other; nothing is started or changed.

For a web route or the command line: `await register_appeal(admin, participant_workflow_id, account, received=day)`
(the administration gives the day it received the appeal; the participant's own is received now), then
`await assign_examiners(admin, AppealId, AssignExaminersInput(...), account)`, then the appeal's grades
(commands.APPEAL_WRITTEN, APPEAL_ORAL) through `Admin.perform`; each checks the account's role. Until it is
decided, `await withdraw_appeal(admin, AppealId, account)` withdraws it (the person or the administration).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from temporalio.client import Client
from temporalio.service import RPCError

from domain.end_of_year import appeals as rules
from domain.ids import AppealId
from domain.refusals import Refusal
from gateway import commands
from gateway.admin import Admin
from gateway.end_of_year import common
from gateway.end_of_year.resit import attempts_of
from store import end_of_year as store
from store.accounts import Account, Role
from store.tables import AuditRecord
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import (
    AppealActionResult,
    AppealDetail,
    AppealInput,
    AssignExaminersInput,
    ResitDetail,
    WithdrawAppealInput,
)
from workflows.ids import appeal_workflow_id

FIRST_GRADING = ("register_written_grade", "register_oral")
ACTION = commands.REGISTER_APPEAL.audit
ASSIGN = commands.APPEAL_EXAMINERS.audit
WITHDRAW = commands.WITHDRAW_APPEAL.audit


async def register_appeal(
    admin: Admin,
    participant_workflow_id: str,
    account: Account,
    now: datetime | None = None,
    received: date | None = None,
    attempt: int | None = None,
) -> AppealDetail:
    """Start the appeal of one person's written grade as `account`; `Refused` (audited) with the reason when they
    may not (or the account's role may not register it). `received`: the day the administration received it (in
    time if received by the deadline, however late registered); a participant's own appeal is received now.
    `attempt`: the sitting appealed, 1 the ordinary exam, 2 and on a re-sit (resit.py); None: the person's latest
    decided one."""
    appeal_id = appeal_workflow_id(participant_workflow_id, max(attempt or 1, 1))
    await _refuse_unless_own(admin, appeal_id, account, participant_workflow_id, ACTION)
    if account.role == Role.PARTICIPANT:
        received = None  # their own, on their page: received as it is registered
    who = await common.person(admin, participant_workflow_id, account, commands.REGISTER_APPEAL)
    resits = await attempts_of(admin.client, who.participant_workflow_id, who.plan.exam_attempts)
    if attempt is None:
        attempt = rules.latest_decided_attempt([r.attempt for r in resits if r.decided_at is not None])
    if attempt > 1:
        return await _register_resit_appeal(admin, who, resits, attempt, now, received)
    group, member, plan = who.group, who.member, who.plan
    moment = now or datetime.now(UTC)
    window_from = await common.appeal_window_from(admin.client, who.participant_workflow_id, group.published_at, moment)
    facts = rules.AppealFacts(
        track=member.track,
        final_grade=member.final_grade,
        released_at=group.published_at,
        appealed_before=await _exists(admin.client, appeal_id),
        window_from=window_from,
    )
    refusal = rules.appeal_refusal(facts, moment, plan.appeal_seconds, received)
    if refusal is None and group.written_grade is None:
        refusal = Refusal("appeal.no_written_grade")
    if refusal is not None:
        await common.refuse(admin, appeal_id, who.actor, ACTION, refusal)
    assert group.published_at is not None and group.written_grade is not None and member.final_grade is not None
    return await _start(
        admin,
        who,
        appeal_id,
        Refusal("appeal.already_appealed"),  # another registration of the same appeal won
        received=received or rules.oslo_date(moment),
        written_before=group.written_grade,
        oral_before=member.oral_adjustment,
        final_before=member.final_grade,
        first_examiners=await first_examiners(admin, group.group_workflow_id),
        deadline=rules.appeal_deadline(window_from or group.published_at, plan.appeal_seconds),
    )


async def _register_resit_appeal(
    admin: Admin,
    who: common.Person,
    resits: list[ResitDetail],
    attempt: int,
    now: datetime | None,
    received: date | None,
) -> AppealDetail:
    """Start the appeal of re-sit `attempt`'s grade: its window runs from the re-sit's decision; its first examiners
    are the re-sit's and the group's; the best of the grade before the re-sit and the attempt's new grade counts."""
    appeal_id = appeal_workflow_id(who.participant_workflow_id, attempt)
    moment = now or datetime.now(UTC)
    resit = next((r for r in resits if r.attempt == attempt), None)
    facts = rules.ResitAppealFacts(
        track=who.member.track,
        attempt=attempt,
        decided_at=resit.decided_at if resit is not None else None,
        appealed_before=await _exists(admin.client, appeal_id),
        later_attempt=any(r.attempt > attempt for r in resits),
    )
    refusal = rules.resit_appeal_refusal(facts, moment, who.plan.appeal_seconds, received)
    if refusal is None and resit is not None and resit.written is None:
        refusal = Refusal("appeal.no_written_grade")
    if refusal is not None:
        await common.refuse(admin, appeal_id, who.actor, ACTION, refusal)
    assert resit is not None and resit.decided_at is not None and resit.written is not None
    assert resit.attempt_grade is not None
    first = await first_examiners(admin, who.group.group_workflow_id)
    return await _start(
        admin,
        who,
        appeal_id,
        Refusal("appeal.attempt_appealed", attempt=attempt),  # another registration of the same appeal won
        received=received or rules.oslo_date(moment),
        attempt=attempt,
        written_before=resit.written,
        oral_before=resit.oral_adjustment,
        final_before=resit.attempt_grade,
        grade_before_attempt=resit.grade_before,
        first_examiners=sorted(set(resit.examiners) | set(first)),
        deadline=rules.appeal_deadline(resit.decided_at, who.plan.appeal_seconds),
    )


async def _start(admin: Admin, who: common.Person, appeal_id: str, final: Refusal, **appealed: Any) -> AppealDetail:
    """The appeal's workflow, started once, with what every appeal carries beside what `appealed` says (the
    sitting, its grades, its first examiners, the deadline, the day received); `final` refuses a registration that
    another one of the same appeal beat."""
    plan = who.plan
    input = AppealInput(
        participant_workflow_id=who.participant_workflow_id,
        group_workflow_id=who.group.group_workflow_id,
        cohort=plan.cohort,
        person_id=who.member.person_id,
        step_limit=plan.oral_step_limit,
        oral_notice_seconds=plan.oral_notice_seconds,
        registered_by=who.actor,
        **appealed,
    )
    handle = await common.start_once(admin, AppealWorkflow.run, input, appeal_id, who, ACTION, final)
    detail: AppealDetail = await handle.query(AppealWorkflow.detail)
    return detail


async def withdraw_appeal(admin: Admin, appeal: AppealId, account: Account) -> AppealActionResult:
    """Withdraw the appeal as `account`, the person who appealed or the administration, before it is decided;
    `Refused` (audited) after the decision, or for anyone else's."""
    workflow_id = appeal.workflow_id
    await common.check(admin, commands.WITHDRAW_APPEAL, workflow_id, account)
    await _refuse_unless_own(admin, workflow_id, account, appeal.participant.workflow_id, WITHDRAW)
    # a decided or withdrawn appeal's workflow has ended and takes no update: its detail says why, by the rule
    detail: AppealDetail = await admin.query(workflow_id, AppealWorkflow.detail)
    refusal = rules.withdrawal_refusal(detail.decided_at is not None, detail.withdrawn_at is not None)
    if refusal is not None:
        await common.refuse(admin, workflow_id, account.username, WITHDRAW, refusal)
    action = WithdrawAppealInput(actor=account.username, by_participant=account.role == Role.PARTICIPANT)
    return await admin.perform(commands.WITHDRAW_APPEAL, appeal, action, account)


async def _refuse_unless_own(
    admin: Admin, workflow_id: str, account: Account, participant_workflow_id: str, action: str
) -> None:
    """A participant's account acts on its own appeal only; staff by their role (checked by the command)."""
    if account.role == Role.PARTICIPANT and account.participant != participant_workflow_id:
        await common.refuse(admin, workflow_id, account.username, action, Refusal("appeal.not_own"))


async def assign_examiners(
    admin: Admin, appeal: AppealId, action: AssignExaminersInput, account: Account
) -> AppealActionResult:
    """Name the appeal's commission by their accounts' user names, as `account`; `Refused` (audited) when one is
    not an existing account with the examiner role. Which of them are external is read from their accounts; the
    appeal's workflow holds the rest of the rule (2-3, one external, none a first examiner)."""
    named = await refuse_unknown_examiners(admin, appeal, action, account)
    return await admin.perform(commands.APPEAL_EXAMINERS, appeal, named, account)


async def refuse_unknown_examiners(
    admin: Admin, appeal: AppealId, action: AssignExaminersInput, account: Account
) -> AssignExaminersInput:
    """`Refused` (audited) unless the account may name examiners and every name is an existing account with the
    examiner role; else the action with `external` as the accounts say it (never as the caller gave it)."""
    workflow_id, actor = appeal.workflow_id, account.username
    await common.check(admin, commands.APPEAL_EXAMINERS, workflow_id, account)
    if admin.sessions is None:  # the accounts live in the read model's database
        await common.refuse(admin, workflow_id, actor, ASSIGN, Refusal("appeal.accounts_unavailable"))
    async with admin.sessions() as session:
        known = await store.examiner_accounts(session, list(action.examiners))
        external = await store.external_examiners(session, list(action.examiners))
    unknown = sorted(set(action.examiners) - known)
    if unknown:
        refusal = Refusal("appeal.not_examiner_account", examiners=", ".join(unknown))
        await common.refuse(admin, workflow_id, actor, ASSIGN, refusal)
    return action.model_copy(update={"external": [e for e in action.examiners if e in external]})


async def first_examiners(admin: Admin, group_workflow_id: str) -> list[str]:
    """The accounts that graded the group first, by user name: those assigned to it (examiner_groups) and those
    the audit trail names as registering its written grade or oral adjustments."""
    if admin.sessions is None:
        return []
    async with admin.sessions() as session:
        graded = await session.scalars(
            select(AuditRecord.actor)
            .distinct()
            .where(
                AuditRecord.workflow_id == group_workflow_id,
                AuditRecord.action.in_(FIRST_GRADING),
                AuditRecord.outcome == "accepted",
            )
        )
        return sorted(set(graded) | await store.assigned_examiners(session, group_workflow_id))


async def _exists(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError:
        return False
    return True
