"""Release per group on the dev server: the administration checks one group's grades and releases them; that group's
letters go out and its appeal window opens while the other group waits; the cohort's results are published when
the last group is released. Each refusal by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.models import CohortPlan, Grade
from gateway.admin import Admin
from tests.conftest import Harness
from tests.factories import application
from tests.workflows.helpers import audit, eventually, outbox
from tests.workflows.plans import plan_from
from tests.workflows.test_cohort import ACTOR, apply_all, open_in_time, terminate_all
from tests.workflows.test_group import approve_all, members
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import ConfirmSelectionInput, PublishGroupInput, SubmitWrittenInput, WrittenGradeInput

HOUR = 3600.0


def release_plan(shift: float = 0.0) -> CohortPlan:
    """Applications close in a few seconds (and `shift`), the gatherings follow at once; the deadlines are hours
    away."""
    return plan_from(
        datetime.now(UTC) + timedelta(seconds=shift),
        {
            "application_deadline": 4,
            "selection_date": 5,
            "written_deadline": 4 * HOUR,
            "oral_start": 4 * HOUR + 10,
            "oral_end": 4 * HOUR + 20,
        },
        gathering_starts=[7 + i for i in range(6)],
        requirement_deadlines=[2 * HOUR + i for i in range(4)],
        places=2,
    )


async def refused(handle: WorkflowHandle[Any, Any], application_id: str, code: str, reason: str) -> None:
    with pytest.raises(WorkflowUpdateFailedError) as refusal:
        await handle.execute_update(
            CohortWorkflow.publish_group, PublishGroupInput(actor=ACTOR, application_id=application_id)
        )
    cause = refusal.value.cause
    assert isinstance(cause, ApplicationError) and (cause.type, cause.message) == (code, reason)


async def graded(group: WorkflowHandle[Any, Any]) -> None:
    """All four requirements approved, the written assignment handed in and graded F (no oral follows an F)."""
    await approve_all(group)
    await group.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await group.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.F))

    async def ready() -> None:
        assert (await group.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(ready)


async def test_each_group_is_released_on_its_own_after_its_check(harness: Harness) -> None:
    admin = Admin(harness.client, harness.sessions, harness.task_queue)
    apps = [application([n]) for n in ("0301", "4601", "5001")]
    plan, cohort, _ = await open_in_time(
        harness, admin, release_plan, lambda cohort, plan: apply_all(cohort, plan.cohort, apps), seed="frø-release"
    )

    async def drawn() -> None:
        assert (await cohort.query(CohortWorkflow.overview)).stage == "selection_drawn"

    await eventually(drawn, timeout=20)
    confirmed = await cohort.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor=ACTOR))
    first, second = confirmed.admitted
    [waiting] = confirmed.waitlist
    groups = [
        harness.client.get_workflow_handle_for(GroupWorkflow.run, group_workflow_id(plan.cohort, a))
        for a in (first, second)
    ]
    for group in groups:
        await members(group)

    async def waitlist_closed() -> None:  # the cohort's own word that the first gathering's timer fired
        [record] = [a for a in (await cohort.query(CohortWorkflow.overview)).applications if a.id == waiting]
        assert record.outcome == "not_selected"

    await eventually(waitlist_closed, timeout=30)
    await refused(
        cohort, waiting, "cohort.not_in_programme", f"Søknad {waiting} er ikke med i studiet (utfall: ikke valgt)"
    )  # closed at the first gathering
    await graded(groups[0])

    async def reported_ready() -> None:
        [record] = [a for a in (await cohort.query(CohortWorkflow.overview)).applications if a.id == first]
        assert record.group_stage == "graded"

    await eventually(reported_ready)
    await refused(cohort, second, "cohort.group_not_graded", f"Gruppe {second} har ikke fått karakter ennå")
    released = await cohort.execute_update(
        CohortWorkflow.publish_group, PublishGroupInput(actor=ACTOR, application_id=first)
    )
    assert released.groups == 1
    await refused(
        cohort, first, "cohort.group_already_released", f"Resultatene for gruppe {first} er allerede publisert"
    )

    first_done = await groups[0].result()
    assert first_done.detail.published_at is not None  # its appeal window runs from here
    assert (await groups[1].query(GroupWorkflow.detail)).published_at is None  # the other group still waits
    assert (await cohort.query(CohortWorkflow.overview)).stage == "running"

    async def letters_of_the_first_only() -> None:
        rows = await outbox(harness.sessions, "result_published")
        assert rows and all(r.idempotency_key.startswith(groups[0].id) for r in rows)

    await eventually(letters_of_the_first_only)
    await graded(groups[1])

    async def second_ready() -> None:
        [record] = [a for a in (await cohort.query(CohortWorkflow.overview)).applications if a.id == second]
        assert record.group_stage == "graded"

    await eventually(second_ready)
    await cohort.execute_update(CohortWorkflow.publish_group, PublishGroupInput(actor=ACTOR, application_id=second))
    result = await cohort.result()  # the last release publishes the cohort, which closes when its groups end
    assert result.overview.stage == "closed"
    rows = await audit(harness.sessions)
    actions = [(row.workflow_id, row.action, (row.params or {}).get("application")) for row in rows]
    assert (cohort.id, "publish_group", first) in actions and (cohort.id, "publish_group", second) in actions
    await terminate_all(harness, plan.cohort)
