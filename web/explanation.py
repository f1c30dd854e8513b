"""A person's begrunnelse on their page: the request and, once given, the examiner's words, for those it concerns
(the person, the administration, the group's examiners); whether this account may ask for one now (the person
within the plan's window, the administration with the day it was received) or write it (an examiner of the group).
The gateway decides again when the form is sent (gateway/end_of_year/explanation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from domain.end_of_year.explanations import ExplanationFacts, request_refusal
from gateway import commands
from gateway.accounts import Account, Role
from gateway.end_of_year.explanation import Explanation, explanation_of
from gateway.messages import GroupDetail, MemberView
from web.state import Web


@dataclass(frozen=True)
class ExplanationView:
    shown: Explanation | None  # None: none asked for, or not this account's to read
    may_ask: bool
    may_give: bool


async def view(
    web: Web, account: Account, participant_id: str, found: tuple[GroupDetail, MemberView] | None
) -> ExplanationView:
    explanation = await explanation_of(web.admin, participant_id)
    own = account.role == Role.PARTICIPANT and account.participant == participant_id
    examiner = explanation is not None and account.username in explanation.detail.examiners
    concerns = own or account.role == Role.ADMIN or examiner
    may_give = (
        explanation is not None
        and explanation.detail.given_at is None
        and examiner
        and commands.GIVE_EXPLANATION.allows(account)
    )
    may_ask = explanation is None and (own or account.role == Role.ADMIN) and await _open(web, account, found)
    return ExplanationView(explanation if concerns else None, may_ask, may_give)


async def _open(web: Web, account: Account, found: tuple[GroupDetail, MemberView] | None) -> bool:
    """Whether a request may be made now: for the person, within the window; for the administration, any time after
    the release (it gives the day the request came, which the gateway checks against the window)."""
    if found is None:
        return False
    group, member = found
    facts = ExplanationFacts(
        track=member.track, final_grade=member.final_grade, released_at=group.published_at, asked_before=False
    )
    received = group.published_at.date() if account.role == Role.ADMIN and group.published_at else None
    plan = await web.plan(group.group_workflow_id)
    now = datetime.now(UTC) if received is None else (group.published_at or datetime.now(UTC))
    return request_refusal(facts, now, plan.explanation_seconds, received) is None
