"""What a group does when its calendar or its cohort says so: the notices of its due items, of its outcome and of
its published results. A mixin of GroupWorkflow, which holds the state, the effects and the signals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import exam
    from domain import requirements as rules
    from domain.calendar import DueItem, DueKind
    from domain.end_of_year.appeals import appeal_deadline
    from domain.end_of_year.explanations import last_moment
    from domain.lifecycle import Outcome
    from domain.models import CohortPlan
    from domain.requirements import RequirementState, RequirementStatus
    from workflows import notices as n
    from workflows import participant as participant_wf
    from workflows.effects import Effects, Signals
    from workflows.group_facts import GroupFacts
    from workflows.messages import GroupInput, OutcomeSignal
    from workflows.state import GroupState, Member


class GroupEvents:
    input: GroupInput
    plan: CohortPlan
    state: GroupState
    facts: GroupFacts
    effects: Effects
    signals: Signals
    grades_due: bool

    # provided by GroupWorkflow and GroupActions
    _group: Callable[[], n.GroupFacts]
    _requirement: Callable[[int], n.RequirementFacts]
    _notify: Callable[..., None]
    _set_requirement: Callable[[RequirementState], None]

    # ---- due items (a gathering's reminders are the cohort's: workflows/cohort_calendar.py) ---------------
    def _requirement_ahead(self, item: DueItem) -> None:
        self._notify(
            item.key,
            n.RequirementDeadlineAhead(
                **self._requirement(item.number), deadline=item.event_at, seconds_before=item.seconds_before
            ),
        )

    def _requirement_deadline(self, item: DueItem) -> None:
        updated = rules.deadline_passed(
            self.state.requirements[item.number - 1], timedelta(seconds=self.plan.resubmission_seconds)
        )
        self._set_requirement(updated)
        notice = (
            n.RequirementFailed(**self._requirement(item.number))
            if updated.status == RequirementStatus.FAILED
            else n.RequirementDeadlinePassed(
                **self._requirement(item.number), missed_deadline=item.event_at, resubmission_deadline=updated.deadline
            )
        )
        self._notify(item.key, notice)

    def _approval_waiting(self, item: DueItem) -> None:
        notice = n.ApprovalWaiting(
            **self._requirement(item.number),
            municipalities=self.input.application.municipalities,
            submitted_at=item.event_at,
        )
        self.effects.notice(item.key, notice, [], staff=True)

    def _written_ahead(self, item: DueItem) -> None:
        self._notify(
            item.key,
            n.WrittenDeadlineAhead(cohort=self.plan.cohort, deadline=item.event_at, seconds_before=item.seconds_before),
        )

    def _written_deadline(self, item: DueItem) -> None:
        self.state.written_missed = True
        self._notify(item.key, n.WrittenDeadlineMissed(cohort=self.plan.cohort, deadline=item.event_at))
        self.grades_due = True

    def _oral_time(self, item: DueItem) -> None:
        notice = n.OralExamTime(
            cohort=self.plan.cohort,
            start=self.plan.oral_start,
            end=self.plan.oral_end,
            step_limit=self.plan.oral_step_limit,
        )
        self.effects.notice(item.key, notice, self._examined())

    def _oral_scheduled(self, item: DueItem) -> None:
        slot = self.state.oral_slot
        if slot is None or slot.start != item.event_at:  # moved since: the new time has its own item
            return
        notice = n.OralScheduled(
            cohort=self.plan.cohort, start=slot.start, place=slot.place, step_limit=self.plan.oral_step_limit
        )
        self.effects.notice(item.key, notice, self._examined())

    def _examined(self) -> list[str]:
        return [m.person_id for m in self.facts.active() if self.facts.ineligibility(m) is None]

    _DUE: dict[DueKind, Callable[[GroupEvents, DueItem], None]] = {
        DueKind.REQUIREMENT_AHEAD: _requirement_ahead,
        DueKind.REQUIREMENT_DEADLINE: _requirement_deadline,
        DueKind.APPROVAL_WAITING: _approval_waiting,
        DueKind.WRITTEN_AHEAD: _written_ahead,
        DueKind.WRITTEN_DEADLINE: _written_deadline,
        DueKind.ORAL_TIME: _oral_time,
        DueKind.ORAL_SCHEDULED: _oral_scheduled,
    }

    # ---- the cohort's word ----------------------------------------------------------------------
    def _outcome_notice(self, input: OutcomeSignal) -> n.Notice | None:
        first = self.plan.gatherings[0].start
        match input.outcome:
            case Outcome.ADMITTED:
                return n.Admitted(**self._group(), first_gathering=first, answer_deadline=input.answer_by)
            case Outcome.MOVED_UP:
                return n.MovedUp(**self._group(), first_gathering=first, answer_deadline=input.answer_by)
            case Outcome.WAITLIST:
                return n.Waitlisted(**self._group(), position=input.position or 1, first_gathering=first)
            case Outcome.NOT_SELECTED:
                return n.NotSelected(**self._group())
            case Outcome.GAVE_UP:
                return n.PlaceGivenUp(**self._group(), ended_by=input.ended_by)
        return None

    def _publish_member(self, member: Member) -> None:
        cohort = self.plan.cohort
        if member.certificate == "course_certificate":
            self.effects.notice(f"certificate:{member.number}", n.CertificateIssued(cohort=cohort), [member.person_id])
        elif member.final_grade is not None:
            appeal_until = appeal_deadline(workflow.now(), self.plan.appeal_seconds)  # the rule's, to the second
            notice = n.ResultPublished(
                cohort=cohort,
                grade=member.final_grade,
                credits=member.credits,
                appeal_deadline=appeal_until,
                explanation_deadline=last_moment(workflow.now(), self.plan.explanation_seconds),
            )
            self.effects.notice(f"result:{member.number}", notice, [member.person_id])
        elif not member.withdrawn:  # a withdrawn member was told at withdrawal
            reason = exam.no_result_reason(member.facts(self.facts.approved), self.plan, self.facts.no_exam)
            self.effects.notice(f"result:{member.number}", n.NoResult(cohort=cohort, reason=reason), [member.person_id])
        member.ended = True
        final = self.facts.final(member)
        self.signals.add(member.participant_workflow_id, participant_wf.ParticipantWorkflow.final, final)
