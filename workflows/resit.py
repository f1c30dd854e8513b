"""One person's re-sit after a failed exam (ny eksamen) or a valid absence from the oral (utsatt eksamen), from
registration to the grade that counts."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.models import ProjectInput
    from activities.resits import ResitActivities
    from domain import resits as rules
    from domain.grading import adjustment_refusal
    from workflows import notices as n
    from workflows.effects import SHORT, Effects, drain
    from workflows.refusing import refuse, refused
    from workflows.resit_messages import (
        ResitActionResult,
        ResitDetail,
        ResitInput,
        ResitOralInput,
        ResitResult,
        ResitRow,
        ResitStage,
        ResitState,
        ResitWrittenInput,
    )


@workflow.defn
class ResitWorkflow:
    """A re-sit by one person: a new written grade and an oral unless it is an F, or after a valid absence the oral
    alone on the group's written grade; then the best grade counts.

    Updates: register_written_grade, register_oral_adjustment. Query: detail.
    """

    @workflow.init
    def __init__(self, input: ResitInput) -> None:
        self.input = input
        self.state = ResitState(written=input.written_before if input.postponed else None)
        self.effects = Effects()
        self.row_due = True

    @workflow.run
    async def run(self, input: ResitInput) -> ResitResult:
        self.state.registered_at = workflow.now()
        self.effects.accepted(input.registered_by, "register_resit", f"attempt {input.attempt}, {input.period.label}")
        registered = n.ResitRegistered(
            cohort=input.cohort,
            attempt=input.attempt,
            postponed=input.postponed,
            period_start=input.period.start,
            period_end=input.period.end,
        )
        self.effects.notice("registered", registered, [input.person_id])
        while True:
            await workflow.wait_condition(lambda: self._work_pending() or self.state.decided_at is not None)
            await self._flush()
            if self.state.decided_at is not None and not self._work_pending():
                break
        await drain(self._flush, self._work_pending)
        return ResitResult(detail=self.detail())

    def _work_pending(self) -> bool:
        return self.effects.pending or self.row_due

    async def _flush(self) -> None:
        if self.row_due:
            self.row_due = False
            await workflow.execute_activity_method(
                ResitActivities.record_resit, self._row(), start_to_close_timeout=SHORT
            )
        self.effects.projection_due = False  # a re-sit's row is its own (above), not the group's
        await self.effects.flush(ProjectInput())

    # ---- updates ------------------------------------------------------------------------------
    @workflow.update
    def register_written_grade(self, input: ResitWrittenInput) -> ResitActionResult:
        self.state.written = input.grade
        if not rules.needs_oral(input.grade):
            self._decide(None)
        return self._record(input.actor, "register_resit_written_grade", input.grade.value)

    @register_written_grade.validator
    def _validate_written(self, input: ResitWrittenInput) -> None:
        self._refuse_if_decided()
        if self.input.postponed and self.state.written is not None:
            refuse("resit.postponed_keeps_written", grade=self.state.written.value)
        if self.state.written is not None:
            refuse("resit.written_already_registered", grade=self.state.written.value)

    @workflow.update
    def register_oral_adjustment(self, input: ResitOralInput) -> ResitActionResult:
        self.state.oral_adjustment = input.adjustment
        self._decide(input.adjustment)
        return self._record(input.actor, "register_resit_oral_adjustment", f"{input.adjustment:+d}")

    @register_oral_adjustment.validator
    def _validate_oral(self, input: ResitOralInput) -> None:
        self._refuse_if_decided()
        written = self.state.written
        if written is None:
            refuse("resit.written_first")
        refusal = adjustment_refusal(written, input.adjustment, self.input.step_limit)
        if refusal is not None:
            raise refused(refusal)

    def _refuse_if_decided(self) -> None:
        if self.state.decided_at is not None:
            refuse("resit.decided")

    def _decide(self, adjustment: int | None) -> None:
        s, i = self.state, self.input
        assert s.written is not None  # the validators have checked it
        result = rules.outcome(i.grade_before, s.written, adjustment, i.step_limit)
        s.attempt_grade, s.grade_after, s.credits_after = result.attempt_grade, result.grade, result.credits
        s.decided_at = workflow.now()
        notice = n.ResitDecided(
            cohort=i.cohort,
            attempt=i.attempt,
            postponed=i.postponed,
            written=result.written_grade,
            attempt_grade=result.attempt_grade,
            grade_before=i.grade_before,
            grade_after=result.grade,
            credits=result.credits,
        )
        self.effects.notice("decided", notice, [i.person_id])

    def _record(self, actor: str, action: str, detail: str) -> ResitActionResult:
        self.state.examiners = [*self.state.examiners, actor]
        self.effects.accepted(actor, action, detail)
        self.row_due = True
        return ResitActionResult(stage=self._stage())

    # ---- views --------------------------------------------------------------------------------
    def _stage(self) -> ResitStage:
        if self.state.decided_at is not None:
            return "decided"
        return "awaiting_written" if self.state.written is None else "awaiting_oral"

    _PENDING: dict[str, str | None] = {
        "awaiting_written": "register the re-sit's written grade",
        "awaiting_oral": "register the re-sit's oral adjustment",
        "decided": None,
    }

    @workflow.query
    def detail(self) -> ResitDetail:
        i, s, stage = self.input, self.state, self._stage()
        return ResitDetail(
            resit_workflow_id=workflow.info().workflow_id,
            participant_workflow_id=i.participant_workflow_id,
            group_workflow_id=i.group_workflow_id,
            person_id=i.person_id,
            attempt=i.attempt,
            stage=stage,
            period=i.period,
            postponed=i.postponed,
            grade_before=i.grade_before,
            written=s.written,
            oral_adjustment=s.oral_adjustment,
            attempt_grade=s.attempt_grade,
            grade_after=s.grade_after,
            credits_after=s.credits_after,
            examiners=s.examiners,
            previous=i.previous,
            registered_at=s.registered_at,
            decided_at=s.decided_at,
            pending_action=self._PENDING[stage],
        )

    def _row(self) -> ResitRow:
        d = self.detail()
        assert d.registered_at is not None
        return ResitRow(
            resit_id=d.resit_workflow_id,
            participant_id=d.participant_workflow_id,
            group_id=d.group_workflow_id,
            cohort=self.input.cohort,
            person_id=d.person_id,
            attempt=d.attempt,
            stage=d.stage,
            period_label=d.period.label,
            period_end=d.period.end,
            grade_before=d.grade_before.value if d.grade_before else None,
            written=d.written.value if d.written else None,
            oral_adjustment=d.oral_adjustment,
            attempt_grade=d.attempt_grade.value if d.attempt_grade else None,
            grade_after=d.grade_after.value if d.grade_after else None,
            credits_after=d.credits_after,
            registered_at=d.registered_at,
            decided_at=d.decided_at,
        )
