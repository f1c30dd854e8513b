"""A begrunnelse through the gateway: asking for it (the person's own, or the administration registers a request with
the day it was received), and the examiner giving it. A refusal names its reason by code and is audited; nothing is
started or changed.

The begrunnelse's words stay out of the workflow history: `give_explanation` checks the rules against the workflow's
detail, writes the words onto the request's row in the read model, then gives the update, which records who gave it
and when (and refuses again if another examiner was quicker; the page shows the words only once the workflow says
given, and the one accepted overwrites them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.end_of_year import explanations as rules
from domain.end_of_year.appeals import oslo_date
from domain.ids import ExplanationId, ParticipantId
from domain.refusals import Refusal
from gateway import commands
from gateway.admin import Admin
from gateway.end_of_year import common
from gateway.end_of_year.appeal import first_examiners
from store import explanations as store
from store.accounts import Account, Role
from workflows.end_of_year.explanation import ExplanationWorkflow
from workflows.end_of_year.explanation_messages import (
    ExplanationActionResult,
    ExplanationDetail,
    ExplanationInput,
    GiveExplanationInput,
)

ASK = commands.REQUEST_EXPLANATION.audit
GIVE = commands.GIVE_EXPLANATION.audit


@dataclass(frozen=True)
class Explanation:
    """A person's begrunnelse as a page shows it: the request and, once given, its words."""

    detail: ExplanationDetail
    text: str | None


async def request_explanation(
    admin: Admin,
    participant_workflow_id: str,
    account: Account,
    now: datetime | None = None,
    received: date | None = None,
) -> ExplanationDetail:
    """Start the begrunnelse of one person's grade as `account`; `Refused` (audited) when they may not ask now.
    `received`: the day the administration received the request; a participant's own is received now."""
    explanation_id = ExplanationId(ParticipantId.parse(participant_workflow_id)).workflow_id
    if account.role == Role.PARTICIPANT:
        if account.participant != participant_workflow_id:
            await common.refuse(admin, explanation_id, account.username, ASK, Refusal("explanation.not_own"))
        received = None
    who = await common.person(admin, participant_workflow_id, account, commands.REQUEST_EXPLANATION)
    group, member, plan = who.group, who.member, who.plan
    moment = now or datetime.now(UTC)
    existing = await common.detail_or_none(admin.client, explanation_id, ExplanationWorkflow.detail)
    facts = rules.ExplanationFacts(
        track=member.track,
        final_grade=member.final_grade,
        released_at=group.published_at,
        asked_before=existing is not None,
    )
    refusal = rules.request_refusal(facts, moment, plan.explanation_seconds, received)
    if refusal is not None:
        await common.refuse(admin, explanation_id, who.actor, ASK, refusal)
    assert group.published_at is not None and member.final_grade is not None
    input = ExplanationInput(
        participant_workflow_id=who.participant_workflow_id,
        group_workflow_id=group.group_workflow_id,
        cohort=plan.cohort,
        person_id=member.person_id,
        grade=member.final_grade,
        examiners=await first_examiners(admin, group.group_workflow_id),
        requested_by=who.actor,
        by_participant=account.role == Role.PARTICIPANT,
        received=received or oslo_date(moment),
        released_at=group.published_at,
        due=rules.due(moment, plan.explanation_due_seconds),
        appeal_seconds=plan.appeal_seconds,
    )
    twice = Refusal("explanation.already_asked")  # another request for the same grade won
    handle = await common.start_once(admin, ExplanationWorkflow.run, input, explanation_id, who, ASK, twice)
    detail: ExplanationDetail = await handle.query(ExplanationWorkflow.detail)
    return detail


async def give_explanation(
    admin: Admin, participant_workflow_id: str, text: str, account: Account
) -> ExplanationActionResult:
    """Give the begrunnelse as `account`, an examiner of the group; `Refused` (audited) when none is asked for, it is
    given already, the account is no examiner of the group, or the words are missing or too many."""
    target = ExplanationId(ParticipantId.parse(participant_workflow_id))
    workflow_id = target.workflow_id
    await common.check(admin, commands.GIVE_EXPLANATION, workflow_id, account)
    detail: ExplanationDetail | None = await common.detail_or_none(
        admin.client, workflow_id, ExplanationWorkflow.detail
    )
    if detail is None:
        await common.refuse(admin, workflow_id, account.username, GIVE, Refusal("explanation.none_asked"))
    refusal = rules.give_refusal(detail.examiners, account.username, detail.given_at is not None) or rules.text_refusal(
        text
    )
    if refusal is not None:
        await common.refuse(admin, workflow_id, account.username, GIVE, refusal)
    saved = False
    if admin.sessions is not None:  # the words live in the read model only
        async with admin.sessions() as session, session.begin():
            saved = await store.save_text(session, workflow_id, text.strip())
    if not saved:  # no database, or the request's row not written yet (its workflow writes it as it begins)
        await common.refuse(admin, workflow_id, account.username, GIVE, Refusal("explanation.not_recorded"))
    return await admin.perform(commands.GIVE_EXPLANATION, target, GiveExplanationInput(actor=account.username), account)


async def explanation_of(admin: Admin, participant_workflow_id: str) -> Explanation | None:
    """The person's begrunnelse: the request as its workflow tells it and the words once it is given; None if none."""
    workflow_id = ExplanationId(ParticipantId.parse(participant_workflow_id)).workflow_id
    detail: ExplanationDetail | None = await common.detail_or_none(
        admin.client, workflow_id, ExplanationWorkflow.detail
    )
    if detail is None:
        return None
    text = None
    if detail.given_at is not None and admin.sessions is not None:
        async with admin.sessions() as session:
            row = await store.of_participant(session, participant_workflow_id)
        text = row.text if row is not None else None
    return Explanation(detail, text)
