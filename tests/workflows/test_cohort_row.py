"""The cohort's row carries what waits for the administration on the whole cohort, as its workflow decides it
(cohort_views.pending_actions), so the cohort page and the inbox read it there instead of asking the workflow."""

from __future__ import annotations

from activities.models import PendingCell
from domain.lifecycle import CohortStage, Outcome
from tests.workflows.plans import running_plan
from workflows.cohort_views import row
from workflows.state import ApplicationRecord, CohortState

PUBLISH = [PendingCell(code="pending.publish_results")]


def state(stage: CohortStage, *ready: bool) -> CohortState:
    applications = [
        ApplicationRecord(id=f"50{i:02}", municipalities=[f"50{i:02}"], outcome=Outcome.ADMITTED, ready_to_publish=r)
        for i, r in enumerate(ready)
    ]
    return CohortState(stage=stage, seed="frø", applications=applications)


def test_the_row_says_the_results_wait_to_be_published_once_every_group_is_ready() -> None:
    plan = running_plan()
    assert row(plan, state(CohortStage.RUNNING, True, False)).pending == []
    assert row(plan, state(CohortStage.RUNNING, True, True)).pending == PUBLISH
    assert row(plan, state(CohortStage.PUBLISHED, True, True)).pending == []  # published: nothing waits


def test_the_row_says_the_selection_waits_to_be_confirmed() -> None:
    drawn = row(running_plan(), state(CohortStage.SELECTION_DRAWN))
    assert drawn.pending == [PendingCell(code="pending.confirm_selection")]
