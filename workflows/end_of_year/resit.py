"""One person's re-sit after a failed exam (ny eksamen) or a valid absence from the oral (utsatt eksamen), from
registration to the grade that counts."""

from __future__ import annotations

from typing import ClassVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.end_of_year import EndOfYearActivities
    from domain.end_of_year import resits as rules
    from domain.end_of_year.common import has_oral
    from domain.grading import adjustment_refusal
    from domain.refusals import Refusal
    from workflows import notices as n
    from workflows.effects import SHORT
    from workflows.end_of_year.messages import (
        NewOralAdjustmentInput,
        NewWrittenGradeInput,
        ResitActionResult,
        ResitDetail,
        ResitInput,
        ResitResult,
        ResitRow,
        ResitStage,
        ResitState,
    )
    from workflows.end_of_year.step import Params, Step
    from workflows.refusing import refuse


@workflow.defn
class ResitWorkflow(Step):
    """A re-sit by one person: a new written grade and an oral unless it is an F, or after a valid absence the oral
    alone on the group's written grade; then the best grade counts.

    Updates: register_written_grade, register_oral_adjustment. Query: detail.
    """

    DECIDED = Refusal("resit.decided")
    WRITTEN_FIRST = Refusal("resit.written_first")
    PENDING: ClassVar[dict[str, str | None]] = {
        "awaiting_written": "pending.resit_written",
        "awaiting_oral": "pending.resit_oral",
        "decided": None,
    }
    input: ResitInput
    state: ResitState

    @workflow.init
    def __init__(self, input: ResitInput) -> None:
        self._begin(input, ResitState(written=input.written_before if input.postponed else None))

    @workflow.run
    async def run(self, input: ResitInput) -> ResitResult:
        self.state.registered_at = workflow.now()
        params: Params = {"attempt": input.attempt, "period": input.period.label}
        self.effects.accepted(input.registered_by, "register_resit", params=params)
        registered = n.ResitRegistered(
            cohort=input.cohort,
            attempt=input.attempt,
            postponed=input.postponed,
            period_start=input.period.start,
            period_end=input.period.end,
        )
        self.effects.notice("registered", registered, [input.person_id])
        await self._until_decided()
        return ResitResult(detail=self.detail())

    async def _write_row(self) -> None:
        await workflow.execute_activity_method(
            EndOfYearActivities.record_resit, self._row(), start_to_close_timeout=SHORT
        )

    # ---- updates ------------------------------------------------------------------------------
    @workflow.update
    def register_written_grade(self, input: NewWrittenGradeInput) -> ResitActionResult:
        self.state.written = input.grade
        if not has_oral(input.grade):
            self._decide(None)
        return self._record(input.actor, "register_resit_written_grade", {"grade": input.grade.value})

    @register_written_grade.validator
    def _validate_written(self, input: NewWrittenGradeInput) -> None:
        self._refuse_if_decided()
        if self.input.postponed and self.state.written is not None:
            refuse("resit.postponed_keeps_written", grade=self.state.written.value)
        if self.state.written is not None:
            refuse("resit.written_already_registered", grade=self.state.written.value)

    @workflow.update
    def register_oral_adjustment(self, input: NewOralAdjustmentInput) -> ResitActionResult:
        self.state.oral_adjustment = input.adjustment
        self._decide(input.adjustment)
        return self._record(input.actor, "register_resit_oral_adjustment", {"adjustment": f"{input.adjustment:+d}"})

    @register_oral_adjustment.validator
    def _validate_oral(self, input: NewOralAdjustmentInput) -> None:
        self._refuse_if_decided()
        written = self.state.written
        oral = None if written is None else adjustment_refusal(written, input.adjustment, self.input.step_limit)
        self._refuse_oral(written, oral)

    def _decide(self, adjustment: int | None) -> None:
        s, i = self.state, self.input
        assert s.written is not None  # the validators have checked it
        result = rules.outcome(i.grade_before, s.written, adjustment, i.step_limit)
        s.attempt_grade, s.grade_after = result.attempt_grade, result.grade
        self._decided_now(result.credits)
        notice = n.ResitDecided(
            cohort=i.cohort,
            attempt=i.attempt,
            postponed=i.postponed,
            written=result.written_grade,
            attempt_grade=result.attempt_grade,
            grade_before=i.grade_before,
            grade_after=result.grade,
            credits=result.credits,
            attempts_max=i.attempts_max,
        )
        self.effects.notice("decided", notice, [i.person_id])

    def _record(self, actor: str, action: str, params: Params) -> ResitActionResult:
        self.state.examiners = [*self.state.examiners, actor]
        self._accept(actor, action, params)
        return ResitActionResult(stage=self._stage())

    # ---- views --------------------------------------------------------------------------------
    def _stage(self) -> ResitStage:
        if self.state.decided_at is not None:
            return "decided"
        return "awaiting_written" if self.state.written is None else "awaiting_oral"

    @workflow.query
    def detail(self) -> ResitDetail:
        i, s = self.input, self.state
        return ResitDetail(
            **self._shared_detail(self._stage()),
            resit_workflow_id=workflow.info().workflow_id,
            period=i.period,
            postponed=i.postponed,
            grade_before=i.grade_before,
            written=s.written,
            oral_adjustment=s.oral_adjustment,
            attempt_grade=s.attempt_grade,
            grade_after=s.grade_after,
            previous=i.previous,
        )

    def _row(self) -> ResitRow:
        i, s = self.input, self.state
        return ResitRow(
            **self._shared_row(self._stage()),
            resit_id=workflow.info().workflow_id,
            period_label=i.period.label,
            period_end=i.period.end,
            grade_before=i.grade_before.value if i.grade_before else None,
            written=s.written.value if s.written else None,
            oral_adjustment=s.oral_adjustment,
            attempt_grade=s.attempt_grade.value if s.attempt_grade else None,
            grade_after=s.grade_after.value if s.grade_after else None,
        )
