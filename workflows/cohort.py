"""One cohort: intake, selection, confirmation, move-ups from the waiting list, publication of results."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.models import CohortRow, NoticeKind, ProjectInput, Recipient
    from domain.admission import application_errors
    from domain.selection import draw, entry_for
    from workflows import search
    from workflows.effects import Effects, drain, signal_all
    from workflows.group import GroupWorkflow
    from workflows.ids import group_workflow_id
    from workflows.messages import (
        ApplicationRecord,
        ApplyInput,
        ApplyResult,
        AuditRecord,
        CohortInput,
        CohortOverview,
        CohortResult,
        CohortStage,
        CohortState,
        ConfirmSelectionInput,
        ConfirmSelectionResult,
        GroupInput,
        GroupReport,
        Outcome,
        OutcomeSignal,
        PublishResultsInput,
        PublishResultsResult,
        PublishSignal,
        WithdrawGroupInput,
        WithdrawGroupResult,
    )

IN_PROGRAMME = {Outcome.ADMITTED, Outcome.MOVED_UP}


@workflow.defn
class CohortWorkflow:
    """A cohort (kull) from the first application to the published results.

    Updates: apply, confirm_selection, withdraw_group, publish_results.
    Signals: group_report (from its groups).
    Query: overview.
    """

    @workflow.init
    def __init__(self, input: CohortInput) -> None:
        self.input = input
        self.plan = input.plan
        self.state = input.state or CohortState(seed=input.seed or "")
        self.effects = Effects()
        self.pending_signals: list[tuple[str, object]] = []
        self.pending_starts: list[ApplyInput] = []

    @workflow.run
    async def run(self, input: CohortInput) -> CohortResult:
        if not self.state.seed:
            self.state = self.state.model_copy(update={"seed": f"{workflow.random().getrandbits(64):016x}"})
        await self._until(lambda: self._now() >= self.plan.application_deadline, self.plan.application_deadline)
        if self.state.stage == CohortStage.INTAKE:
            self._draw_selection()
        await self._until(lambda: self.state.stage != CohortStage.SELECTION_DRAWN)
        first_gathering = self.plan.gatherings[0].start
        await self._until(lambda: self._now() >= first_gathering, first_gathering)
        self._close_waitlist()
        await self._until(lambda: self.state.stage == CohortStage.PUBLISHED and self._all_groups_finished())
        self.state = self.state.model_copy(update={"stage": CohortStage.CLOSED})
        self.effects.changed()
        await drain(self._flush, self._work_pending)
        return CohortResult(overview=self.overview())

    def _now(self):  # type: ignore[no-untyped-def]
        return workflow.now()

    async def _until(self, done, at=None) -> None:  # type: ignore[no-untyped-def]
        """Carry out queued effects until `done()`, waking at `at` (a plan date) if given."""
        while True:
            await self._flush()
            if done():
                return
            if workflow.info().is_continue_as_new_suggested():
                await drain(self._flush, self._work_pending)
                workflow.continue_as_new(self.input.model_copy(update={"state": self.state}))
            condition = lambda: done() or self._work_pending()  # noqa: E731
            if at is None:
                await workflow.wait_condition(condition)
                continue
            wait = (at - workflow.now()).total_seconds()
            if wait <= 0:
                return
            try:
                await workflow.wait_condition(condition, timeout=timedelta(seconds=wait))
            except TimeoutError:
                pass

    def _work_pending(self) -> bool:
        return bool(self.effects.pending or self.pending_signals or self.pending_starts)

    async def _flush(self) -> None:
        starts, self.pending_starts = self.pending_starts, []
        await asyncio.gather(*(self._start_group(s) for s in starts))
        signals, self.pending_signals = self.pending_signals, []
        await signal_all([(target, "outcome" if isinstance(arg, OutcomeSignal) else "publish", arg) for target, arg in signals])
        await self.effects.flush(ProjectInput(cohort=self._row()))

    async def _start_group(self, input: ApplyInput) -> None:
        application = input.application
        record = self._record_of(application.id)
        await workflow.start_child_workflow(
            GroupWorkflow.run,
            GroupInput(cohort_workflow_id=workflow.info().workflow_id, application_id=application.id,
                       application=application, plan=self.plan, staff_email=self.input.staff_email),
            id=record.group_workflow_id or "",
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,  # one application per municipality, by Temporal
            parent_close_policy=ParentClosePolicy.ABANDON,
            search_attributes=TypedSearchAttributes([
                SearchAttributePair(search.COHORT, self.plan.cohort), SearchAttributePair(search.STAGE, "applied"),
                SearchAttributePair(search.KOMMUNENUMMER, list(application.municipalities))]),
        )

    # ---- apply --------------------------------------------------------------------------------
    @workflow.update
    def apply(self, input: ApplyInput) -> ApplyResult:
        application = input.application
        errors = application_errors(application) + self._already_named(application.municipalities)
        record = ApplicationRecord(id=application.id, municipalities=list(application.municipalities), errors=errors)
        if errors:
            record = record.model_copy(update={"outcome": Outcome.REFUSED})
            contact = Recipient(name=application.contact.name, email=application.contact.email)
            self.effects.notice(f"refused:{len(self.state.applications)}", NoticeKind.APPLICATION_INCOMPLETE, [contact],
                                application=application.id, errors="\n".join(f"- {e}" for e in errors))
        else:
            entry = entry_for(application.municipalities)
            record = record.model_copy(update={
                "region": entry.region, "size": entry.size,
                "group_workflow_id": group_workflow_id(self.plan.cohort, application.id)})
            self.pending_starts.append(input)
        self.state = self.state.model_copy(update={"applications": [*self.state.applications, record]})
        self._audit(input.actor, "apply", f"{application.id}: " + ("accepted" if not errors else "refused"))
        return ApplyResult(application_id=application.id, accepted=not errors, errors=errors,
                           group_workflow_id=record.group_workflow_id)

    @apply.validator
    def _validate_apply(self, input: ApplyInput) -> None:
        if input.application.cohort != self.plan.cohort:
            raise ApplicationError(f"cohort: this is cohort {self.plan.cohort}, the application is for {input.application.cohort}")
        if self.state.stage != CohortStage.INTAKE or workflow.now() >= self.plan.application_deadline:
            raise ApplicationError(f"the application deadline {self.plan.application_deadline:%Y-%m-%d %H:%M} has passed")

    def _already_named(self, municipalities: list[str]) -> list[str]:
        named = {n: r.id for r in self.state.applications if r.outcome != Outcome.REFUSED for n in r.municipalities}
        return [f"municipalities: {n} already applied in application {named[n]}" for n in municipalities if n in named]

    # ---- selection ----------------------------------------------------------------------------
    def _draw_selection(self) -> None:
        valid = [r for r in self.state.applications if r.outcome != Outcome.REFUSED]
        entries = [entry_for(r.municipalities) for r in valid]
        admitted, waitlist = draw(entries, self.plan.places, self.state.seed) if entries else ([], [])
        outcomes = {e.id: Outcome.ADMITTED for e in admitted} | {e.id: Outcome.WAITLIST for e in waitlist}
        records = [r.model_copy(update={"outcome": outcomes.get(r.id, r.outcome)}) for r in self.state.applications]
        self.state = self.state.model_copy(update={
            "stage": CohortStage.SELECTION_DRAWN, "applications": records, "waitlist": [e.id for e in waitlist]})
        workflow.upsert_search_attributes([search.STAGE.value_set(CohortStage.SELECTION_DRAWN.value)])
        self.effects.changed()

    @workflow.update
    def confirm_selection(self, input: ConfirmSelectionInput) -> ConfirmSelectionResult:
        self.state = self.state.model_copy(update={"stage": CohortStage.RUNNING})
        workflow.upsert_search_attributes([search.STAGE.value_set(CohortStage.RUNNING.value)])
        for record in self.state.applications:
            if record.outcome in (Outcome.ADMITTED, Outcome.WAITLIST):
                self._tell(record, record.outcome)
        self._audit(input.actor, "confirm_selection", f"seed {self.state.seed}")
        return ConfirmSelectionResult(seed=self.state.seed, admitted=self._ids(Outcome.ADMITTED), waitlist=list(self.state.waitlist))

    @confirm_selection.validator
    def _validate_confirm_selection(self, input: ConfirmSelectionInput) -> None:
        if self.state.stage != CohortStage.SELECTION_DRAWN:
            raise ApplicationError(f"no selection waiting for confirmation (cohort stage: {self.state.stage.value})")

    @workflow.update
    def withdraw_group(self, input: WithdrawGroupInput) -> WithdrawGroupResult:
        record = self._record_of(input.application_id)
        was_waiting = record.outcome == Outcome.WAITLIST
        self._set_outcome(record, Outcome.GAVE_UP)
        waitlist = [i for i in self.state.waitlist if i != record.id]
        moved_up = None
        if not was_waiting and waitlist and workflow.now() < self.plan.gatherings[0].start:
            moved_up, waitlist = waitlist[0], waitlist[1:]
            self._set_outcome(self._record_of(moved_up), Outcome.MOVED_UP)
        self.state = self.state.model_copy(update={"waitlist": waitlist})
        self._audit(input.actor, "withdraw_group", f"{record.id}: {input.reason}" + (f"; {moved_up} moved up" if moved_up else ""))
        return WithdrawGroupResult(outcome=Outcome.GAVE_UP, moved_up=moved_up)

    @withdraw_group.validator
    def _validate_withdraw_group(self, input: WithdrawGroupInput) -> None:
        if self.state.stage not in (CohortStage.RUNNING,):
            raise ApplicationError("a group can withdraw once the selection is confirmed and until results are published")
        record = self._record_of(input.application_id)
        if record.outcome not in (*IN_PROGRAMME, Outcome.WAITLIST):
            raise ApplicationError(f"application {record.id} holds no place to give up (outcome: {record.outcome.value})")

    def _close_waitlist(self) -> None:
        """From the first gathering on, places are not filled again: the waiting list is told it was not selected."""
        for application_id in self.state.waitlist:
            self._set_outcome(self._record_of(application_id), Outcome.NOT_SELECTED)
        self.state = self.state.model_copy(update={"waitlist": []})

    # ---- results ------------------------------------------------------------------------------
    @workflow.update
    def publish_results(self, input: PublishResultsInput) -> PublishResultsResult:
        self.state = self.state.model_copy(update={"stage": CohortStage.PUBLISHED})
        workflow.upsert_search_attributes([search.STAGE.value_set(CohortStage.PUBLISHED.value)])
        groups = [r for r in self.state.applications if r.outcome in IN_PROGRAMME and not r.finished]
        for record in groups:
            self.pending_signals.append((record.group_workflow_id or "", PublishSignal()))
        self._audit(input.actor, "publish_results", f"{len(groups)} groups")
        return PublishResultsResult(groups=len(groups))

    @publish_results.validator
    def _validate_publish_results(self, input: PublishResultsInput) -> None:
        if self.state.stage != CohortStage.RUNNING:
            raise ApplicationError(f"results can be published once, while the cohort runs (stage: {self.state.stage.value})")
        not_ready = [r.id for r in self.state.applications if r.outcome in IN_PROGRAMME and not r.ready_to_publish]
        if not_ready:
            raise ApplicationError(f"groups not yet graded: {', '.join(not_ready)}")

    @workflow.signal
    def group_report(self, input: GroupReport) -> None:
        record = self._record_of(input.application_id)
        self._replace(record.model_copy(update={
            "group_stage": input.stage, "ready_to_publish": input.ready_to_publish, "finished": input.finished}))

    def _all_groups_finished(self) -> bool:
        return all(r.finished for r in self.state.applications if r.outcome in IN_PROGRAMME)

    # ---- state helpers ------------------------------------------------------------------------
    def _record_of(self, application_id: str) -> ApplicationRecord:
        for record in self.state.applications:
            if record.id == application_id and record.outcome != Outcome.REFUSED:
                return record
        raise ApplicationError(f"no application {application_id} in cohort {self.plan.cohort}")

    def _replace(self, record: ApplicationRecord) -> None:
        records = [record if r.id == record.id and r.outcome != Outcome.REFUSED else r for r in self.state.applications]
        self.state = self.state.model_copy(update={"applications": records})
        self.effects.changed()

    def _set_outcome(self, record: ApplicationRecord, outcome: Outcome) -> None:
        self._replace(record.model_copy(update={"outcome": outcome}))
        self._tell(record, outcome)

    def _tell(self, record: ApplicationRecord, outcome: Outcome) -> None:
        if record.group_workflow_id:
            self.pending_signals.append((record.group_workflow_id, OutcomeSignal(outcome=outcome)))

    def _ids(self, outcome: Outcome) -> list[str]:
        return [r.id for r in self.state.applications if r.outcome == outcome]

    def _audit(self, actor: str, action: str, detail: str) -> None:
        self.state.audit.append(AuditRecord(actor=actor, action=action, at=workflow.now(), detail=detail))
        self.effects.accepted(actor, action, detail)

    # ---- views --------------------------------------------------------------------------------
    def _pending_actions(self) -> list[str]:
        if self.state.stage == CohortStage.SELECTION_DRAWN:
            return ["confirm the selection"]
        groups = [r for r in self.state.applications if r.outcome in IN_PROGRAMME]
        if self.state.stage == CohortStage.RUNNING and groups and all(r.ready_to_publish for r in groups):
            return ["publish the results"]
        return []

    @workflow.query
    def overview(self) -> CohortOverview:
        applications = self.state.applications
        return CohortOverview(
            cohort=self.plan.cohort, stage=self.state.stage,
            seed=self.state.seed if self.state.stage != CohortStage.INTAKE else None,
            places=self.plan.places, applications=applications,
            groups_per_stage=dict(Counter(r.group_stage or r.outcome.value for r in applications if r.group_workflow_id)),
            outcomes=dict(Counter(r.outcome.value for r in applications)),
            pending_actions=self._pending_actions(), admin_actions=len(self.state.audit))

    def _row(self) -> CohortRow:
        outcomes = Counter(r.outcome for r in self.state.applications)
        return CohortRow(
            cohort=self.plan.cohort, stage=self.state.stage.value,
            seed=self.state.seed if self.state.stage != CohortStage.INTAKE else None, places=self.plan.places,
            applications=len(self.state.applications), admitted=outcomes[Outcome.ADMITTED] + outcomes[Outcome.MOVED_UP],
            waitlisted=outcomes[Outcome.WAITLIST], refused=outcomes[Outcome.REFUSED])
