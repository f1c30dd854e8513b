"""One municipality group (one application) from outcome to the combined grade of each member."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.grades import ComputeGradesInput, ComputeGradesResult, MemberGradeInput
    from activities.models import GroupRow, NoticeKind, ProjectInput, Recipient
    from domain import requirements as rules
    from domain.admission import _participant_errors, track
    from domain.eligibility import REQUIREMENTS, MemberFacts, completed_course, ineligibility
    from domain.grading import adjustment_error
    from domain.models import Grade, Track
    from domain.requirements import AWAITING_SUBMISSION, RequirementState, RequirementStatus, RuleViolation
    from domain.selection import entry_for
    from workflows import search
    from workflows.effects import SHORT, Effects, drain, recipient, signal_all, signal_quietly
    from workflows.ids import participant_workflow_id
    from workflows.messages import (
        ActionResult,
        AttendanceInput,
        AttendanceSignal,
        AuditRecord,
        ExtensionInput,
        FinalSignal,
        GroupDetail,
        GroupInput,
        GroupReport,
        GroupResult,
        GroupStage,
        GroupState,
        MarkNonParticipatingInput,
        Member,
        MemberStatusSignal,
        MemberView,
        OralInput,
        Outcome,
        OutcomeSignal,
        ParticipantInput,
        ProgressSignal,
        PublishSignal,
        ReplaceParticipantInput,
        RequirementInput,
        RequirementResult,
        ReturnRequirementInput,
        SubmitWrittenInput,
        WrittenGradeInput,
    )
    from workflows.participant import ParticipantWorkflow

IN_PROGRAMME = {Outcome.ADMITTED, Outcome.MOVED_UP}
ENDED_OUTCOMES = {Outcome.NOT_SELECTED, Outcome.GAVE_UP, Outcome.REFUSED}


@workflow.defn
class GroupWorkflow:
    """A municipality group: outcome, gatherings, work requirements, written assignment, oral, grades.

    Signals: outcome (from the cohort), member_status (from its participants), publish (from the cohort).
    Updates: submit_requirement, approve_requirement, return_requirement, grant_extension,
    mark_non_participating, replace_participant, register_attendance, submit_written,
    register_written_grade, register_oral.
    Query: detail.
    """

    @workflow.init
    def __init__(self, input: GroupInput) -> None:
        self.input = input
        self.plan = input.plan
        self.id = workflow.info().workflow_id
        self.state = input.state or GroupState(
            requirements=[RequirementState(number=i + 1, deadline=w.deadline) for i, w in enumerate(self.plan.work_requirements)],
            members=[self._new_member(i + 1, p) for i, p in enumerate(input.application.participants)],
        )
        self.effects = Effects()
        self.progress_due = False
        self.grades_due = False
        self.reported_stage: str | None = None
        self.pending_signals: list[tuple[str, str, object]] = []
        self.entry = entry_for(input.application.municipalities)

    def _new_member(self, number: int, person) -> Member:  # type: ignore[no-untyped-def]
        return Member(number=number, participant_workflow_id=participant_workflow_id(self.id, number),
                      sector=person.sector.value, track=track(person), participant=person)

    # ---- main loop ----------------------------------------------------------------------------
    @workflow.run
    async def run(self, input: GroupInput) -> GroupResult:
        if input.state is None:
            self.effects.notice("received", NoticeKind.APPLICATION_RECEIVED, [self._contact()],
                                application=input.application_id)
        while not self._finished():
            await self._flush()
            if workflow.info().is_continue_as_new_suggested():
                await drain(self._flush, self._work_pending)
                workflow.continue_as_new(self.input.model_copy(update={"state": self.state}))
            await self._wait_for_work()
        await drain(self._flush, self._work_pending)
        return GroupResult(detail=self.detail())

    def _finished(self) -> bool:
        done = self.state.outcome in ENDED_OUTCOMES or self.state.published
        return done and not self._work_pending()

    def _work_pending(self) -> bool:
        return bool(self.effects.pending or self.progress_due or self.grades_due or self.pending_signals
                    or self.reported_stage != self._stage() or self._members_to_start())

    async def _wait_for_work(self) -> None:
        wake = lambda: self._work_pending() or self._finished_outcome()  # noqa: E731
        due = self._next_timer()
        if due is None:
            await workflow.wait_condition(wake)
            return
        wait = (due[0] - workflow.now()).total_seconds()
        if wait > 0:
            try:
                await workflow.wait_condition(wake, timeout=timedelta(seconds=wait))
                return
            except TimeoutError:
                pass
        for at, key in self._timers():  # everything due at once, flushed together
            if at <= workflow.now():
                self._fire(key)

    async def _flush(self) -> None:
        await asyncio.gather(*(self._start_participant(m) for m in self._members_to_start()))
        if self.grades_due:
            await self._compute_grades()
        signals, self.pending_signals = self.pending_signals, []
        if self.progress_due:
            self.progress_due = False
            signals += [(m.participant_workflow_id, "progress", self._progress(m))
                        for m in self._active_members(started_only=True)]
        await signal_all(signals)
        stage = self._stage()
        if self.reported_stage != stage:
            self.reported_stage = stage
            workflow.upsert_search_attributes([search.STAGE.value_set(stage.value)])
            report = GroupReport(application_id=self.input.application_id, stage=stage.value,
                                 ready_to_publish=self._ready_to_publish(), finished=self._finished_outcome())
            await signal_quietly(self.input.cohort_workflow_id, "group_report", report)
        await self.effects.flush(ProjectInput(groups=[self._row()]))

    def _finished_outcome(self) -> bool:
        return self.state.outcome in ENDED_OUTCOMES or self.state.published

    def _members_to_start(self) -> list[Member]:
        if self.state.outcome not in IN_PROGRAMME or self.state.published:
            return []
        return [m for m in self.state.members if not m.started and not m.replaced]

    async def _start_participant(self, member: Member) -> None:
        await workflow.start_child_workflow(
            ParticipantWorkflow.run,
            ParticipantInput(group_workflow_id=self.id, participant_workflow_id=member.participant_workflow_id,
                             cohort=self.plan.cohort, participant=member.participant, track=member.track, plan=self.plan),
            id=member.participant_workflow_id,
            parent_close_policy=ParentClosePolicy.ABANDON,  # participants outlive a continue-as-new of the group
            search_attributes=TypedSearchAttributes([
                SearchAttributePair(search.COHORT, self.plan.cohort), SearchAttributePair(search.STAGE, "active"),
                SearchAttributePair(search.KOMMUNENUMMER, list(self.input.application.municipalities))]),
        )
        # re-read: a handler may have changed this member while the start was awaited
        current = self.state.members[member.number - 1]
        self._set_member(current.model_copy(update={"started": True}))
        self.progress_due = True

    # ---- timers -------------------------------------------------------------------------------
    def _timers(self) -> list[tuple[datetime, str]]:
        if self.state.outcome not in IN_PROGRAMME or self.state.published or self._no_exam():
            return []
        events: list[tuple[datetime, str]] = []
        for i, gathering in enumerate(self.plan.gatherings, 1):
            events += [(gathering.start - timedelta(seconds=s), f"gathering:{i}:ahead:{int(s)}")
                       for s in self.plan.reminder_seconds_before]
        for req in self.state.requirements:
            stamp = int(req.deadline.timestamp())
            if req.status in AWAITING_SUBMISSION:
                events += [(req.deadline - timedelta(seconds=s), f"requirement:{req.number}:ahead:{int(s)}:{stamp}")
                           for s in self.plan.reminder_seconds_before]
                events.append((req.deadline, f"requirement:{req.number}:deadline:{stamp}"))
            if req.status == RequirementStatus.SUBMITTED and req.submitted_at:
                waited = req.submitted_at + timedelta(seconds=self.plan.approval_reminder_seconds)
                events.append((waited, f"requirement:{req.number}:waiting:{req.submissions}"))
        if self.state.written_submitted_at is None and not self.state.written_missed:
            events += [(self.plan.written_deadline - timedelta(seconds=s), f"written:ahead:{int(s)}")
                       for s in self.plan.reminder_seconds_before]
            events.append((self.plan.written_deadline, "written:deadline"))
        if self.state.written_grade not in (None, Grade.F):
            events.append((self.plan.oral_start, "oral:time"))
        return sorted(e for e in events if e[1] not in self.state.fired)

    def _next_timer(self) -> tuple[datetime, str] | None:
        timers = self._timers()
        return timers[0] if timers else None

    def _fire(self, key: str) -> None:
        self.state.fired.append(key)
        self.effects.changed()
        parts = key.split(":")
        if parts[0] == "gathering":
            self._gathering_ahead(int(parts[1]), key)
        elif parts[0] == "requirement":
            self._requirement_timer(int(parts[1]), parts[2], key)
        elif key == "written:deadline":
            self.state = self.state.model_copy(update={"written_missed": True})
            self.effects.notice(key, NoticeKind.WRITTEN_DEADLINE_MISSED, self._group_recipients())
            self.grades_due = True
        elif parts[0] == "written":
            self._if_upcoming(self.plan.written_deadline, key, NoticeKind.WRITTEN_DEADLINE_AHEAD,
                              deadline=f"{self.plan.written_deadline:%d.%m.%Y %H:%M}")
        elif key == "oral:time":
            eligible = [recipient(m.participant) for m in self._active_members() if self._ineligibility(m) is None]
            self.effects.notice(key, NoticeKind.ORAL_EXAM_TIME, eligible,
                                start=f"{self.plan.oral_start:%d.%m.%Y %H:%M}")

    def _if_upcoming(self, target: datetime, key: str, kind: NoticeKind, **context: str) -> None:
        """Send a reminder only while it is the latest one due: not after the event, and not a 7-day reminder
        when the 1-day one is due too (a group moved up late, or an extension)."""
        now = workflow.now()
        ahead = float(key.split(":ahead:")[1].split(":")[0])
        later = [s for s in self.plan.reminder_seconds_before if s < ahead]
        if now < target and all(now < target - timedelta(seconds=s) for s in later):
            self.effects.notice(key, kind, self._group_recipients(), **context)

    def _gathering_ahead(self, number: int, key: str) -> None:
        gathering = self.plan.gatherings[number - 1]
        self._if_upcoming(gathering.start, key, NoticeKind.GATHERING_AHEAD, gathering=str(number),
                          theme=gathering.theme, start=f"{gathering.start:%d.%m.%Y %H:%M}", days=str(gathering.days))

    def _requirement_timer(self, number: int, event: str, key: str) -> None:
        req = self.state.requirements[number - 1]
        context = {"requirement": str(number), "title": self.plan.work_requirements[number - 1].title}
        if event == "ahead":
            self._if_upcoming(req.deadline, key, NoticeKind.REQUIREMENT_DEADLINE_AHEAD,
                              deadline=f"{req.deadline:%d.%m.%Y %H:%M}", **context)
        elif event == "deadline":
            updated = rules.deadline_passed(req, timedelta(seconds=self.plan.resubmission_seconds))
            self._set_requirement(updated)
            kind = NoticeKind.REQUIREMENT_FAILED if updated.status == RequirementStatus.FAILED else NoticeKind.REQUIREMENT_DEADLINE_PASSED
            self.effects.notice(key, kind, self._group_recipients(), deadline=f"{updated.deadline:%d.%m.%Y %H:%M}", **context)
        elif event == "waiting":
            staff = [Recipient(name="Studieadministrasjonen", email=self.input.staff_email)]
            self.effects.notice(key, NoticeKind.APPROVAL_WAITING, staff, group=self.input.application_id, **context)

    # ---- signals ------------------------------------------------------------------------------
    @workflow.signal
    def outcome(self, input: OutcomeSignal) -> None:
        if self.state.published or self.state.outcome in ENDED_OUTCOMES:
            return
        self.state = self.state.model_copy(update={"outcome": input.outcome})
        kinds = {Outcome.ADMITTED: NoticeKind.ADMITTED, Outcome.WAITLIST: NoticeKind.WAITLISTED,
                 Outcome.NOT_SELECTED: NoticeKind.NOT_SELECTED, Outcome.MOVED_UP: NoticeKind.MOVED_UP,
                 Outcome.GAVE_UP: NoticeKind.PLACE_GIVEN_UP}
        if input.outcome in kinds:
            self.effects.notice(f"outcome:{input.outcome.value}", kinds[input.outcome], self._group_recipients(),
                                application=self.input.application_id)
        if input.outcome == Outcome.GAVE_UP:
            for member in self._active_members(started_only=True):
                self._end_member(member, "the group gave up its place")
        self.effects.changed()

    @workflow.signal
    def member_status(self, input: MemberStatusSignal) -> None:
        member = self._member(input.participant_workflow_id)
        if member is not None:
            self._set_member(member.model_copy(update={"track": input.track, "withdrawn": input.withdrawn}))
            self.effects.changed()

    @workflow.signal
    def publish(self, input: PublishSignal) -> None:
        if self.state.published or not self._ready_to_publish():
            return
        self.state = self.state.model_copy(update={"published": True})
        for member in self._active_members(started_only=True):
            self._publish_member(member)
        self.effects.changed()

    def _publish_member(self, member: Member) -> None:
        if member.certificate == "course_certificate":
            self.effects.notice(f"certificate:{member.number}", NoticeKind.CERTIFICATE_ISSUED, [recipient(member.participant)])
        else:
            grade = member.final_grade.value if member.final_grade else "ingen karakter"
            appeal_until = workflow.now() + timedelta(seconds=self.plan.appeal_seconds)
            self.effects.notice(f"result:{member.number}", NoticeKind.RESULT_PUBLISHED, [recipient(member.participant)],
                                grade=grade, credits=str(member.credits), appeal_deadline=f"{appeal_until:%d.%m.%Y}",
                                reason=member.end_reason or "")
        final = FinalSignal(final_grade=member.final_grade, oral_adjustment=member.oral_adjustment,
                            credits=member.credits, certificate=member.certificate, end_reason=member.end_reason)
        self._signal_later(member.participant_workflow_id, "final", final)

    # ---- updates: work requirements -----------------------------------------------------------
    @workflow.update
    def submit_requirement(self, input: RequirementInput) -> RequirementResult:
        return self._apply_requirement(input, "submit_requirement", rules.submit(self._req(input), workflow.now()))

    @submit_requirement.validator
    def _validate_submit_requirement(self, input: RequirementInput) -> None:
        self._check(lambda: rules.submit(self._req(input), workflow.now()))

    @workflow.update
    def approve_requirement(self, input: RequirementInput) -> RequirementResult:
        result = self._apply_requirement(input, "approve_requirement", rules.approve(self._req(input)))
        self.effects.notice(f"requirement:{input.number}:approved", NoticeKind.REQUIREMENT_APPROVED,
                            self._group_recipients(), requirement=str(input.number))
        return result

    @approve_requirement.validator
    def _validate_approve_requirement(self, input: RequirementInput) -> None:
        self._check(lambda: rules.approve(self._req(input)))

    @workflow.update
    def return_requirement(self, input: ReturnRequirementInput) -> RequirementResult:
        updated = self._returned(input)
        result = self._apply_requirement(input, "return_requirement", updated, input.feedback)
        kind = NoticeKind.REQUIREMENT_FAILED if updated.status == RequirementStatus.FAILED else NoticeKind.REQUIREMENT_RETURNED
        self.effects.notice(f"requirement:{input.number}:returned:{updated.submissions}", kind, self._group_recipients(),
                            requirement=str(input.number), feedback=input.feedback,
                            deadline=f"{updated.deadline:%d.%m.%Y %H:%M}")
        return result

    @return_requirement.validator
    def _validate_return_requirement(self, input: ReturnRequirementInput) -> None:
        self._check(lambda: self._returned(input))

    def _returned(self, input: ReturnRequirementInput) -> RequirementState:
        return rules.return_with_feedback(self._req(input), input.feedback, workflow.now(),
                                          timedelta(seconds=self.plan.resubmission_seconds))

    @workflow.update
    def grant_extension(self, input: ExtensionInput) -> RequirementResult:
        updated = rules.extend(self._req(input), input.deadline, workflow.now())
        return self._apply_requirement(input, "grant_extension", updated, f"{input.deadline.isoformat()}")

    @grant_extension.validator
    def _validate_grant_extension(self, input: ExtensionInput) -> None:
        self._check(lambda: rules.extend(self._req(input), input.deadline, workflow.now()))

    def _req(self, input: RequirementInput) -> RequirementState:
        self._require_programme()
        return self.state.requirements[input.number - 1]

    def _apply_requirement(self, input: RequirementInput, action: str, updated: RequirementState, detail: str = "") -> RequirementResult:
        self._set_requirement(updated)
        self._record(input.actor, action, f"requirement {input.number}" + (f": {detail}" if detail else ""))
        return RequirementResult(number=updated.number, status=updated.status.value, deadline=updated.deadline)

    def _set_requirement(self, updated: RequirementState) -> None:
        requirements = list(self.state.requirements)
        requirements[updated.number - 1] = updated
        self.state = self.state.model_copy(update={"requirements": requirements})
        self.progress_due = True
        if updated.status == RequirementStatus.FAILED:
            self.grades_due = True

    # ---- updates: members ---------------------------------------------------------------------
    @workflow.update
    def mark_non_participating(self, input: MarkNonParticipatingInput) -> ActionResult:
        member = self._active_member(input.participant_workflow_id)
        self._set_member(member.model_copy(update={"non_participating": True}))
        self.progress_due = True
        self._record(input.actor, "mark_non_participating", input.participant_workflow_id)
        return ActionResult(stage=self._stage().value)

    @mark_non_participating.validator
    def _validate_mark_non_participating(self, input: MarkNonParticipatingInput) -> None:
        self._require_programme()
        self._require_not_graded()
        if self._active_member(input.participant_workflow_id).non_participating:
            raise ApplicationError(f"{input.participant_workflow_id} is already marked as not having taken part")

    @workflow.update
    def replace_participant(self, input: ReplaceParticipantInput) -> ActionResult:
        old = self._active_member(input.participant_workflow_id)
        self._end_member(old, "replaced before the first gathering")
        self._set_member(self.state.members[old.number - 1].model_copy(update={"replaced": True}))
        new = self._new_member(len(self.state.members) + 1, input.replacement)
        self.state = self.state.model_copy(update={"members": [*self.state.members, new]})
        self._record(input.actor, "replace_participant", f"{old.participant_workflow_id} -> {new.participant_workflow_id}")
        return ActionResult(stage=self._stage().value)

    @replace_participant.validator
    def _validate_replace_participant(self, input: ReplaceParticipantInput) -> None:
        self._require_programme()
        if workflow.now() >= self.plan.gatherings[0].start:
            raise ApplicationError("a participant can only be replaced before the first gathering")
        old = self._active_member(input.participant_workflow_id)
        staying = [m.participant for m in self._active_members() if m.number != old.number]
        if any(p.email == input.replacement.email for p in staying):
            raise ApplicationError("replacement: this person (by e-mail) is already in the group")
        errors = _participant_errors([*staying, input.replacement])
        if errors:
            raise ApplicationError("; ".join(errors))

    @workflow.update
    def register_attendance(self, input: AttendanceInput) -> ActionResult:
        key = f"{input.gathering}:{input.day}"
        for member in self._active_members():
            present = member.participant_workflow_id in input.present
            attended = sorted({*member.attended, key} if present else set(member.attended) - {key})
            self._set_member(member.model_copy(update={"attended": attended}))
            self._signal_later(member.participant_workflow_id, "attendance",
                               AttendanceSignal(gathering=input.gathering, day=input.day, present=present))
        self._record(input.actor, "register_attendance", f"gathering {input.gathering} day {input.day}: {len(input.present)} present")
        return ActionResult(stage=self._stage().value)

    @register_attendance.validator
    def _validate_register_attendance(self, input: AttendanceInput) -> None:
        self._require_programme()
        gathering = self.plan.gatherings[input.gathering - 1]
        if input.day > gathering.days:
            raise ApplicationError(f"gathering {input.gathering} has {gathering.days} days, not day {input.day}")
        if workflow.now() < gathering.start:
            raise ApplicationError(f"gathering {input.gathering} has not started yet")
        active = {m.participant_workflow_id for m in self._active_members()}
        unknown = sorted(set(input.present) - active)
        if unknown:
            raise ApplicationError(f"not active members of this group: {', '.join(unknown)}")

    # ---- updates: exam ------------------------------------------------------------------------
    @workflow.update
    def submit_written(self, input: SubmitWrittenInput) -> ActionResult:
        self.state = self.state.model_copy(update={"written_submitted_at": workflow.now()})
        self._record(input.actor, "submit_written")
        return ActionResult(stage=self._stage().value)

    @submit_written.validator
    def _validate_submit_written(self, input: SubmitWrittenInput) -> None:
        self._require_programme()
        if self._no_exam():
            raise ApplicationError("the group has no exam: " + self._no_exam_reason())
        if self.state.written_submitted_at is not None:
            raise ApplicationError("the written assignment is already submitted")
        if workflow.now() > self.plan.written_deadline:
            raise ApplicationError("the written deadline has passed")

    @workflow.update
    def register_written_grade(self, input: WrittenGradeInput) -> ActionResult:
        self.state = self.state.model_copy(update={"written_grade": input.grade})
        self.progress_due = True
        if input.grade == Grade.F or not self._oral_candidates():
            self.grades_due = True  # a written F is final; with no one to examine orally, grade now
        self._record(input.actor, "register_written_grade", input.grade.value)
        return ActionResult(stage=self._stage().value)

    @register_written_grade.validator
    def _validate_register_written_grade(self, input: WrittenGradeInput) -> None:
        self._require_programme()
        if self.state.written_submitted_at is None:
            raise ApplicationError("the written assignment has not been submitted; nothing to grade")
        if self.state.written_grade is not None:
            raise ApplicationError(f"the written assignment is already graded ({self.state.written_grade.value})")

    @workflow.update
    def register_oral(self, input: OralInput) -> ActionResult:
        for item in input.adjustments:
            member = self._active_member(item.participant_workflow_id)
            self._set_member(member.model_copy(update={"oral_adjustment": item.adjustment}))
        self.grades_due = True
        detail = ", ".join(f"{a.participant_workflow_id} {a.adjustment:+d}" for a in input.adjustments)
        self._record(input.actor, "register_oral", detail)
        return ActionResult(stage=self._stage().value)

    @register_oral.validator
    def _validate_register_oral(self, input: OralInput) -> None:
        self._require_programme()
        written = self.state.written_grade
        if written is None:
            raise ApplicationError("the written assignment has no grade yet; the oral adjusts it")
        if self.state.grades_computed:
            raise ApplicationError("the oral adjustments are already registered")
        candidates = {m.participant_workflow_id for m in self._oral_candidates()}
        given = [a.participant_workflow_id for a in input.adjustments]
        for item in input.adjustments:
            if item.participant_workflow_id not in candidates:
                raise ApplicationError(f"{item.participant_workflow_id} does not sit the oral exam")
            error = adjustment_error(written, item.adjustment, self.plan.oral_step_limit)
            if error:
                raise ApplicationError(f"{item.participant_workflow_id}: {error}")
        missing = sorted(candidates - set(given))
        if missing or len(given) != len(set(given)):
            raise ApplicationError(f"give one adjustment for each examined student; missing: {', '.join(missing) or 'none'}, repeated ones given")

    # ---- rules helpers ------------------------------------------------------------------------
    def _check(self, attempt) -> None:  # type: ignore[no-untyped-def]
        try:
            attempt()
        except RuleViolation as violation:
            raise ApplicationError(str(violation)) from None

    def _require_programme(self) -> None:
        if self.state.outcome not in IN_PROGRAMME:
            raise ApplicationError(f"the group is not in the programme (outcome: {self.state.outcome.value})")
        if self.state.published:
            raise ApplicationError("the results are published; the group's record is closed")

    def _require_not_graded(self) -> None:
        if self.state.grades_computed:
            raise ApplicationError("the grades are already computed")

    def _no_exam(self) -> bool:
        return self.state.written_missed or any(r.status == RequirementStatus.FAILED for r in self.state.requirements)

    def _no_exam_reason(self) -> str:
        failed = [str(r.number) for r in self.state.requirements if r.status == RequirementStatus.FAILED]
        return f"work requirement {', '.join(failed)} failed" if failed else "the written deadline was missed"

    def _facts(self, member: Member) -> MemberFacts:
        approved = sum(r.status == RequirementStatus.APPROVED for r in self.state.requirements)
        return MemberFacts(track=member.track, requirements_approved=approved, non_participating=member.non_participating,
                           withdrawn=member.withdrawn, attendance_days=len(member.attended))

    def _ineligibility(self, member: Member) -> str | None:
        reason = ineligibility(self._facts(member), sum(g.days for g in self.plan.gatherings), self.plan.attendance_threshold)
        if reason is None and self._no_exam():
            return "no exam for the group: " + self._no_exam_reason()
        return reason

    def _oral_candidates(self) -> list[Member]:
        if self.state.written_grade in (None, Grade.F):
            return []
        return [m for m in self._active_members() if self._ineligibility(m) is None]

    def _ready_to_publish(self) -> bool:
        return self.state.grades_computed or self.state.outcome in ENDED_OUTCOMES

    # ---- grades -------------------------------------------------------------------------------
    async def _compute_grades(self) -> None:
        self.grades_due = False
        members = [
            MemberGradeInput(participant_workflow_id=m.participant_workflow_id, track=m.track,
                             requirements_complete=completed_course(self._facts(m)) or self._facts(m).requirements_approved >= REQUIREMENTS,
                             exam_eligible=self._ineligibility(m) is None, ineligible_reason=self._ineligibility(m),
                             oral_adjustment=m.oral_adjustment)
            for m in self._active_members()
        ]
        if self.state.written_grade is None and not self._no_exam():
            return
        written = None if self._no_exam() else self.state.written_grade
        result = await workflow.execute_activity(
            "compute_grades", ComputeGradesInput(written_grade=written, step_limit=self.plan.oral_step_limit, members=members),
            result_type=ComputeGradesResult, start_to_close_timeout=SHORT)
        for graded in result.members:
            member = self._member(graded.participant_workflow_id)
            if member is not None:
                if member.track == Track.COURSE and not completed_course(self._facts(member)):
                    graded = graded.model_copy(update={"certificate": None})
                self._set_member(member.model_copy(update=graded.model_dump(exclude={"participant_workflow_id"})))
        self.state = self.state.model_copy(update={"grades_computed": True})
        self.effects.changed()

    # ---- members ------------------------------------------------------------------------------
    def _member(self, participant_workflow_id: str) -> Member | None:
        return next((m for m in self.state.members if m.participant_workflow_id == participant_workflow_id), None)

    def _active_member(self, participant_workflow_id: str) -> Member:
        member = self._member(participant_workflow_id)
        if member is None or member.replaced or member.withdrawn:
            raise ApplicationError(f"{participant_workflow_id} is not an active member of this group")
        return member

    def _active_members(self, started_only: bool = False) -> list[Member]:
        return [m for m in self.state.members if not m.replaced and (m.started or not started_only)]

    def _set_member(self, member: Member) -> None:
        members = list(self.state.members)
        members[member.number - 1] = member
        self.state = self.state.model_copy(update={"members": members})
        self.effects.changed()

    def _end_member(self, member: Member, reason: str) -> None:
        self._set_member(member.model_copy(update={"end_reason": reason}))
        if member.started:
            self._signal_later(member.participant_workflow_id, "final", FinalSignal(
                final_grade=None, oral_adjustment=None, credits=0, certificate=None, end_reason=reason))

    def _signal_later(self, workflow_id: str, signal: str, arg: object) -> None:
        self.pending_signals.append((workflow_id, signal, arg))

    def _progress(self, member: Member) -> ProgressSignal:
        approved = sum(r.status == RequirementStatus.APPROVED for r in self.state.requirements)
        return ProgressSignal(requirements_approved=approved, non_participating=member.non_participating,
                              group_no_exam=self._no_exam(), written_grade=self.state.written_grade)

    def _contact(self) -> Recipient:
        contact = self.input.application.contact
        return Recipient(name=contact.name, email=contact.email)

    def _group_recipients(self) -> list[Recipient]:
        people = [recipient(m.participant) for m in self._active_members() if not m.withdrawn]
        return [self._contact(), *people]

    def _record(self, actor: str, action: str, detail: str = "") -> None:
        self.state.audit.append(AuditRecord(actor=actor, action=action, at=workflow.now(), detail=detail))
        self.effects.accepted(actor, action, detail)

    # ---- views --------------------------------------------------------------------------------
    def _stage(self) -> GroupStage:
        simple = {Outcome.APPLIED: GroupStage.APPLIED, Outcome.WAITLIST: GroupStage.WAITLIST,
                  Outcome.NOT_SELECTED: GroupStage.NOT_SELECTED, Outcome.GAVE_UP: GroupStage.GAVE_UP,
                  Outcome.REFUSED: GroupStage.NOT_SELECTED}
        if self.state.outcome in simple:
            return simple[self.state.outcome]
        if self.state.published:
            return GroupStage.PUBLISHED
        if self._no_exam():
            return GroupStage.NO_EXAM
        if self.state.grades_computed:
            return GroupStage.GRADED
        if self.state.written_grade is not None:
            return GroupStage.GRADING
        approved = all(r.status == RequirementStatus.APPROVED for r in self.state.requirements)
        return GroupStage.WRITTEN if approved or self.state.written_submitted_at else GroupStage.PROGRAMME

    def _pending_actions(self) -> list[str]:
        actions = [f"approve or return work requirement {r.number}" for r in self.state.requirements
                   if r.status == RequirementStatus.SUBMITTED]
        actions += [f"decide the individual assessment of {m.participant_workflow_id}" for m in self._active_members()
                    if m.track == Track.ASSESSMENT and not m.withdrawn]
        if self.state.written_submitted_at and self.state.written_grade is None:
            actions.append("grade the written assignment")
        if self._oral_candidates() and not self.state.grades_computed:
            actions.append("register the oral adjustments")
        return actions

    def _view(self, m: Member) -> MemberView:
        reason = self._ineligibility(m)
        return MemberView(
            participant_workflow_id=m.participant_workflow_id, sector=m.sector, track=m.track, withdrawn=m.withdrawn,
            replaced=m.replaced, non_participating=m.non_participating, attendance_days=len(m.attended),
            exam_eligible=reason is None, ineligible_reason=reason, oral_adjustment=m.oral_adjustment,
            final_grade=m.final_grade, credits=m.credits, certificate=m.certificate)

    @workflow.query
    def detail(self) -> GroupDetail:
        return GroupDetail(
            group_workflow_id=self.id, application_id=self.input.application_id,
            municipalities=list(self.input.application.municipalities), outcome=self.state.outcome,
            stage=self._stage(), requirements=self.state.requirements,
            written_submitted=self.state.written_submitted_at is not None, written_grade=self.state.written_grade,
            written_missed=self.state.written_missed, members=[self._view(m) for m in self.state.members],
            pending_actions=self._pending_actions(), admin_actions=len(self.state.audit))

    def _row(self) -> GroupRow:
        approved = sum(r.status == RequirementStatus.APPROVED for r in self.state.requirements)
        return GroupRow(
            group_id=self.id, cohort=self.plan.cohort, application_id=self.input.application_id,
            municipalities=self.input.application_id, region=self.entry.region.value, size=self.entry.size.value,
            outcome=self.state.outcome.value, stage=self._stage().value, requirements_approved=approved,
            written_grade=self.state.written_grade.value if self.state.written_grade else None)
