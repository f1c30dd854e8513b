"""Amending a running cohort's plan on the dev server, in real seconds: requirement 1's deadline moved later, the
group's deadline timer fires at the new time (not the old), and the letter to the group says what moved from when
to when; a move into the past is refused by its rule and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from activities.letters import NOTICE, Contact, date_time, render_letter
from domain.models import Application, CohortPlan
from domain.refusals import Refusal
from gateway.admin import Admin, refusal_of
from store.people import People, register_key
from tests.conftest import TEST_KEY, Harness
from tests.factories import application
from tests.workflows.helpers import eventually, outbox
from tests.workflows.plans import now_plan
from tests.workflows.test_cohort import ACTOR, terminate_all
from workflows.cohort import CohortWorkflow
from workflows.cohort_amend import AmendPlanInput
from workflows.group import GroupWorkflow
from workflows.messages import ConfirmSelectionInput

HOUR = 3600.0
MOVED_BY = timedelta(seconds=12)


def short_plan() -> CohortPlan:
    """Applications for 4 s; gathering 1 in 10 s, the others an hour away; requirement 1 due in 30 s."""
    return now_plan(
        {
            "application_deadline": 4,
            "selection_date": 5,
            "written_deadline": 3 * HOUR,
            "oral_start": 3 * HOUR + 10,
            "oral_end": 3 * HOUR + 20,
        },
        gathering_starts=[10, *(HOUR + 10 * i for i in range(5))],
        requirement_deadlines=[30, 2 * HOUR, 2 * HOUR + 1, 2 * HOUR + 2],
    )


def with_deadline(plan: CohortPlan, number: int, deadline: datetime) -> CohortPlan:
    requirements = list(plan.work_requirements)
    requirements[number - 1] = requirements[number - 1].model_copy(update={"deadline": deadline})
    return plan.model_copy(update={"work_requirements": requirements})


async def admitted(harness: Harness, plan: CohortPlan) -> str:
    admin = Admin(
        harness.client, harness.sessions, harness.task_queue, People(harness.sessions, register_key(TEST_KEY))
    )
    cohort = await admin.open_cohort(plan, seed="endring")
    result = await admin.apply(Application.model_validate(application(["1804"]) | {"cohort": plan.cohort}), ACTOR)
    assert result.accepted and result.group_workflow_id

    async def drawn() -> None:
        assert (await cohort.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn, timeout=20)
    await cohort.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor=ACTOR))
    return result.group_workflow_id


async def test_a_moved_deadline_fires_at_its_new_time_and_the_group_is_told(harness: Harness) -> None:
    plan = short_plan()
    group_id = await admitted(harness, plan)
    cohort = harness.client.get_workflow_handle_for(CohortWorkflow.run, f"kull-{plan.cohort}")
    old = plan.work_requirements[0].deadline

    with pytest.raises(WorkflowUpdateFailedError) as refused:  # into the past: refused by its rule
        await cohort.execute_update(
            CohortWorkflow.amend_plan,
            AmendPlanInput(actor=ACTOR, plan=with_deadline(plan, 1, datetime.now(UTC) - timedelta(seconds=1))),
        )
    reason = refusal_of(refused.value.cause)
    assert isinstance(reason, Refusal) and "plan.amend_into_past" in [p.code for p in reason.problems]

    new = old + MOVED_BY
    result = await cohort.execute_update(
        CohortWorkflow.amend_plan, AmendPlanInput(actor=ACTOR, plan=with_deadline(plan, 1, new))
    )
    assert [(c.field, c.before, c.after) for c in result.changes] == [("work_requirements.0.deadline", old, new)]
    group = harness.client.get_workflow_handle_for(GroupWorkflow.run, group_id)

    async def moved() -> None:
        assert (await group.query(GroupWorkflow.detail)).requirements[0].deadline == new

    await eventually(moved)

    async def told() -> str:
        rows = await outbox(harness.sessions, "plan_amended")
        assert len(rows) == 4  # the contact and the three members
        letter = render_letter(NOTICE.validate_json(rows[0].notice), "Kari", Contact("stab@example.no"))
        return f"{letter.subject}\n{letter.body}"

    text = await eventually(told)
    assert f"Endret plan for kull {plan.cohort}" in text
    assert f"Arbeidskrav 1, frist: flyttet fra {date_time(old)} til {date_time(new)}" in text

    async def missed() -> datetime:
        assert (await group.query(GroupWorkflow.detail)).requirements[0].status == "missed"
        rows = await outbox(harness.sessions, "requirement_deadline_passed")
        assert rows  # one letter to each reader, queued together
        return min(row.created_at for row in rows).astimezone(UTC)

    passed_at = await eventually(missed, timeout=60)
    await terminate_all(harness, plan.cohort)
    assert passed_at >= new  # the old deadline's timer was cancelled: the missed deadline is the new one's
