"""One person's appeal (klage) of the written part of their exam, from registration to the final result."""

from __future__ import annotations

from typing import ClassVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.end_of_year import EndOfYearActivities
    from domain import orals
    from domain.calendar import DueItem, DueKind
    from domain.end_of_year import appeals as rules
    from domain.end_of_year import commission
    from domain.end_of_year.appeals import AppealOutcome
    from domain.models import Grade
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
        CommissionDecisionInput,
        CommissionGradeInput,
        NewOralAdjustmentInput,
        ScheduleNewOralInput,
        WithdrawAppealInput,
    )
    from workflows.end_of_year.step import Params, Step
    from workflows.messages import Pending
    from workflows.refusing import refuse, refused


@workflow.defn
class AppealWorkflow(Step):
    """An appeal by one person of one attempt, assessed by a commission; ends with the new result, which is final.

    Updates: assign_examiners (the commission), register_commission_grade (each member's own),
    register_new_written_grade (the commission's grade), further_assessment (when that is two or more from the first),
    schedule_new_oral (its time and place, by the administration; the person gets a letter the plan's notice ahead,
    a new one when it changes), register_new_oral_adjustment (once the new oral has a time), withdraw_appeal.
    Query: detail. A withdrawn appeal ends undecided: the grade stays as it was.
    """

    DECIDED = Refusal("appeal.decided")
    WITHDRAWN = Refusal("appeal.withdrawn")
    WRITTEN_FIRST = Refusal("appeal.written_first")
    PENDING: ClassVar[dict[str, str | None]] = {
        "awaiting_examiners": "pending.appeal_examiners",
        "awaiting_commission": "pending.appeal_commission_grades",
        "awaiting_decision": "pending.appeal_commission_decision",
        "further_assessment": "pending.appeal_further",
        "awaiting_written": "pending.appeal_written",
        "awaiting_oral": "pending.appeal_oral",  # once the new oral has its time; before, pending.appeal_oral_schedule
        "decided": None,
        "withdrawn": None,
    }
    input: AppealInput
    state: AppealState

    @workflow.init
    def __init__(self, input: AppealInput) -> None:
        self._begin(input, AppealState())
        self.appointed = 0

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
        self.state.external = [e for e in input.examiners if e in input.external]
        self.appointed += 1  # a commission replaced before anyone graded gets its own letter
        notice = n.AppealCommissionAppointed(
            cohort=self.input.cohort,
            examiners=len(self.state.examiners),
            external=len(self.state.external),
            attempt=self.input.attempt,
        )
        self.effects.notice(f"commission-{self.appointed}", notice, [self.input.person_id])
        return self._record(input.actor, "assign_examiners", {"examiners": ", ".join(input.examiners)})

    @assign_examiners.validator
    def _validate_assign_examiners(self, input: AssignExaminersInput) -> None:
        self._refuse_if_decided()
        if self.state.commission_grades or self.state.written_after is not None:
            refuse("appeal.examiners_locked")
        members = [commission.Member(username=e, external=e in input.external) for e in input.examiners]
        refusal = commission.commission_refusal(self.input.first_examiners, members)
        if refusal is not None:
            raise refused(refusal)

    @workflow.update
    def register_commission_grade(self, input: CommissionGradeInput) -> AppealActionResult:
        self.state.commission_grades = {**self.state.commission_grades, input.actor: input.grade}
        return self._record(input.actor, "register_commission_grade", {"grade": input.grade.value})

    @register_commission_grade.validator
    def _validate_commission_grade(self, input: CommissionGradeInput) -> None:
        self._refuse_if_decided()
        refusal = commission.grade_refusal(self.state.examiners, self.state.commission_grades, input.actor)
        if refusal is not None:
            raise refused(refusal)

    @workflow.update
    def register_new_written_grade(self, input: CommissionDecisionInput) -> AppealActionResult:
        """The commission's grade: fixed at once, or assessed further when two or more from the first."""
        self.state.commission_grade = input.grade
        if commission.needs_further_assessment(self.input.written_before, input.grade):
            self.state.further_assessment = True
            notice = n.AppealFurtherAssessment(cohort=self.input.cohort)
            self.effects.notice("further-assessment", notice, [self.input.person_id])
        else:
            self._fix(input.grade)
        return self._record(input.actor, "register_new_written_grade", {"grade": input.grade.value})

    @register_new_written_grade.validator
    def _validate_new_written_grade(self, input: CommissionDecisionInput) -> None:
        self._refuse_if_decided()
        self._refuse_unless_commission(input)
        if self.state.commission_grade is not None:
            refuse("appeal.commission_decided")
        refusal = commission.decision_refusal(self.state.examiners, self.state.commission_grades, input.grade)
        if refusal is not None:
            raise refused(refusal)

    @workflow.update
    def further_assessment(self, input: CommissionDecisionInput) -> AppealActionResult:
        """The grade the further assessment fixes, with all documents at hand: any grade."""
        self._fix(input.grade)
        return self._record(input.actor, "further_assessment", {"grade": input.grade.value})

    @further_assessment.validator
    def _validate_further_assessment(self, input: CommissionDecisionInput) -> None:
        self._refuse_if_decided()
        self._refuse_unless_commission(input)
        if not self.state.further_assessment or self.state.written_after is not None:
            refuse("appeal.no_further_assessment")

    def _fix(self, grade: Grade) -> None:
        """The new written grade is fixed: decided now, unless a changed grade needs a new oral."""
        self.state.written_after = grade
        if not rules.needs_new_oral(self.input.written_before, grade):
            self._decide(rules.outcome_without_oral(self.input.written_before, self.input.final_before, grade))

    def _refuse_unless_commission(self, input: CommissionDecisionInput) -> None:
        if not self.state.examiners:
            refuse("appeal.examiners_missing")
        if not input.by_admin and input.actor not in self.state.examiners:
            refuse("appeal.not_commission", actor=input.actor)

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
        if written is not None and self.state.new_oral is None:
            refuse("appeal.new_oral_not_scheduled")  # nobody was told of an oral: none can have been held
        self._refuse_oral(written, oral)

    @workflow.update
    def schedule_new_oral(self, input: ScheduleNewOralInput) -> AppealActionResult:
        self.state.new_oral = input.slot
        self.state.new_oral_revision += 1  # a new letter, the plan's notice ahead (or at once): _due
        params = {"start": input.slot.start.isoformat(), "place": input.slot.place}
        return self._record(input.actor, "schedule_new_oral", params)

    @schedule_new_oral.validator
    def _validate_schedule_new_oral(self, input: ScheduleNewOralInput) -> None:
        self._refuse_if_decided()
        if self._stage() != "awaiting_oral":
            refuse("appeal.new_oral_not_due")
        refusal = orals.new_oral_refusal(input.slot, workflow.now())
        if refusal is not None:
            raise refused(refusal)

    def _due(self) -> list[DueItem]:
        """The letter with the new oral's time and place, unless it has gone out (or the appeal has ended)."""
        s = self.state
        if s.new_oral is None or s.new_oral_notified == s.new_oral_revision or self._ended():
            return []
        at = orals.notice_at(s.new_oral.start, self.input.oral_notice_seconds)
        return [
            DueItem(kind=DueKind.APPEAL_ORAL_SCHEDULED, at=at, event_at=s.new_oral.start, revision=s.new_oral_revision)
        ]

    def _on_due(self, item: DueItem) -> None:
        s, written = self.state, self.state.written_after
        if s.new_oral is None or written is None or item.revision != s.new_oral_revision or self._ended():
            return  # moved since (the new time has its own timer), or nothing more to tell
        s.new_oral_notified = item.revision
        notice = n.AppealOralScheduled(
            cohort=self.input.cohort,
            start=s.new_oral.start,
            place=s.new_oral.place,
            written_after=written,
            step_limit=self.input.step_limit,
        )
        self.effects.notice(f"new-oral-{item.revision}", notice, [self.input.person_id])

    @workflow.update
    def withdraw_appeal(self, input: WithdrawAppealInput) -> AppealActionResult:
        self.state.withdrawn_at = workflow.now()
        notice = n.AppealWithdrawn(
            cohort=self.input.cohort,
            grade=self._counting_before(),
            withdrawn_by_self=input.by_participant,
            attempt=self.input.attempt,
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

    def _resit(self) -> bool:
        """An appeal of a re-sit's grade: the best of the grade before the re-sit and the attempt's new one counts."""
        return self.input.attempt > 1

    def _counting_before(self) -> Grade:
        before = self.input.final_before
        return rules.counted_before(before, self.input.grade_before_attempt) if self._resit() else before

    def _decide(self, outcome: AppealOutcome) -> None:
        if self._resit():
            outcome = rules.counting(outcome, self.input.grade_before_attempt)
        self.state.final_after, self.state.attempt_grade_after = outcome.final_grade, outcome.attempt_grade
        self._decided_now(outcome.credits)
        notice = n.AppealDecided(
            cohort=self.input.cohort,
            written_before=self.input.written_before,
            written_after=outcome.written_grade,
            grade_before=self._counting_before(),
            grade_after=outcome.final_grade,
            credits=outcome.credits,
            further_assessment=self.state.further_assessment,
            attempt=self.input.attempt,
            attempt_grade_before=self.input.final_before if self._resit() else None,
            attempt_grade_after=outcome.attempt_grade,
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
        if s.written_after is not None:
            return "awaiting_oral"
        if s.commission_grade is not None:
            return "further_assessment"
        return "awaiting_decision" if set(s.examiners) <= set(s.commission_grades) else "awaiting_commission"

    @workflow.query
    def detail(self) -> AppealDetail:
        i, s = self.input, self.state
        shared = self._shared_detail(self._stage())
        if shared["stage"] == "awaiting_oral" and s.new_oral is None:
            shared["pending_action"] = Pending.of("pending.appeal_oral_schedule")
        return AppealDetail(
            **shared,
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
            grade_before_attempt=i.grade_before_attempt,
            attempt_grade_after=s.attempt_grade_after,
            external=s.external,
            commission_grades=s.commission_grades,
            commission_grade=s.commission_grade,
            further_assessment=s.further_assessment,
            new_oral=s.new_oral,
        )

    def _row(self) -> AppealRow:
        s = self.state
        return AppealRow(
            **self._shared_row(self._stage()),
            appeal_id=workflow.info().workflow_id,
            examiners=f",{','.join(s.examiners)}," if s.examiners else None,
            received=self.input.received,
            withdrawn_at=s.withdrawn_at,
            written_before=self.input.written_before.value,
            final_before=self.input.final_before.value,
            written_after=s.written_after.value if s.written_after else None,
            oral_adjustment_after=s.oral_adjustment_after,
            final_after=s.final_after.value if s.final_after else None,
            new_oral_at=s.new_oral.start if s.new_oral else None,
            new_oral_place=s.new_oral.place if s.new_oral else None,
        )
