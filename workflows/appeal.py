"""One person's appeal (klage) of the written part of their exam, from registration to the final result."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.appeals import AppealActivities
    from activities.models import ProjectInput
    from domain import appeals as rules
    from domain.appeals import AppealOutcome
    from domain.refusals import Refusal
    from workflows import notices as n
    from workflows.appeal_messages import (
        AppealActionResult,
        AppealDetail,
        AppealInput,
        AppealResult,
        AppealRow,
        AppealStage,
        AppealState,
        AssignExaminersInput,
        NewOralAdjustmentInput,
        NewWrittenGradeInput,
    )
    from workflows.effects import SHORT, Effects, drain
    from workflows.refusing import refuse, refused


@workflow.defn
class AppealWorkflow:
    """An appeal by one person of one attempt; ends with the new result, which is final.

    Updates: assign_examiners, register_new_written_grade, register_new_oral_adjustment. Query: detail.
    """

    @workflow.init
    def __init__(self, input: AppealInput) -> None:
        self.input = input
        self.state = AppealState()
        self.effects = Effects()
        self.row_due = True

    @workflow.run
    async def run(self, input: AppealInput) -> AppealResult:
        self.state.registered_at = workflow.now()
        self.effects.accepted(input.registered_by, "register_appeal", input.participant_workflow_id)
        while True:
            await workflow.wait_condition(lambda: self._work_pending() or self.state.decided_at is not None)
            await self._flush()
            if self.state.decided_at is not None and not self._work_pending():
                break
        await drain(self._flush, self._work_pending)
        return AppealResult(detail=self.detail())

    def _work_pending(self) -> bool:
        return self.effects.pending or self.row_due

    async def _flush(self) -> None:
        if self.row_due:
            self.row_due = False
            await workflow.execute_activity_method(
                AppealActivities.record_appeal, self._row(), start_to_close_timeout=SHORT
            )
        self.effects.projection_due = False  # an appeal has no row in the group's read model; its own is above
        await self.effects.flush(ProjectInput())

    # ---- updates ------------------------------------------------------------------------------
    @workflow.update
    def assign_examiners(self, input: AssignExaminersInput) -> AppealActionResult:
        self.state.examiners = list(input.examiners)
        return self._record(input.actor, "assign_examiners", ", ".join(input.examiners))

    @assign_examiners.validator
    def _validate_assign_examiners(self, input: AssignExaminersInput) -> None:
        self._refuse_if_decided()
        if self.state.written_after is not None:
            refuse("appeal.examiners_locked")
        _refuse(rules.examiners_refusal(self.input.first_examiners, list(input.examiners)))

    @workflow.update
    def register_new_written_grade(self, input: NewWrittenGradeInput) -> AppealActionResult:
        self.state.written_after = input.grade
        if not rules.needs_new_oral(self.input.written_before, input.grade):
            self._decide(rules.outcome_without_oral(self.input.written_before, self.input.final_before, input.grade))
        return self._record(input.actor, "register_new_written_grade", input.grade.value)

    @register_new_written_grade.validator
    def _validate_new_written_grade(self, input: NewWrittenGradeInput) -> None:
        self._refuse_if_decided()
        self._refuse_unless_examiner(input.actor)
        if self.state.written_after is not None:
            refuse("appeal.written_already_registered", grade=self.state.written_after.value)

    @workflow.update
    def register_new_oral_adjustment(self, input: NewOralAdjustmentInput) -> AppealActionResult:
        written = self.state.written_after
        assert written is not None  # the validator has checked it
        self.state.oral_adjustment_after = input.adjustment
        self._decide(rules.outcome_with_oral(written, input.adjustment, self.input.step_limit))
        return self._record(input.actor, "register_new_oral_adjustment", f"{input.adjustment:+d}")

    @register_new_oral_adjustment.validator
    def _validate_new_oral(self, input: NewOralAdjustmentInput) -> None:
        self._refuse_if_decided()
        self._refuse_unless_examiner(input.actor)
        written = self.state.written_after
        if written is None:
            refuse("appeal.written_first")
        _refuse(rules.new_oral_refusal(written, input.adjustment, self.input.step_limit))

    def _refuse_if_decided(self) -> None:
        if self.state.decided_at is not None:
            refuse("appeal.decided")

    def _refuse_unless_examiner(self, actor: str) -> None:
        if not self.state.examiners:
            refuse("appeal.examiners_missing")
        if actor not in self.state.examiners:
            refuse("appeal.not_examiner", actor=actor, examiners=", ".join(self.state.examiners))

    def _decide(self, outcome: AppealOutcome) -> None:
        s = self.state
        s.final_after, s.credits_after, s.decided_at = outcome.final_grade, outcome.credits, workflow.now()
        notice = n.AppealDecided(
            cohort=self.input.cohort,
            written_before=self.input.written_before,
            written_after=outcome.written_grade,
            grade_before=self.input.final_before,
            grade_after=outcome.final_grade,
            credits=outcome.credits,
        )
        self.effects.notice("decided", notice, [self.input.person_id])

    def _record(self, actor: str, action: str, detail: str) -> AppealActionResult:
        self.effects.accepted(actor, action, detail)
        self.row_due = True
        return AppealActionResult(stage=self._stage())

    # ---- views --------------------------------------------------------------------------------
    def _stage(self) -> AppealStage:
        s = self.state
        if s.decided_at is not None:
            return "decided"
        if not s.examiners:
            return "awaiting_examiners"
        return "awaiting_written" if s.written_after is None else "awaiting_oral"

    _PENDING: dict[str, str | None] = {
        "awaiting_examiners": "assign the new examiners",
        "awaiting_written": "register the new written grade",
        "awaiting_oral": "register the new oral adjustment",
        "decided": None,
    }

    @workflow.query
    def detail(self) -> AppealDetail:
        i, s, stage = self.input, self.state, self._stage()
        return AppealDetail(
            appeal_workflow_id=workflow.info().workflow_id,
            participant_workflow_id=i.participant_workflow_id,
            group_workflow_id=i.group_workflow_id,
            person_id=i.person_id,
            attempt=i.attempt,
            stage=stage,
            deadline=i.deadline,
            examiners=s.examiners,
            written_before=i.written_before,
            oral_before=i.oral_before,
            final_before=i.final_before,
            written_after=s.written_after,
            oral_adjustment_after=s.oral_adjustment_after,
            final_after=s.final_after,
            credits_after=s.credits_after,
            registered_at=s.registered_at,
            decided_at=s.decided_at,
            pending_action=self._PENDING[stage],
        )

    def _row(self) -> AppealRow:
        d = self.detail()
        assert d.registered_at is not None
        return AppealRow(
            appeal_id=d.appeal_workflow_id,
            participant_id=d.participant_workflow_id,
            group_id=d.group_workflow_id,
            cohort=self.input.cohort,
            person_id=d.person_id,
            attempt=d.attempt,
            stage=d.stage,
            written_before=d.written_before.value,
            final_before=d.final_before.value,
            written_after=d.written_after.value if d.written_after else None,
            oral_adjustment_after=d.oral_adjustment_after,
            final_after=d.final_after.value if d.final_after else None,
            credits_after=d.credits_after,
            registered_at=d.registered_at,
            decided_at=d.decided_at,
        )


def _refuse(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise refused(refusal)
