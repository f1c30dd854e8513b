"""One cohort: intake, selection, confirmation, move-ups from the waiting list, the gatherings' reminders,
publication of results."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.gathering_reminders import GatheringRemindersInput
    from activities.models import CohortRow, ProjectInput
    from domain.admission import already_applied, application_problems
    from domain.lifecycle import IN_PROGRAMME, CohortStage, Outcome
    from domain.offers import PlaceEnd
    from domain.selection import draw, entry_for
    from workflows import cohort_views, search
    from workflows import group as group_wf
    from workflows import notices as n
    from workflows.cohort_amend import CohortAmend
    from workflows.cohort_calendar import CohortCalendar
    from workflows.cohort_offers import CohortOffers
    from workflows.due_timer import MINIMUM_TIMER, DueTimer
    from workflows.effects import Effects, Signals, drain
    from workflows.ids import group_workflow_id
    from workflows.messages import (
        GROUP_REPORT_SIGNAL,
        ApplyInput,
        ApplyResult,
        CohortInput,
        CohortOverview,
        CohortResult,
        ConfirmSelectionInput,
        ConfirmSelectionResult,
        GroupInput,
        GroupReport,
        OutcomeSignal,
        PublishGroupInput,
        PublishResultsInput,
        PublishResultsResult,
        PublishSignal,
        WithdrawGroupInput,
        WithdrawGroupResult,
    )
    from workflows.refusing import refuse
    from workflows.state import ApplicationRecord, CohortState, ProblemRecord


@workflow.defn
class CohortWorkflow(CohortCalendar, CohortAmend, CohortOffers):
    """A cohort (kull) from the first application to the published results; it holds the gatherings' timers and
    the offers' answer deadlines.

    Updates: apply, confirm_selection, answer_offer, give_up_place, withdraw_group, publish_group, publish_results,
    amend_plan.
    Signals: group_report (from its groups).
    Queries: overview, current_plan.
    """

    @workflow.init
    def __init__(self, input: CohortInput) -> None:
        self.input = input
        self.plan = input.plan
        self.state = input.state or CohortState(seed=input.seed or "")
        self.effects = Effects(self.state.actions)
        self.signals = Signals()
        self.pending_starts: list[ApplyInput] = []
        self.reminders: list[GatheringRemindersInput] = []
        self.due_timer = DueTimer()

    @workflow.run
    async def run(self, input: CohortInput) -> CohortResult:
        if not self.state.seed:
            self.state.seed = f"{workflow.random().getrandbits(64):016x}"
        if self.state.stage == CohortStage.INTAKE:
            await self._sleep_until(lambda: self.plan.application_deadline)  # an amendment may move it
            self._draw_selection()
        await self._until(lambda: self.state.stage != CohortStage.SELECTION_DRAWN)
        # the waiting list closes and the gatherings' reminders go out by the cohort's calendar meanwhile
        await self._until(lambda: self.state.stage == CohortStage.PUBLISHED and self._all_groups_finished())
        self.state.stage = CohortStage.CLOSED
        self.effects.changed()
        await drain(self._flush, self._work_pending)
        return CohortResult(overview=self.overview())

    async def _sleep_until(self, moment: Callable[[], datetime]) -> None:
        """Carry out queued effects until the plan's moment: returns when its timer fires, not when the clock says
        so (a restarted worker was seen to read the clock stale right after a timer)."""
        while True:
            await self._flush()
            await self._continue_as_new_if_suggested()
            wait = max(moment() - workflow.now(), MINIMUM_TIMER)  # always a timer, so replay makes the same commands
            try:
                await workflow.wait_condition(self._work_pending, timeout=wait)
            except TimeoutError:
                return

    async def _until(self, done: Callable[[], bool]) -> None:
        while True:
            await self._flush()
            if done():
                return
            await self._continue_as_new_if_suggested()
            await self._wait_for_work_or_due_item(done)

    async def _continue_as_new_if_suggested(self) -> None:
        if workflow.info().is_continue_as_new_suggested():
            await drain(self._flush, self._work_pending)
            self.state.actions = self.effects.actions
            workflow.continue_as_new(self.input.model_copy(update={"state": self.state}))

    def _work_pending(self) -> bool:
        return bool(self.effects.pending or self.signals or self.pending_starts or self.reminders)

    async def _flush(self) -> None:
        starts, self.pending_starts = self.pending_starts, []
        await asyncio.gather(*(self._start_group(s) for s in starts), self._write_reminders())
        await self.signals.send()
        offers = cohort_views.offer_rows(self.plan, self.state, workflow.now())
        await self.effects.flush(ProjectInput(cohort=self._row(), offers=offers))

    async def _start_group(self, input: ApplyInput) -> None:
        application = input.application
        await workflow.start_child_workflow(
            group_wf.GroupWorkflow.run,
            GroupInput(
                cohort_workflow_id=workflow.info().workflow_id,
                application_id=application.id,
                application=application,
                plan=self.plan,
            ),
            id=group_workflow_id(self.plan.cohort, application.id),
            task_timeout=workflow.info().task_timeout,  # the cohort's, as the gateway set it from the settings
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,  # one application per municipality, by Temporal
            parent_close_policy=ParentClosePolicy.ABANDON,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(search.COHORT, self.plan.cohort),
                    SearchAttributePair(search.STAGE, "applied"),
                    SearchAttributePair(search.KOMMUNENUMMER, list(application.municipalities)),
                ]
            ),
        )

    # ---- apply --------------------------------------------------------------------------------
    @workflow.update
    def apply(self, input: ApplyInput) -> ApplyResult:
        application = input.application
        named = {n: r.id for r in self.state.applications if r.outcome != Outcome.REFUSED for n in r.municipalities}
        problems = application_problems(application) + already_applied(application.municipalities, named)
        record = ApplicationRecord(
            id=application.id,
            municipalities=list(application.municipalities),
            problems=[ProblemRecord.of(problem) for problem in problems],
            contact=application.contact,
        )
        if problems:
            record.outcome = Outcome.REFUSED
            notice = n.ApplicationIncomplete(
                cohort=self.plan.cohort,
                municipalities=application.municipalities,
                errors=[problem.text() for problem in problems],
                application_deadline=self.plan.application_deadline,
            )
            self.effects.notice(f"refused:{len(self.state.applications)}", notice, [application.contact])
        else:
            entry = entry_for(application.municipalities)
            record.region, record.size = entry.region, entry.size
            record.group_workflow_id = group_workflow_id(self.plan.cohort, application.id)
            self.pending_starts.append(input)
        self.state.applications.append(record)
        self._audit(input.actor, "apply", application=application.id, outcome="refused" if problems else "accepted")
        return ApplyResult(
            application_id=application.id,
            accepted=not problems,
            problems=record.problems,
            group_workflow_id=record.group_workflow_id,
        )

    @apply.validator
    def _validate_apply(self, input: ApplyInput) -> None:
        if input.application.cohort != self.plan.cohort:
            refuse("cohort.wrong_cohort", cohort=self.plan.cohort, application_cohort=input.application.cohort)
        if self.state.stage != CohortStage.INTAKE or workflow.now() >= self.plan.application_deadline:
            refuse("cohort.application_deadline_passed", deadline=self.plan.application_deadline.isoformat())

    # ---- selection ----------------------------------------------------------------------------
    def _draw_selection(self) -> None:
        valid = [r for r in self.state.applications if r.outcome != Outcome.REFUSED]
        admitted, waitlist = (
            draw([entry_for(r.municipalities) for r in valid], self.plan.places, self.state.seed) if valid else ([], [])
        )
        outcomes = {e.id: Outcome.ADMITTED for e in admitted} | {e.id: Outcome.WAITLIST for e in waitlist}
        for record in valid:
            record.outcome = outcomes.get(record.id, record.outcome)
        self.state.waitlist = [e.id for e in waitlist]
        self._set_stage(CohortStage.SELECTION_DRAWN)

    @workflow.update
    def confirm_selection(self, input: ConfirmSelectionInput) -> ConfirmSelectionResult:
        self._set_stage(CohortStage.RUNNING)
        self.state.reminders_from = workflow.now()  # the admitted learn of the gatherings from their letter
        for record in self.state.applications:
            if record.outcome == Outcome.ADMITTED:
                self._offer(record, workflow.now())
            if record.outcome in (Outcome.ADMITTED, Outcome.WAITLIST):
                self._tell(record)
        self._audit(input.actor, "confirm_selection", seed=self.state.seed)
        return ConfirmSelectionResult(
            seed=self.state.seed, admitted=self._ids(Outcome.ADMITTED), waitlist=list(self.state.waitlist)
        )

    @confirm_selection.validator
    def _validate_confirm_selection(self, input: ConfirmSelectionInput) -> None:
        if self.state.stage != CohortStage.SELECTION_DRAWN:
            refuse("cohort.no_selection_to_confirm", stage=self.state.stage.value)

    @workflow.update
    def withdraw_group(self, input: WithdrawGroupInput) -> WithdrawGroupResult:
        record = self._record_of(input.application_id)
        moved_up = self._give_up(record, PlaceEnd.GAVE_UP, workflow.now())
        self._audit(input.actor, "withdraw_group", application=record.id, reason=input.reason, moved_up=moved_up)
        return WithdrawGroupResult(outcome=Outcome.GAVE_UP, moved_up=moved_up)

    @withdraw_group.validator
    def _validate_withdraw_group(self, input: WithdrawGroupInput) -> None:
        if self.state.stage != CohortStage.RUNNING:
            refuse("cohort.withdraw_not_running", stage=self.state.stage.value)
        record = self._record_of(input.application_id)
        if record.outcome not in (*IN_PROGRAMME, Outcome.WAITLIST):
            refuse("cohort.no_place_to_give_up", application=record.id, outcome=record.outcome.value)

    def _close_waitlist(self) -> None:
        """From the first gathering on, places are not filled again: the waiting list is told it was not selected."""
        waiting, self.state.waitlist = self.state.waitlist, []
        for application_id in waiting:
            self._set_outcome(self._record_of(application_id), Outcome.NOT_SELECTED)
        self.state.waitlist_closed = True
        self.effects.changed()

    # ---- results ------------------------------------------------------------------------------
    @workflow.update
    def publish_results(self, input: PublishResultsInput) -> PublishResultsResult:
        self._set_stage(CohortStage.PUBLISHED)
        groups = [r for r in self.state.applications if r.outcome in IN_PROGRAMME and not (r.finished or r.released)]
        for record in groups:
            self.signals.add(record.group_workflow_id or "", group_wf.GroupWorkflow.publish, PublishSignal())
        self._audit(input.actor, "publish_results", groups=len(groups))
        return PublishResultsResult(groups=len(groups))

    @publish_results.validator
    def _validate_publish_results(self, input: PublishResultsInput) -> None:
        if self.state.stage != CohortStage.RUNNING:
            refuse("cohort.publish_not_running", stage=self.state.stage.value)
        not_ready = [r.id for r in self.state.applications if r.outcome in IN_PROGRAMME and not r.ready_to_publish]
        if not_ready:
            refuse("cohort.groups_not_graded", groups=", ".join(not_ready))

    @workflow.update
    def publish_group(self, input: PublishGroupInput) -> PublishResultsResult:
        """Release one group's results, checked by the administration: its letters go out and its members' appeal
        window opens now. When every group in the programme is released, the cohort's results are published."""
        record = self._record_of(input.application_id)
        record.released = True
        self.signals.add(record.group_workflow_id or "", group_wf.GroupWorkflow.publish, PublishSignal())
        self._audit(input.actor, "publish_group", application=record.id)
        if all(r.released or r.finished for r in self.state.applications if r.outcome in IN_PROGRAMME):
            self._set_stage(CohortStage.PUBLISHED)
        self.effects.changed()
        return PublishResultsResult(groups=1)

    @publish_group.validator
    def _validate_publish_group(self, input: PublishGroupInput) -> None:
        if self.state.stage != CohortStage.RUNNING:
            refuse("cohort.release_not_running", stage=self.state.stage.value)
        record = self._record_of(input.application_id)
        if record.outcome not in IN_PROGRAMME:
            refuse("cohort.not_in_programme", application=record.id, outcome=record.outcome.value)
        if record.released or record.finished:
            refuse("cohort.group_already_released", group=record.id)
        if not record.ready_to_publish:
            refuse("cohort.group_not_graded", group=record.id)

    @workflow.signal(name=GROUP_REPORT_SIGNAL)
    def group_report(self, input: GroupReport) -> None:
        record = self._record_of(input.application_id)
        record.group_stage, record.ready_to_publish, record.finished = (
            input.stage,
            input.ready_to_publish,
            input.finished,
        )
        self.effects.changed()

    def _all_groups_finished(self) -> bool:
        return all(r.finished for r in self.state.applications if r.outcome in IN_PROGRAMME)

    # ---- state helpers ------------------------------------------------------------------------
    def _record_of(self, application_id: str) -> ApplicationRecord:
        for record in self.state.applications:
            if record.id == application_id and record.outcome != Outcome.REFUSED:
                return record
        refuse("cohort.unknown_application", application=application_id, cohort=self.plan.cohort)

    def _set_stage(self, stage: CohortStage) -> None:
        self.state.stage = stage
        workflow.upsert_search_attributes([search.STAGE.value_set(stage.value)])
        self.effects.changed()

    def _set_outcome(self, record: ApplicationRecord, outcome: Outcome, ended_by: PlaceEnd = PlaceEnd.GAVE_UP) -> None:
        record.outcome = outcome
        self._tell(record, ended_by)
        self.effects.changed()

    def _tell(self, record: ApplicationRecord, ended_by: PlaceEnd = PlaceEnd.GAVE_UP) -> None:
        if record.group_workflow_id:
            position = self.state.waitlist.index(record.id) + 1 if record.id in self.state.waitlist else None
            answer_by = record.answer_by if record.outcome in IN_PROGRAMME else None
            signal = OutcomeSignal(outcome=record.outcome, position=position, answer_by=answer_by, ended_by=ended_by)
            self.signals.add(record.group_workflow_id, group_wf.GroupWorkflow.outcome, signal)

    def _ids(self, outcome: Outcome) -> list[str]:
        return [r.id for r in self.state.applications if r.outcome == outcome]

    def _audit(self, actor: str, action: str, **params: str | int | None) -> None:
        self.effects.accepted(actor, action, params=params)

    # ---- views --------------------------------------------------------------------------------
    @workflow.query
    def overview(self) -> CohortOverview:
        return cohort_views.overview(self.plan, self.state, self.effects.actions)

    def _row(self) -> CohortRow:
        return cohort_views.row(self.plan, self.state)
