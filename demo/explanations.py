"""The demo's begrunnelser, from the scenario's `end_of_year.explanations`: the office registers each person's
request, the group's examiner writes it, and the report lists them
(`explanations`: participant, asked, given)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from demo import acting
from demo.scenario import Explanation, Scenario
from domain.end_of_year.appeals import oslo_date
from gateway.admin import Admin, Refused
from gateway.end_of_year.explanation import give_explanation, request_explanation
from gateway.messages import ExplanationDetail
from store import explanations as store
from store.accounts import Account, Role


class Demo(Protocol):
    admin: Admin
    scenario: Scenario

    def say(self, text: str) -> None: ...
    def participant(self, ref: str) -> str: ...


async def ask(demo: Demo, wanted: list[Explanation]) -> list[tuple[Explanation, ExplanationDetail]]:
    """Each request came to the office today (by e-mail, say), within the plan's week after the release; the office
    registers it with that day."""
    asked = []
    today = oslo_date(datetime.now(UTC))
    for explanation in wanted:
        participant = demo.participant(explanation.participant)
        try:
            detail = await request_explanation(demo.admin, participant, acting.office(demo.scenario), received=today)
        except Refused as refused:
            demo.say(f"  refused: begrunnelse of {participant}: {refused}")
            continue
        demo.say(f"  begrunnelse asked: {detail.explanation_workflow_id} (due {detail.due:%Y-%m-%d})")
        asked.append((explanation, detail))
    return asked


async def give(demo: Demo, asked: list[tuple[Explanation, ExplanationDetail]]) -> None:
    """The group's examiner (the script's, when it graded the group) writes each."""
    examiner = demo.scenario.script.actors.examiner
    for explanation, detail in asked:
        writer = examiner if examiner in detail.examiners else detail.examiners[0]
        roles = acting.actor_roles(demo.scenario)
        account = (
            acting.account(demo.scenario, writer) if writer in roles else Account(username=writer, role=Role.EXAMINER)
        )
        given = await give_explanation(demo.admin, detail.participant_workflow_id, explanation.text, account)
        deadline = f"{given.appeal_deadline:%Y-%m-%d}" if given.appeal_deadline else "-"
        demo.say(f"  begrunnelse given: {detail.explanation_workflow_id} by {writer} (appeal deadline {deadline})")


async def report(sessions: async_sessionmaker[AsyncSession], cohort: str) -> list[dict[str, Any]]:
    """`explanations`: who asked (by workflow ID, no names), when, and when it was given."""
    async with sessions() as session:
        rows = await store.of_cohort(session, cohort)
    return [
        {
            "participant": r.participant_id,
            "asked": r.requested_at.isoformat(),
            "given": r.given_at.isoformat() if r.given_at else None,
        }
        for r in rows
    ]
