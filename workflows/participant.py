"""One participant: the person's own lifecycle (track, withdrawal) and how it ended. The group owns the facts it
decides (attendance, requirements, eligibility, the written grade) and tells them here once, with the end."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.models import ProjectInput
    from domain.models import Track
    from domain.reasons import reason
    from workflows import notices as n
    from workflows.effects import Effects, Signals, drain
    from workflows.messages import (
        MEMBER_STATUS_SIGNAL,
        DecideAssessmentInput,
        FinalSignal,
        MemberStatusSignal,
        ParticipantActionResult,
        ParticipantDetail,
        ParticipantInput,
        ParticipantResult,
        WithdrawParticipantInput,
    )
    from workflows.refusing import refuse
    from workflows.state import ParticipantState


@workflow.defn
class ParticipantWorkflow:
    """A participant of an admitted group, from admission to grade, certificate or another end.

    Updates: decide_assessment, withdraw. Signal (from the group): final. Query: detail (the group-owned fields
    only after the end; gateway.queries.participant_detail composes them with the group's while it runs).
    """

    @workflow.init
    def __init__(self, input: ParticipantInput) -> None:
        self.input = input
        self.state = input.state or ParticipantState(track=input.track)
        self.effects = Effects(self.state.actions)
        self.effects.projection_due = False  # the group writes this participant's row
        self.signals = Signals()
        self.status_due = False  # the group knows the track from the application; it hears of each milestone

    @workflow.run
    async def run(self, input: ParticipantInput) -> ParticipantResult:
        while True:
            await workflow.wait_condition(lambda: self._work_pending() or self.state.ended)
            await self._flush()
            if self.state.ended and not self._work_pending():
                break
            if workflow.info().is_continue_as_new_suggested():
                await drain(self._flush, self._work_pending)
                self.state.actions = self.effects.actions
                workflow.continue_as_new(self.input.model_copy(update={"state": self.state}))
        await drain(self._flush, self._work_pending)
        return ParticipantResult(detail=self.detail())

    def _work_pending(self) -> bool:
        return bool(self.effects.notices or self.effects.audit or self.status_due or self.signals)

    async def _flush(self) -> None:
        if self.status_due:
            self.status_due = False
            status = MemberStatusSignal(
                participant_workflow_id=self.input.participant_workflow_id,
                track=self.state.track,
                withdrawn=self.state.withdrawn,
            )
            self.signals.add(self.input.group_workflow_id, MEMBER_STATUS_SIGNAL, status)
        await self.signals.send()
        await self.effects.flush(ProjectInput())

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
    def final(self, input: FinalSignal) -> None:
        for field, value in input:
            setattr(self.state, field, value)
        self.state.ended = True

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
