"""Answering an offer on the dev server: "Takk ja", "Takk nei" (the waiting list moves up), no answer by the
deadline (the waiting list moves up), and the municipality giving up an accepted place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from activities.letters import NOTICE, Contact, render_letter
from domain.models import CohortPlan
from domain.offers import Answer
from gateway.admin import Admin
from tests.conftest import Harness
from tests.factories import application
from tests.workflows.helpers import audit, eventually, only_letter, outbox
from tests.workflows.plans import plan_from
from tests.workflows.test_cohort import ACTOR, apply_all, open_in_time, terminate_all
from workflows.cohort import CohortWorkflow
from workflows.messages import ConfirmSelectionInput
from workflows.offer_messages import AnswerOfferInput, GiveUpPlaceInput, OfferResult
from workflows.state import ApplicationRecord

NUMBERS = ["0301", "4601", "5001", "5501", "4204"]  # three places, two waiting


def offer_plan(shift: float, answer_seconds: float) -> CohortPlan:
    """Applications close in six seconds (and `shift`); the first gathering five minutes later."""
    return plan_from(
        datetime.now(UTC) + timedelta(seconds=shift),
        {"application_deadline": 6, "selection_date": 7, "written_deadline": 900, "oral_start": 910, "oral_end": 920},
        gathering_starts=[300 + 10 * i for i in range(6)],
        requirement_deadlines=[700 + i for i in range(4)],
        places=3,
        offer_answer_seconds=answer_seconds,
    )


async def confirmed(harness: Harness, answer_seconds: float) -> tuple[WorkflowHandle[Any, Any], list[str], list[str]]:
    admin = Admin(harness.client, harness.sessions, harness.task_queue)
    apps = [application([n]) for n in NUMBERS]
    _, handle, _ = await open_in_time(
        harness,
        admin,
        lambda shift: offer_plan(shift, answer_seconds),
        lambda handle, plan: apply_all(handle, plan.cohort, apps),
    )

    async def drawn() -> None:
        assert (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn, timeout=20)
    result = await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor=ACTOR))
    return handle, result.admitted, result.waitlist


async def record(handle: WorkflowHandle[Any, Any], application_id: str) -> ApplicationRecord:
    overview = await handle.query(CohortWorkflow.overview)
    return next(r for r in overview.applications if r.id == application_id)


async def answer(handle: WorkflowHandle[Any, Any], application_id: str, given: Answer) -> OfferResult:
    update = AnswerOfferInput(actor="kommune-kontakt", application_id=application_id, answer=given)
    result: OfferResult = await handle.execute_update(CohortWorkflow.answer_offer, update)
    return result


async def group_letter(harness: Harness, kind: str) -> str:
    """The letter of `kind` the group got (its contact and each member, the same words), as its reader gets it."""

    async def rendered() -> str:
        rows = await outbox(harness.sessions, kind)
        assert rows and len({row.notice for row in rows}) == 1, rows
        letter = render_letter(NOTICE.validate_json(rows[0].notice), "Kari", Contact("stab@example.no"))
        return f"{letter.subject}\n{letter.body}"

    return await eventually(rendered)


async def refused(handle: WorkflowHandle[Any, Any], update: Any, input: Any) -> ApplicationError:
    with pytest.raises(WorkflowUpdateFailedError) as error:
        await handle.execute_update(update, input)
    cause = error.value.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_takk_ja_then_takk_nei_moves_the_waiting_list(harness: Harness) -> None:
    handle, admitted, waitlist = await confirmed(harness, answer_seconds=14 * 86400)
    first = await record(handle, admitted[0])
    assert first.answer_by is not None and first.answered is None  # clamped to the first gathering

    accepted = await answer(handle, admitted[0], Answer.ACCEPT)
    assert (accepted.outcome, accepted.answered, accepted.moved_up) == ("admitted", "accept", None)
    assert "takker ja til plassen" in await only_letter(harness.sessions, "offer_accepted")
    twice = await refused(
        handle, CohortWorkflow.answer_offer, AnswerOfferInput(actor=ACTOR, application_id=admitted[0], answer="decline")
    )
    assert twice.message == "Tilbudet er allerede besvart (takk ja)"
    waiting = await refused(
        handle, CohortWorkflow.answer_offer, AnswerOfferInput(actor=ACTOR, application_id=waitlist[0], answer="accept")
    )
    assert waiting.message == "Det er ikke noe tilbud om plass å svare på (utfall: venteliste)"

    declined = await answer(handle, admitted[1], Answer.DECLINE)
    assert (declined.outcome, declined.moved_up) == ("gave_up", waitlist[0])
    moved = await record(handle, waitlist[0])
    assert moved.outcome == "moved_up" and moved.answer_by is not None and moved.answered is None
    letter = await group_letter(harness, "place_given_up")
    assert "takker nei til plassen" in letter and "går videre til neste på ventelisten" in letter
    assert "Svar på tilbudet innen" in await group_letter(harness, "moved_up")

    # the accepted place given up by the municipality itself, before the first gathering: the next one moves up
    given_up = await handle.execute_update(
        CohortWorkflow.give_up_place, GiveUpPlaceInput(actor="kommune-kontakt", application_id=admitted[0])
    )
    assert (given_up.outcome, given_up.moved_up) == ("gave_up", waitlist[1])

    async def audited() -> None:
        actions = [(row.action, row.outcome) for row in await audit(harness.sessions)]
        assert ("answer_offer", "accepted") in actions and ("give_up_place", "accepted") in actions

    await eventually(audited)
    await terminate_all(harness, (await handle.query(CohortWorkflow.overview)).cohort)


async def test_no_answer_by_the_deadline_moves_the_waiting_list(harness: Harness) -> None:
    handle, admitted, waitlist = await confirmed(harness, answer_seconds=20)
    for application_id in admitted[1:]:  # the others say yes in time; the first says nothing
        await answer(handle, application_id, Answer.ACCEPT)

    async def lapsed() -> None:
        assert (await record(handle, admitted[0])).outcome == "gave_up"

    await eventually(lapsed, timeout=60)
    moved = await record(handle, waitlist[0])
    assert moved.outcome in ("moved_up", "gave_up")  # its own 20 seconds run from its move-up
    for application_id in admitted[1:]:
        assert (await record(handle, application_id)).outcome == "admitted"  # an accepted place does not lapse
    letter = await group_letter(harness, "place_given_up")
    assert letter.startswith("Svarfristen er ute") and "ikke fått svar på tilbudet" in letter
    late = await refused(
        handle, CohortWorkflow.answer_offer, AnswerOfferInput(actor=ACTOR, application_id=admitted[0], answer="accept")
    )
    assert late.message == "Det er ikke noe tilbud om plass å svare på (utfall: ga fra seg plassen)"
    await terminate_all(harness, (await handle.query(CohortWorkflow.overview)).cohort)
