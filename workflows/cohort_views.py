"""What a cohort shows: its overview (the query) and its row in the read model, from its plan and state."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from activities.models import CohortRow, OfferRow, OfferState, PendingCell
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


def offer_rows(plan: CohortPlan, state: CohortState, as_of: datetime) -> list[OfferRow]:
    """Each application's offer, for its group's page: every application with a group, so a place given up or moved
    up shows as soon as the cohort decides it, before its group hears."""
    return [
        OfferRow(
            group_id=record.group_workflow_id,
            cohort=plan.cohort,
            offer=OfferState(outcome=record.outcome, answer_by=record.answer_by, answered=record.answered),
            as_of=as_of,
        )
        for record in state.applications
        if record.group_workflow_id
    ]
