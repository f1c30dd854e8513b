"""Amending a running cohort's plan: the update `amend_plan` (validated by domain/plan_amend.py), which replaces the
cohort's plan, re-arms its timers (a due item's key holds its moment, so a moved gathering is a new item with its own
timer) and passes the plan to every group still running, which re-arms its own and writes the letter.
A mixin of CohortWorkflow, which holds the state, the effects and the main loop."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.models import CohortPlan, Strict
    from domain.plan_amend import PlanChange, amendment_problems, plan_changes
    from domain.refusals import Refusal
    from workflows import group_amend
    from workflows.effects import Effects, Signals
    from workflows.messages import AdminAction, CohortInput
    from workflows.refusing import refused
    from workflows.state import CohortState


class AmendPlanInput(AdminAction):
    plan: CohortPlan  # the whole amended plan: only its dates ahead differ from the running one


class AmendPlanResult(Strict):
    changes: list[PlanChange]


class CohortAmend:
    input: CohortInput
    plan: CohortPlan
    state: CohortState
    effects: Effects
    signals: Signals

    @workflow.update
    def amend_plan(self, input: AmendPlanInput) -> AmendPlanResult:
        changes = plan_changes(self.plan, input.plan)
        now = workflow.now()
        self.plan, self.input = input.plan, self.input.model_copy(update={"plan": input.plan})  # kept past a new run
        self.state.reminders_from = max(self.state.reminders_from or now, now)  # a moved reminder already due is moot
        signal = group_amend.PlanAmendedSignal(plan=input.plan, amended_at=now)
        for record in self.state.applications:
            if record.group_workflow_id and not record.finished:
                self.signals.add(record.group_workflow_id, group_amend.GroupAmend.amend_plan, signal)
        moved = "; ".join(change.what for change in changes)  # in words: the log page shows them
        self.effects.accepted(input.actor, "amend_plan", params={"moved": moved})
        self.effects.changed()
        return AmendPlanResult(changes=changes)

    @workflow.query
    def current_plan(self) -> CohortPlan:
        """The plan the cohort runs on now, amended or as opened."""
        return self.plan

    @amend_plan.validator
    def _validate_amend_plan(self, input: AmendPlanInput) -> None:
        problems = amendment_problems(self.plan, input.plan, workflow.now())
        if problems:
            raise refused(Refusal.of(problems))
