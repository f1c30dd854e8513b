"""What follows from a group's state under its plan: eligibility (computed here, once, for the group and its
participants), the stage, what waits for the administration, and the views of the group."""

from __future__ import annotations

from activities.models import ParticipantRow
from domain import exam
from domain.calendar import CalendarFacts
from domain.lifecycle import ENDED, IN_PROGRAMME
from domain.models import ApplicationFacts, CohortPlan, Track
from domain.reasons import Reason, reason
from domain.requirements import RequirementStatus
from workflows.messages import FinalSignal, GroupDetail, GroupStage, MemberView, Pending
from workflows.state import GroupState, Member

__all__ = ["GroupFacts"]


class GroupFacts:
    def __init__(self, plan: CohortPlan, state: GroupState) -> None:
        self.plan = plan
        self.state = state

    @property
    def in_programme(self) -> bool:
        return self.state.outcome in IN_PROGRAMME and not self.state.published

    @property
    def finished(self) -> bool:
        return self.state.outcome in ENDED or self.state.published

    @property
    def approved(self) -> int:
        return exam.approved_count(self.state.requirements)

    @property
    def no_exam(self) -> Reason | None:
        return exam.no_exam_reason(self.state.requirements, self.state.written_missed)

    def active(self, started_only: bool = False) -> list[Member]:
        """Members who have not been replaced (a withdrawn one is still shown and graded as withdrawn)."""
        return [m for m in self.state.members if not m.replaced and (m.started or not started_only)]

    def member(self, participant_workflow_id: str) -> Member | None:
        return next((m for m in self.state.members if m.participant_workflow_id == participant_workflow_id), None)

    def ineligibility(self, member: Member) -> Reason | None:
        return exam.member_ineligibility(member.facts(self.approved), self.plan, self.no_exam)

    def oral_candidates(self) -> list[Member]:
        return [m for m in self.active() if exam.sits_oral(self.state.written_grade, self.ineligibility(m))]

    def recipients(self, contact: str) -> list[str]:
        return [contact, *(m.person_id for m in self.active() if not m.withdrawn)]

    def calendar(self) -> CalendarFacts:
        return CalendarFacts(
            running=self.in_programme and self.no_exam is None,
            requirements=self.state.requirements,
            written_submitted=self.state.written_submitted_at is not None,
            written_missed=self.state.written_missed,
            oral_due=self.state.written_grade is not None and exam.sits_oral(self.state.written_grade, None),
            oral_slot=self.state.oral_slot.start if self.state.oral_slot else None,
            oral_revision=self.state.oral_slot_revision,
            reminders_from=self.state.reminders_from,
        )

    def stage(self) -> GroupStage:
        s = self.state
        return exam.group_stage(
            s.outcome,
            s.published,
            self.no_exam is not None,
            s.grades_computed,
            s.written_grade is not None,
            all(r.status == RequirementStatus.APPROVED for r in s.requirements),
            s.written_submitted_at is not None,
        )

    def ready_to_publish(self) -> bool:
        return exam.ready_to_publish(self.state.outcome, self.state.grades_computed)

    def requirements_approved(self, member: Member) -> int:
        return self.approved if member.approved_at_withdrawal is None else member.approved_at_withdrawal

    def final(self, m: Member, why: Reason | None = None) -> FinalSignal:
        """The member's end: the result when released (`why` None), or the reason the group ends the study."""
        released = why is None
        return FinalSignal(
            final_grade=m.final_grade if released else None,
            oral_adjustment=m.oral_adjustment if released else None,
            credits=m.credits if released else 0,
            certificate=m.certificate if released else None,
            end_reason=m.end_reason if released else why,
            attended=list(m.attended),
            requirements_approved=self.requirements_approved(m),
            non_participating=m.non_participating,
            written_grade=self.state.written_grade,
            ineligible_reason=self.ineligibility(m),
        )

    def participant_row(self, m: Member, group_workflow_id: str) -> ParticipantRow:
        """The member's row in the read model, as the participant's detail says it (gateway.queries)."""
        why = reason("reason.withdrawn") if m.withdrawn else self.ineligibility(m)
        end = m.end_reason if m.ended else None
        return ParticipantRow(
            participant_id=m.participant_workflow_id,
            group_id=group_workflow_id,
            cohort=self.plan.cohort,
            sector=m.sector,
            track=m.track.value,
            stage="ended" if m.ended else ("withdrawn" if m.withdrawn else "active"),
            attendance_days=len(m.attended),
            requirements_approved=self.requirements_approved(m),
            withdrawn=m.withdrawn,
            non_participating=m.non_participating,
            exam_eligible=why is None,
            written_grade=self.state.written_grade.value if self.state.written_grade else None,
            oral_adjustment=m.oral_adjustment if m.ended else None,
            final_grade=m.final_grade.value if m.ended and m.final_grade else None,
            credits=m.credits if m.ended else 0,
            certificate=m.certificate if m.ended else None,
            replaced=m.replaced,
            end_reason=end.code if end else None,
            person_id=m.person_id,
        )

    def pending_actions(self) -> list[Pending]:
        actions = [
            Pending.of("pending.requirement", number=r.number)
            for r in self.state.requirements
            if r.status == RequirementStatus.SUBMITTED
        ]
        actions += [
            Pending.of("pending.assessment", participant=m.participant_workflow_id)
            for m in self.active()
            if m.track == Track.ASSESSMENT and not m.withdrawn
        ]
        if self.state.written_submitted_at and self.state.written_grade is None:
            actions.append(Pending.of("pending.written_grade"))
        if self.oral_candidates() and not self.state.grades_computed:
            actions.append(Pending.of("pending.oral"))
        return actions

    def view(self, m: Member) -> MemberView:
        reason = self.ineligibility(m)
        return MemberView(
            participant_workflow_id=m.participant_workflow_id,
            person_id=m.person_id,
            sector=m.sector,
            track=m.track,
            withdrawn=m.withdrawn,
            replaced=m.replaced,
            non_participating=m.non_participating,
            attendance_days=len(m.attended),
            exam_eligible=reason is None,
            ineligible_reason=reason,
            oral_adjustment=m.oral_adjustment,
            final_grade=m.final_grade,
            credits=m.credits,
            certificate=m.certificate,
            oral_absent=m.oral_absent,
            started=m.started,
            attendance=list(m.attended),
            requirements_approved=self.requirements_approved(m),
        )

    def detail(self, group_workflow_id: str, application: ApplicationFacts, actions: int) -> GroupDetail:
        s = self.state
        return GroupDetail(
            group_workflow_id=group_workflow_id,
            application_id=application.id,
            municipalities=list(application.municipalities),
            outcome=s.outcome,
            stage=self.stage(),
            requirements=list(s.requirements),
            written_submitted=s.written_submitted_at is not None,
            written_grade=s.written_grade,
            written_missed=s.written_missed,
            oral_slot=s.oral_slot,
            members=[self.view(m) for m in s.members],
            written_document=s.written_document,
            project=s.project,
            project_reports=list(s.project_reports),
            supervision=list(s.supervision),
            pending_actions=self.pending_actions(),
            admin_actions=actions,
            published_at=s.published_at,
        )
