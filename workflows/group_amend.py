"""A group under an amended cohort plan: the signal `amend_plan` from its cohort replaces the group's plan, moves its
requirement deadlines (an extension further out is kept) and writes the letter saying what moved from when to when.
The group's timers follow by themselves: a due item's key holds its moment, so a moved deadline is a new item whose
timer fires at the new time, and the old one's timer is cancelled. A mixin of GroupWorkflow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.models import CohortPlan, Strict
    from domain.plan_amend import amended_requirement, plan_changes
    from workflows import notices as n
    from workflows.effects import Effects
    from workflows.group_facts import GroupFacts
    from workflows.messages import GroupInput
    from workflows.state import GroupState


class PlanAmendedSignal(Strict):
    plan: CohortPlan
    amended_at: datetime  # the cohort's moment of the amendment: names the letter's event


class GroupAmend:
    input: GroupInput
    plan: CohortPlan
    state: GroupState
    facts: GroupFacts
    effects: Effects
    _notify: Callable[..., None]

    @workflow.signal
    def amend_plan(self, input: PlanAmendedSignal) -> None:
        old, new = self.plan, input.plan
        changes = plan_changes(old, new)
        if not changes:
            return
        now = workflow.now()
        self.plan, self.input = new, self.input.model_copy(update={"plan": new})  # kept past a new run
        self.facts.plan = new
        self.state.requirements = [
            amended_requirement(
                r, old.work_requirements[r.number - 1].deadline, new.work_requirements[r.number - 1].deadline, now
            )
            for r in self.state.requirements
        ]
        self.state.reminders_from = max(self.state.reminders_from or now, now)  # a moved reminder already due is moot
        if not self.facts.finished:
            recipients = None if self.facts.in_programme else [self.input.application.contact]
            notice = n.PlanAmended(cohort=new.cohort, changes=changes)
            self._notify(f"plan_amended:{int(input.amended_at.timestamp())}", notice, recipients)
        self.effects.changed()
