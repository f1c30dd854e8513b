"""What a cohort shows: its overview (the query) and its row in the read model, from its plan and state."""

from __future__ import annotations

from collections import Counter

from activities.models import CohortRow, PendingCell
from domain.lifecycle import IN_PROGRAMME, CohortStage, Outcome
from domain.models import CohortPlan
from workflows.messages import CohortOverview, Pending
from workflows.state import CohortState


def pending_actions(state: CohortState) -> list[Pending]:
    if state.stage == CohortStage.SELECTION_DRAWN:
        return [Pending.of("pending.confirm_selection")]
    groups = [r for r in state.applications if r.outcome in IN_PROGRAMME]
    if state.stage == CohortStage.RUNNING and groups and all(r.ready_to_publish for r in groups):
        return [Pending.of("pending.publish_results")]
    return []


def published_seed(state: CohortState) -> str | None:
    """The lottery's seed is published with the selection, not before."""
    return state.seed if state.stage != CohortStage.INTAKE else None


def overview(plan: CohortPlan, state: CohortState, actions: int) -> CohortOverview:
    applications = state.applications
    return CohortOverview(
        cohort=plan.cohort,
        stage=state.stage,
        seed=published_seed(state),
        places=plan.places,
        applications=[r.model_copy() for r in applications],
        groups_per_stage=dict(Counter(r.group_stage or r.outcome.value for r in applications if r.group_workflow_id)),
        outcomes=dict(Counter(r.outcome.value for r in applications)),
        pending_actions=pending_actions(state),
        admin_actions=actions,
    )


def row(plan: CohortPlan, state: CohortState) -> CohortRow:
    outcomes = Counter(r.outcome for r in state.applications)
    return CohortRow(
        cohort=plan.cohort,
        stage=state.stage.value,
        seed=published_seed(state),
        places=plan.places,
        applications=len(state.applications),
        admitted=outcomes[Outcome.ADMITTED] + outcomes[Outcome.MOVED_UP],
        waitlisted=outcomes[Outcome.WAITLIST],
        refused=outcomes[Outcome.REFUSED],
        pending=[PendingCell(code=p.code, params=dict(p.params)) for p in pending_actions(state)],
    )
