"""One person's appeal (klage) of the written part of their exam, from registration to the final result."""

from __future__ import annotations

from typing import ClassVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.end_of_year import EndOfYearActivities
    from domain.end_of_year import appeals as rules
    from domain.end_of_year.appeals import AppealOutcome
    from domain.refusals import Refusal
    from workflows import notices as n
    from workflows.effects import SHORT
    from workflows.end_of_year.messages import (
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
        WithdrawAppealInput,
    )
    from workflows.end_of_year.step import Params, Step
    from workflows.refusing import refuse, refused


@workflow.defn
class AppealWorkflow(Step):
    """An appeal by one person of one attempt; ends with the new result, which is final.

    Updates: assign_examiners, register_new_written_grade, register_new_oral_adjustment, withdraw_appeal. Query: detail.
    A withdrawn appeal ends undecided: the grade stays as it was.
    """

    DECIDED = Refusal("appeal.decided")
    WITHDRAWN = Refusal("appeal.withdrawn")
    WRITTEN_FIRST = Refusal("appeal.written_first")
    PENDING: ClassVar[dict[str, str | None]] = {
        "awaiting_examiners": "pending.appeal_examiners",
        "awaiting_written": "pending.appeal_written",
        "awaiting_oral": "pending.appeal_oral",
        "decided": None,
        "withdrawn": None,
    }
    input: AppealInput
    state: AppealState

    @workflow.init
    def __init__(self, input: AppealInput) -> None:
        self._begin(input, AppealState())

    @workflow.run
    async def run(self, input: AppealInput) -> AppealResult:
        self.state.registered_at = workflow.now()
        received = input.received.isoformat() if input.received else None
        params = {"participant": input.participant_workflow_id, "received": received}
        self.effects.accepted(input.registered_by, "register_appeal", params=params)
        await self._until_decided()
        return AppealResult(detail=self.detail())

    async def _write_row(self) -> None:
        await workflow.execute_activity_method(
            EndOfYearActivities.record_appeal, self._row(), start_to_close_timeout=SHORT
        )

    # ---- updates ------------------------------------------------------------------------------
    @workflow.update
    def assign_examiners(self, input: AssignExaminersInput) -> AppealActionResult:
        self.state.examiners = list(input.examiners)
        return self._record(input.actor, "assign_examiners", {"examiners": ", ".join(input.examiners)})

    @assign_examiners.validator
    def _validate_assign_examiners(self, input: AssignExaminersInput) -> None:
        self._refuse_if_decided()
        if self.state.written_after is not None:
            refuse("appeal.examiners_locked")
        refusal = rules.examiners_refusal(self.input.first_examiners, list(input.examiners))
        if refusal is not None:
            raise refused(refusal)

    @workflow.update
    def register_new_written_grade(self, input: NewWrittenGradeInput) -> AppealActionResult:
        self.state.written_after = input.grade
        if not rules.needs_new_oral(self.input.written_before, input.grade):
            self._decide(rules.outcome_without_oral(self.input.written_before, self.input.final_before, input.grade))
        return self._record(input.actor, "register_new_written_grade", {"grade": input.grade.value})

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
        return self._record(input.actor, "register_new_oral_adjustment", {"adjustment": f"{input.adjustment:+d}"})

    @register_new_oral_adjustment.validator
    def _validate_new_oral(self, input: NewOralAdjustmentInput) -> None:
        self._refuse_if_decided()
        self._refuse_unless_examiner(input.actor)
        written = self.state.written_after
        oral = None if written is None else rules.new_oral_refusal(written, input.adjustment, self.input.step_limit)
        self._refuse_oral(written, oral)

    @workflow.update
    def withdraw_appeal(self, input: WithdrawAppealInput) -> AppealActionResult:
        self.state.withdrawn_at = workflow.now()
        notice = n.AppealWithdrawn(
            cohort=self.input.cohort, grade=self.input.final_before, withdrawn_by_self=input.by_participant
        )
        self.effects.notice("withdrawn", notice, [self.input.person_id])
        return self._record(input.actor, "withdraw_appeal", {})

    @withdraw_appeal.validator
    def _validate_withdraw(self, input: WithdrawAppealInput) -> None:
        decided, withdrawn = self.state.decided_at is not None, self.state.withdrawn_at is not None
        refusal = rules.withdrawal_refusal(decided, withdrawn)
        if refusal is not None:
            raise refused(refusal)

    def _ended(self) -> bool:
        return self.state.decided_at is not None or self.state.withdrawn_at is not None

    def _refuse_if_decided(self) -> None:
        if self.state.withdrawn_at is not None:
            raise refused(self.WITHDRAWN)
        super()._refuse_if_decided()

    def _refuse_unless_examiner(self, actor: str) -> None:
        if not self.state.examiners:
            refuse("appeal.examiners_missing")
        if actor not in self.state.examiners:
            refuse("appeal.not_examiner", actor=actor, examiners=", ".join(self.state.examiners))

    def _decide(self, outcome: AppealOutcome) -> None:
        self.state.final_after = outcome.final_grade
        self._decided_now(outcome.credits)
        notice = n.AppealDecided(
            cohort=self.input.cohort,
            written_before=self.input.written_before,
            written_after=outcome.written_grade,
            grade_before=self.input.final_before,
            grade_after=outcome.final_grade,
            credits=outcome.credits,
        )
        self.effects.notice("decided", notice, [self.input.person_id])

    def _record(self, actor: str, action: str, params: Params) -> AppealActionResult:
        self._accept(actor, action, params)
        return AppealActionResult(stage=self._stage())

    # ---- views --------------------------------------------------------------------------------
    def _stage(self) -> AppealStage:
        s = self.state
        if s.decided_at is not None:
            return "decided"
        if s.withdrawn_at is not None:
            return "withdrawn"
        if not s.examiners:
            return "awaiting_examiners"
        return "awaiting_written" if s.written_after is None else "awaiting_oral"

    @workflow.query
    def detail(self) -> AppealDetail:
        i, s = self.input, self.state
        return AppealDetail(
            **self._shared_detail(self._stage()),
            appeal_workflow_id=workflow.info().workflow_id,
            deadline=i.deadline,
            received=i.received,
            withdrawn_at=s.withdrawn_at,
            written_before=i.written_before,
            oral_before=i.oral_before,
            final_before=i.final_before,
            written_after=s.written_after,
            oral_adjustment_after=s.oral_adjustment_after,
            final_after=s.final_after,
        )

    def _row(self) -> AppealRow:
        s = self.state
        return AppealRow(
            **self._shared_row(self._stage()),
            appeal_id=workflow.info().workflow_id,
            received=self.input.received,
            withdrawn_at=s.withdrawn_at,
            written_before=self.input.written_before.value,
            final_before=self.input.final_before.value,
            written_after=s.written_after.value if s.written_after else None,
            oral_adjustment_after=s.oral_adjustment_after,
            final_after=s.final_after.value if s.final_after else None,
        )
