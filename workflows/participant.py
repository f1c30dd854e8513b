"""One participant: track, attendance, withdrawal, exam eligibility, and how it ended."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.models import ParticipantRow, ProjectInput
    from domain.models import Track
    from domain.reasons import reason
    from workflows import notices as n
    from workflows.effects import Effects, Signals, drain
    from workflows.messages import (
        MEMBER_STATUS_SIGNAL,
        AttendanceSignal,
        DecideAssessmentInput,
        FinalSignal,
        MemberStatusSignal,
        ParticipantActionResult,
        ParticipantDetail,
        ParticipantInput,
        ParticipantResult,
        ProgressSignal,
        WithdrawParticipantInput,
    )
    from workflows.refusing import refuse
    from workflows.state import ParticipantState


@workflow.defn
class ParticipantWorkflow:
    """A participant of an admitted group, from admission to grade, certificate or another end.

    Updates: decide_assessment, withdraw. Signals (from the group): attendance, progress, final.
    Query: detail.
    """

    @workflow.init
    def __init__(self, input: ParticipantInput) -> None:
        self.input = input
        self.state = input.state or ParticipantState(track=input.track)
        self.effects = Effects(self.state.actions)
        self.signals = Signals()
        self.status_due = input.state is None  # tell the group our track once at start

    @workflow.run
    async def run(self, input: ParticipantInput) -> ParticipantResult:
        while True:
            await workflow.wait_condition(lambda: self._work_pending() or self.state.ended)
            await self._flush()
            if self.state.ended and not self.effects.pending:
                break
            if workflow.info().is_continue_as_new_suggested():
                await drain(self._flush, self._work_pending)
                self.state.actions = self.effects.actions
                workflow.continue_as_new(self.input.model_copy(update={"state": self.state}))
        await drain(self._flush, self._work_pending)
        return ParticipantResult(detail=self.detail())

    def _work_pending(self) -> bool:
        return bool(self.effects.pending or self.status_due or self.signals)

    async def _flush(self) -> None:
        if self.status_due:
            self.status_due = False
            status = MemberStatusSignal(
                participant_workflow_id=self.input.participant_workflow_id,
                track=self.state.track,
                withdrawn=self.state.withdrawn,
                attendance_days=len(self.state.attended),
            )
            self.signals.add(self.input.group_workflow_id, MEMBER_STATUS_SIGNAL, status)
        await self.signals.send()
        await self.effects.flush(ProjectInput(participants=[self._row()]))

    # ---- updates ------------------------------------------------------------------------------
    @workflow.update
    def decide_assessment(self, input: DecideAssessmentInput) -> ParticipantActionResult:
        self.state.track = input.track
        self._record(input.actor, "decide_assessment", track=input.track.value)
        return self._action_result()

    @decide_assessment.validator
    def _validate_decide_assessment(self, input: DecideAssessmentInput) -> None:
        self._refuse_if_ended()
        if self.state.track != Track.ASSESSMENT:
            refuse("participant.no_assessment_pending", track=self.state.track.value)
        if input.track == Track.ASSESSMENT:
            refuse("participant.assessment_needs_track")

    @workflow.update
    def withdraw(self, input: WithdrawParticipantInput) -> ParticipantActionResult:
        self.state.withdrawn = True
        self._record(input.actor, "withdraw_participant", reason=input.reason)
        self.effects.notice("withdrawn", n.Withdrawn(cohort=self.input.cohort), [self.input.person_id])
        return self._action_result()

    @withdraw.validator
    def _validate_withdraw(self, input: WithdrawParticipantInput) -> None:
        self._refuse_if_ended()
        if self.state.withdrawn:
            refuse("participant.already_withdrawn")

    def _refuse_if_ended(self) -> None:
        if self.state.ended and self.state.end_reason is None:  # a grade or a course certificate
            refuse("participant.results_published")
        if self.state.ended:  # the end reason is kept in English; the participant's page says it in Norwegian
            refuse("participant.ended")

    def _record(self, actor: str, action: str, **params: str | int | None) -> None:
        self.effects.accepted(actor, action, params=params)
        self.status_due = True

    def _action_result(self) -> ParticipantActionResult:
        return ParticipantActionResult(track=self.state.track, withdrawn=self.state.withdrawn)

    # ---- signals from the group ---------------------------------------------------------------
    @workflow.signal
    def attendance(self, input: AttendanceSignal) -> None:
        key = f"{input.gathering}:{input.day}"
        attended = [k for k in self.state.attended if k != key] + ([key] if input.present else [])
        self.state.attended = sorted(attended)
        self.effects.changed()

    @workflow.signal
    def progress(self, input: ProgressSignal) -> None:
        if not self.state.withdrawn:  # the group's later approvals are not this person's work
            self.state.requirements_approved = input.requirements_approved
        self.state.non_participating, self.state.group_no_exam = input.non_participating, input.group_no_exam
        self.state.written_grade, self.state.ineligible_reason = input.written_grade, input.ineligible_reason
        self.effects.changed()

    @workflow.signal
    def final(self, input: FinalSignal) -> None:
        for field, value in input:
            setattr(self.state, field, value)
        self.state.ended = True
        self.effects.changed()

    # ---- views --------------------------------------------------------------------------------
    @workflow.query
    def detail(self) -> ParticipantDetail:
        why = reason("reason.withdrawn") if self.state.withdrawn else self.state.ineligible_reason
        return ParticipantDetail(
            participant_workflow_id=self.input.participant_workflow_id,
            group_workflow_id=self.input.group_workflow_id,
            sector=self.input.sector,
            track=self.state.track,
            attendance=self.state.attended,
            attendance_days=len(self.state.attended),
            withdrawn=self.state.withdrawn,
            non_participating=self.state.non_participating,
            requirements_approved=self.state.requirements_approved,
            exam_eligible=why is None,
            ineligible_reason=why,
            written_grade=self.state.written_grade,
            oral_adjustment=self.state.oral_adjustment,
            final_grade=self.state.final_grade,
            credits=self.state.credits,
            certificate=self.state.certificate,
            end_reason=self.state.end_reason,
            ended=self.state.ended,
        )

    def _row(self) -> ParticipantRow:
        d = self.detail()
        stage = "ended" if d.ended else ("withdrawn" if d.withdrawn else "active")
        return ParticipantRow(
            participant_id=d.participant_workflow_id,
            group_id=d.group_workflow_id,
            cohort=self.input.cohort,
            sector=d.sector,
            track=d.track.value,
            stage=stage,
            attendance_days=d.attendance_days,
            requirements_approved=d.requirements_approved,
            withdrawn=d.withdrawn,
            non_participating=d.non_participating,
            exam_eligible=d.exam_eligible,
            written_grade=d.written_grade.value if d.written_grade else None,
            oral_adjustment=d.oral_adjustment,
            final_grade=d.final_grade.value if d.final_grade else None,
            credits=d.credits,
            certificate=d.certificate,
            replaced=d.end_reason is not None and d.end_reason.code == "reason.replaced",
            end_reason=d.end_reason.code if d.end_reason else None,
            person_id=self.input.person_id,
        )
