"""The group's admin actions: each an update with a validator that refuses with the reason before anything is
written to history. A mixin of GroupWorkflow, which holds the state, the effects and the notices."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import exam
    from domain import requirements as rules
    from domain.grading import adjustment_refusal
    from domain.lifecycle import IN_PROGRAMME
    from domain.models import CohortPlan, Enrolment, Grade
    from domain.orals import slot_refusal
    from domain.reasons import Reason, reason
    from domain.refusals import Problem, Refusal
    from domain.requirements import RequirementState, RequirementStatus
    from workflows import notices as n
    from workflows.effects import Effects, Signals
    from workflows.group_facts import GroupFacts
    from workflows.messages import (
        ActionResult,
        AttendanceInput,
        ExtensionInput,
        MarkNonParticipatingInput,
        OralAdjustment,
        OralInput,
        ReplaceParticipantInput,
        RequirementInput,
        RequirementResult,
        ReturnRequirementInput,
        ScheduleOralInput,
        SubmitRequirementInput,
        SubmitWrittenInput,
        WrittenGradeInput,
    )
    from workflows.refusing import refuse, refused
    from workflows.state import GroupState, Member


class GroupActions:
    plan: CohortPlan
    state: GroupState
    facts: GroupFacts
    effects: Effects
    signals: Signals
    grades_due: bool

    # provided by GroupWorkflow
    _new_member: Callable[[int, Enrolment], Member]
    _end_member: Callable[[Member, Reason], None]
    _requirement: Callable[[int], n.RequirementFacts]
    _notify: Callable[..., None]
    _record: Callable[..., ActionResult]

    # ---- updates: work requirements -----------------------------------------------------------
    @workflow.update
    def submit_requirement(self, input: SubmitRequirementInput) -> RequirementResult:
        submitted = rules.submit(self._req(input), workflow.now(), input.document)
        return self._requirement_action(input, "submit_requirement", submitted, document=input.document)

    @submit_requirement.validator
    def _validate_submit_requirement(self, input: SubmitRequirementInput) -> None:
        self._check(lambda: rules.submit(self._req(input), workflow.now()))

    @workflow.update
    def approve_requirement(self, input: RequirementInput) -> RequirementResult:
        self._notify(f"requirement:{input.number}:approved", n.RequirementApproved(**self._requirement(input.number)))
        return self._requirement_action(input, "approve_requirement", rules.approve(self._req(input)))

    @approve_requirement.validator
    def _validate_approve_requirement(self, input: RequirementInput) -> None:
        self._check(lambda: rules.approve(self._req(input)))

    @workflow.update
    def return_requirement(self, input: ReturnRequirementInput) -> RequirementResult:
        updated = self._returned(input)
        facts = self._requirement(input.number)
        notice = (
            n.RequirementFailed(**facts, feedback=input.feedback)
            if updated.status == RequirementStatus.FAILED
            else n.RequirementReturned(**facts, feedback=input.feedback, resubmission_deadline=updated.deadline)
        )
        self._notify(f"requirement:{input.number}:returned:{updated.submissions}", notice)
        return self._requirement_action(input, "return_requirement", updated, feedback=input.feedback)

    @return_requirement.validator
    def _validate_return_requirement(self, input: ReturnRequirementInput) -> None:
        self._check(lambda: self._returned(input))

    def _returned(self, input: ReturnRequirementInput) -> RequirementState:
        return rules.return_with_feedback(
            self._req(input), input.feedback, workflow.now(), timedelta(seconds=self.plan.resubmission_seconds)
        )

    @workflow.update
    def grant_extension(self, input: ExtensionInput) -> RequirementResult:
        updated = self._extended(input)
        return self._requirement_action(input, "grant_extension", updated, deadline=input.deadline.isoformat())

    @grant_extension.validator
    def _validate_grant_extension(self, input: ExtensionInput) -> None:
        self._check(lambda: self._extended(input))

    def _extended(self, input: ExtensionInput) -> RequirementState:
        return rules.extend(self._req(input), input.deadline, workflow.now(), latest=self.plan.oral_end)

    def _req(self, input: RequirementInput) -> RequirementState:
        self._require_programme()
        return self.state.requirements[input.number - 1]

    def _requirement_action(
        self, input: RequirementInput, action: str, updated: RequirementState, **params: str | None
    ) -> RequirementResult:
        self._set_requirement(updated)
        self._record(input.actor, action, requirement=input.number, **params)
        return RequirementResult(number=updated.number, status=updated.status, deadline=updated.deadline)

    def _set_requirement(self, updated: RequirementState) -> None:
        self.state.requirements[updated.number - 1] = updated
        self.grades_due = self.grades_due or updated.status == RequirementStatus.FAILED
        self.effects.changed()

    # ---- updates: members ---------------------------------------------------------------------
    @workflow.update
    def mark_non_participating(self, input: MarkNonParticipatingInput) -> ActionResult:
        self._active_member(input.participant_workflow_id).non_participating = True
        return self._record(input.actor, "mark_non_participating", participant=input.participant_workflow_id)

    @mark_non_participating.validator
    def _validate_mark_non_participating(self, input: MarkNonParticipatingInput) -> None:
        self._require_programme()
        if self.state.grades_computed:
            refuse("group.grades_already_computed")
        if self._active_member(input.participant_workflow_id).non_participating:
            refuse("group.already_non_participating", participant=input.participant_workflow_id)

    @workflow.update
    def replace_participant(self, input: ReplaceParticipantInput) -> ActionResult:
        old = self._active_member(input.participant_workflow_id)
        self._end_member(old, reason("reason.replaced"))
        old.replaced = True
        new = self._new_member(len(self.state.members) + 1, input.replacement)
        self.state.members.append(new)
        return self._record(
            input.actor,
            "replace_participant",
            participant=old.participant_workflow_id,
            replacement=new.participant_workflow_id,
        )

    @replace_participant.validator
    def _validate_replace_participant(self, input: ReplaceParticipantInput) -> None:
        self._require_programme()
        if workflow.now() >= self.plan.gatherings[0].start:
            refuse("group.replacement_after_first_gathering")
        old = self._active_member(input.participant_workflow_id)
        staying = [m for m in self.facts.active() if m.number != old.number and not m.withdrawn]
        if any(m.person_id == input.replacement.person_id for m in staying):
            refuse("group.replacement_already_member")
        if len({m.sector for m in staying} | {input.replacement.sector.value}) < 2:
            refuse("group.replacement_sectors")

    @workflow.update
    def register_attendance(self, input: AttendanceInput) -> ActionResult:
        for registered in input.days:
            key = f"{input.gathering}:{registered.day}"
            for member in self.facts.active():
                present = member.participant_workflow_id in registered.present
                member.attended = sorted({*member.attended, key} if present else set(member.attended) - {key})
        return self._record(
            input.actor,
            "register_attendance",
            gathering=input.gathering,
            **{f"present_day_{d.day}": len(d.present) for d in input.days},
        )

    @register_attendance.validator
    def _validate_register_attendance(self, input: AttendanceInput) -> None:
        self._require_programme()
        started = (
            input.gathering <= len(self.plan.gatherings)
            and workflow.now() >= self.plan.gatherings[input.gathering - 1].start
        )
        days = [d.day for d in input.days]
        self._check(lambda: exam.check_attendance(self.plan, input.gathering, days, started))
        members = {m.participant_workflow_id for m in self.facts.active() if not m.withdrawn}
        unknown = sorted({p for d in input.days for p in d.present} - members)
        if unknown:
            refuse("group.attendance_not_members", participants=", ".join(unknown))

    # ---- updates: exam ------------------------------------------------------------------------
    @workflow.update
    def submit_written(self, input: SubmitWrittenInput) -> ActionResult:
        self.state.written_submitted_at = workflow.now()
        self.state.written_document = input.document
        return self._record(input.actor, "submit_written", document=input.document)

    @submit_written.validator
    def _validate_submit_written(self, input: SubmitWrittenInput) -> None:
        self._require_programme()
        if self.facts.no_exam:  # the reason's own words, from the catalogue
            refuse("group.no_exam", reason=self.facts.no_exam.text())
        if self.state.written_submitted_at is not None:
            refuse("group.written_already_submitted")
        if workflow.now() > self.plan.written_deadline:
            refuse("group.written_deadline_passed", deadline=self.plan.written_deadline.isoformat())

    @workflow.update
    def register_written_grade(self, input: WrittenGradeInput) -> ActionResult:
        self.state.written_grade = input.grade
        self.grades_due = input.grade == Grade.F or not self.facts.oral_candidates()  # nothing for an oral to adjust
        return self._record(input.actor, "register_written_grade", grade=input.grade.value)

    @register_written_grade.validator
    def _validate_register_written_grade(self, input: WrittenGradeInput) -> None:
        self._require_programme()
        if self.state.written_submitted_at is None:
            refuse("group.written_not_submitted")
        if self.state.written_grade is not None:
            refuse("group.written_already_graded", grade=self.state.written_grade.value)

    @workflow.update
    def schedule_oral(self, input: ScheduleOralInput) -> ActionResult:
        self.state.oral_slot = input.slot
        self.state.oral_slot_revision += 1
        return self._record(input.actor, "schedule_oral", start=input.slot.start.isoformat(), place=input.slot.place)

    @schedule_oral.validator
    def _validate_schedule_oral(self, input: ScheduleOralInput) -> None:
        self._require_programme()
        if self.facts.no_exam:
            refuse("group.no_exam", reason=self.facts.no_exam.text())
        if self.state.grades_computed:
            refuse("group.oral_already_registered")
        refusal = slot_refusal(self.plan, input.slot, workflow.now())
        if refusal is not None:
            raise refused(refusal)

    @workflow.update
    def register_oral(self, input: OralInput) -> ActionResult:
        for item in input.adjustments:
            member = self._active_member(item.participant_workflow_id)
            member.oral_adjustment = None if item.absent else item.adjustment
            member.oral_absent = item.absent
        self.grades_due = True
        adjusted = [f"{a.participant_workflow_id} {a.adjustment:+d}" for a in input.adjustments if not a.absent]
        absent = [a.participant_workflow_id for a in input.adjustments if a.absent]
        return self._record(
            input.actor, "register_oral", adjustments=", ".join(adjusted) or None, absent=", ".join(absent) or None
        )

    @register_oral.validator
    def _validate_register_oral(self, input: OralInput) -> None:
        self._require_programme()
        written = self.state.written_grade
        if written is None:
            refuse("group.oral_before_written_grade")
        if self.state.grades_computed:
            refuse("group.oral_already_registered")
        candidates = {m.participant_workflow_id for m in self.facts.oral_candidates()}
        examined = [a for a in input.adjustments if a.participant_workflow_id in candidates]
        problems = self._not_one_each([a.participant_workflow_id for a in input.adjustments], candidates)
        problems += self._refused_adjustments(examined, written)
        if problems:
            raise refused(Refusal.of(problems))

    def _not_one_each(self, given: list[str], candidates: set[str]) -> list[Problem]:
        """One adjustment for each member who sits the oral, and none for anyone else."""
        outsiders = [g for g in given if g not in candidates]
        missing = sorted(candidates - set(given))
        repeated = sorted({g for g in given if given.count(g) > 1})
        problems: list[Problem] = []
        if outsiders:
            problems += Refusal("group.oral_not_examined", participants=", ".join(outsiders)).problems
        if missing:
            problems += Refusal("group.oral_adjustments_missing", participants=", ".join(missing)).problems
        if repeated:
            problems += Refusal("group.oral_adjustments_repeated", participants=", ".join(repeated)).problems
        return problems

    def _refused_adjustments(self, adjustments: list[OralAdjustment], written: Grade) -> list[Problem]:
        """Each adjustment the grading rules refuse: for whom, then why (the same adjustment, the same reason)."""
        whom: dict[int, list[str]] = {}
        for a in adjustments:
            if not a.absent:
                whom.setdefault(a.adjustment, []).append(a.participant_workflow_id)
        problems: list[Problem] = []
        for adjustment, participants in whom.items():
            refusal = adjustment_refusal(written, adjustment, self.plan.oral_step_limit)
            if refusal is not None:
                problems += Refusal("group.oral_adjustment_refused", participants=", ".join(participants)).problems
                problems += refusal.problems
        return problems

    # ---- rules helpers ------------------------------------------------------------------------
    def _check(self, attempt: Callable[[], object]) -> None:
        try:
            attempt()
        except Refusal as refusal:
            raise refused(refusal) from None

    def _require_programme(self) -> None:
        if self.state.outcome not in IN_PROGRAMME:
            refuse("group.not_in_programme", outcome=self.state.outcome.value)
        if self.state.published:
            refuse("group.results_published")

    def _active_member(self, participant_workflow_id: str) -> Member:
        member = self.facts.member(participant_workflow_id)
        if member is None or not member.active:
            refuse("group.not_active_member", participant=participant_workflow_id)
        return member
