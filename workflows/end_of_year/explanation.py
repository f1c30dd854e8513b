"""One person's begrunnelse (an explanation of their grade), from the request to the examiner's answer."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.end_of_year import EndOfYearActivities
    from activities.models import ProjectInput
    from domain.end_of_year import explanations as rules
    from workflows import notices as n
    from workflows.effects import SHORT, Effects, drain
    from workflows.end_of_year.explanation_messages import (
        ExplanationActionResult,
        ExplanationDetail,
        ExplanationInput,
        ExplanationResult,
        ExplanationRow,
        ExplanationState,
        GiveExplanationInput,
    )
    from workflows.refusing import refused


@workflow.defn
class ExplanationWorkflow:
    """A request for a begrunnelse; ends when the examiner has given it.

    Update: give_explanation (an examiner of the group, once). Query: detail. The begrunnelse's words never enter this
    history: the gateway stores them in the read model before the update, which records who gave it and when. The
    person gets a receipt at the start and a letter with the new appeal deadline when it is given.
    """

    @workflow.init
    def __init__(self, input: ExplanationInput) -> None:
        self.input = input
        self.state = ExplanationState()
        self.effects = Effects()
        self.effects.projection_due = False  # the row is this workflow's own (below), not a group's
        self.row_due = True

    @workflow.run
    async def run(self, input: ExplanationInput) -> ExplanationResult:
        self.state.requested_at = workflow.now()
        params = {"participant": input.participant_workflow_id, "received": input.received.isoformat()}
        self.effects.accepted(input.requested_by, "request_explanation", params=params)
        notice = n.ExplanationRequested(
            cohort=input.cohort, grade=input.grade, due=input.due, by_self=input.by_participant
        )
        self.effects.notice("requested", notice, [input.person_id])
        while True:
            await workflow.wait_condition(lambda: self._work_pending() or self.state.given_at is not None)
            await self._flush()
            if self.state.given_at is not None and not self._work_pending():
                break
        await drain(self._flush, self._work_pending)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return ExplanationResult(detail=self.detail())

    def _work_pending(self) -> bool:
        return self.effects.pending or self.row_due

    async def _flush(self) -> None:
        if self.row_due:
            self.row_due = False
            await workflow.execute_activity_method(
                EndOfYearActivities.record_explanation, self._row(), start_to_close_timeout=SHORT
            )
        self.effects.projection_due = False
        await self.effects.flush(ProjectInput())

    # ---- updates ------------------------------------------------------------------------------
    @workflow.update
    def give_explanation(self, input: GiveExplanationInput) -> ExplanationActionResult:
        self.state.given_at, self.state.given_by = workflow.now(), input.actor
        deadline = self._appeal_deadline()
        assert deadline is not None
        notice = n.ExplanationGiven(cohort=self.input.cohort, grade=self.input.grade, appeal_deadline=deadline)
        self.effects.notice("given", notice, [self.input.person_id])
        self.effects.accepted(input.actor, "give_explanation", params={})
        self.row_due = True
        return ExplanationActionResult(given_at=self.state.given_at, appeal_deadline=deadline)

    @give_explanation.validator
    def _validate_give(self, input: GiveExplanationInput) -> None:
        refusal = rules.give_refusal(self.input.examiners, input.actor, self.state.given_at is not None)
        if refusal is not None:
            raise refused(refusal)

    # ---- views --------------------------------------------------------------------------------
    def _appeal_deadline(self) -> datetime | None:
        given, i = self.state.given_at, self.input
        return None if given is None else rules.appeal_deadline_after(i.released_at, given, i.appeal_seconds)

    @workflow.query
    def detail(self) -> ExplanationDetail:
        i, s = self.input, self.state
        return ExplanationDetail(
            explanation_workflow_id=workflow.info().workflow_id,
            participant_workflow_id=i.participant_workflow_id,
            group_workflow_id=i.group_workflow_id,
            person_id=i.person_id,
            grade=i.grade,
            examiners=i.examiners,
            received=i.received,
            requested_at=s.requested_at,
            due=i.due,
            given_at=s.given_at,
            given_by=s.given_by,
            appeal_deadline=self._appeal_deadline(),
        )

    def _row(self) -> ExplanationRow:
        i, s = self.input, self.state
        assert s.requested_at is not None  # set as the run begins, before the first row is written
        return ExplanationRow(
            explanation_id=workflow.info().workflow_id,
            participant_id=i.participant_workflow_id,
            group_id=i.group_workflow_id,
            cohort=i.cohort,
            person_id=i.person_id,
            examiners=i.examiners,
            received=i.received,
            requested_at=s.requested_at,
            due=i.due,
            given_at=s.given_at,
            given_by=s.given_by,
            appeal_deadline=self._appeal_deadline(),
        )
