"""One municipality group (one application) from its outcome to the combined grade of each member."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.grades import ComputeGradesInput, MemberGradeInput, compute_grades
    from activities.models import GroupDetailRow, GroupRow, ParticipantRow, PendingCell, ProjectInput, RequirementCell
    from domain import exam
    from domain.calendar import due_items, worth_sending
    from domain.lifecycle import Outcome
    from domain.models import Enrolment
    from domain.reasons import Reason, reason
    from domain.requirements import RequirementState
    from domain.selection import entry_for
    from workflows import notices as n
    from workflows import participant as participant_wf
    from workflows import search
    from workflows.due_timer import DueTimer
    from workflows.effects import SHORT, Effects, Signals, drain
    from workflows.group_actions import GroupActions
    from workflows.group_amend import GroupAmend
    from workflows.group_events import GroupEvents
    from workflows.group_facts import GroupFacts
    from workflows.group_project import GroupProject
    from workflows.group_supervision import GroupSupervision
    from workflows.ids import participant_workflow_id
    from workflows.messages import (
        GROUP_REPORT_SIGNAL,
        MEMBER_STATUS_SIGNAL,
        ActionResult,
        GroupDetail,
        GroupInput,
        GroupReport,
        GroupResult,
        MemberStatusSignal,
        OutcomeSignal,
        ParticipantInput,
        PublishSignal,
    )
    from workflows.state import GroupState, Member


# A run of a group ends (continue-as-new, the state carried) after this many history events. The SDK keeps every
# command a cached run has given, each activity with its input, until the run ends: a group's year of ~325 events
# held the worker's memory growing all year (bench/national.py: worker RSS 372 MiB, the glibc heap's use from 45 to
# 137 MiB while Python's objects stayed level). Patched: the recorded histories' runs are longer and replay as they ran.
RUN_EVENTS = 100


@workflow.defn
class GroupWorkflow(GroupActions, GroupEvents, GroupProject, GroupSupervision, GroupAmend):
    """A municipality group: outcome, gatherings, work requirements, written assignment, oral, grades.

    Signals: outcome, publish, amend_plan (from the cohort), member_status (from its participants).
    Updates: submit_requirement, approve_requirement, return_requirement, grant_extension, mark_non_participating,
    replace_participant, register_attendance, submit_written, register_written_grade, register_oral,
    record_project, report_project, record_supervision.
    Query: detail.
    """

    @workflow.init
    def __init__(self, input: GroupInput) -> None:
        self.input, self.plan, self.id = input, input.plan, workflow.info().workflow_id
        self.state = input.state or GroupState(
            requirements=[
                RequirementState(number=i, deadline=w.deadline) for i, w in enumerate(self.plan.work_requirements, 1)
            ],
            members=[self._new_member(i, p) for i, p in enumerate(input.application.participants, 1)],
        )
        self.facts = GroupFacts(self.plan, self.state)
        self.effects, self.signals = Effects(self.state.actions), Signals()
        self.grades_due = False
        self.reported_stage = self.state.reported_stage
        self.due_timer = DueTimer()
        self.bounded: bool | None = None  # whether this run ends at RUN_EVENTS (workflow.patched), once asked

    def _new_member(self, number: int, person: Enrolment) -> Member:
        return Member(
            number=number,
            participant_workflow_id=participant_workflow_id(self.id, number),
            person_id=person.person_id,
            sector=person.sector.value,
            track=person.track,
        )

    # ---- main loop ----------------------------------------------------------------------------
    @workflow.run
    async def run(self, input: GroupInput) -> GroupResult:
        if input.state is None:
            self._notify(
                "received",
                n.ApplicationReceived(**self._group(), selection_date=self.plan.selection_date),
                [input.application.contact],
            )
        while not (self.facts.finished and not self._work_pending()):
            await self._flush()
            if self._run_is_long():
                await drain(self._flush, self._work_pending)
                self.state.actions, self.state.reported_stage = self.effects.actions, self.reported_stage
                workflow.continue_as_new(self.input.model_copy(update={"state": self.state}))
            await self._wait_for_work_or_due_item()
        await drain(self._flush, self._work_pending)
        return GroupResult(detail=self.detail())

    def _run_is_long(self) -> bool:
        info = workflow.info()
        if info.is_continue_as_new_suggested():
            return True
        if self.bounded is None and info.get_current_history_length() >= RUN_EVENTS:
            self.bounded = workflow.patched("group-run-bounded")
        return bool(self.bounded)

    def _past_bound(self) -> bool:
        """Wakes the loop to end the run: updates alone do not (their handlers write their own effects). Once only in
        a history recorded before the bound, where the loop then learns the run is not bounded."""
        return self.bounded is None and workflow.info().get_current_history_length() >= RUN_EVENTS

    def _work_pending(self) -> bool:
        return bool(
            self.effects.pending
            or self.grades_due
            or self.signals
            or self.reported_stage != self.facts.stage()
            or self._members_to_start()
        )

    async def _wait_for_work_or_due_item(self) -> None:
        def wake() -> bool:
            return self._work_pending() or self.facts.finished or self._past_bound()

        items = due_items(self.plan, self.facts.calendar(), set(self.state.handled))
        batch = await self.due_timer.wait(items, wake)  # decided by the item whose timer fired, not by the clock
        for item in batch:
            self.state.handled.append(item.key)
            if worth_sending(item, batch):
                self._DUE[item.kind](self, item)
        if batch:
            self.effects.changed()

    async def _flush(self) -> None:
        await asyncio.gather(*(self._start_participant(m) for m in self._members_to_start()))
        if self.grades_due:
            await self._compute_grades()
        stage = self.facts.stage()
        if self.reported_stage != stage:
            self.reported_stage = stage
            workflow.upsert_search_attributes([search.STAGE.value_set(stage.value)])
            report = GroupReport(
                application_id=self.input.application_id,
                stage=stage,
                ready_to_publish=self.facts.ready_to_publish(),
                finished=self.facts.finished,
            )
            self.signals.add(self.input.cohort_workflow_id, GROUP_REPORT_SIGNAL, report)
        # the signals and the write in the same workflow task: neither needs the other's result
        rows = ProjectInput(
            groups=[self._row()],
            participants=self._participant_rows(),
            innovations=self._innovation(),
            details=[self._detail_row()],
        )
        await asyncio.gather(self.signals.send(), self.effects.flush(rows))

    def _members_to_start(self) -> list[Member]:
        return [m for m in self.state.members if not m.started and not m.replaced] if self.facts.in_programme else []

    async def _start_participant(self, member: Member) -> None:
        await workflow.start_child_workflow(
            participant_wf.ParticipantWorkflow.run,
            ParticipantInput(
                group_workflow_id=self.id,
                participant_workflow_id=member.participant_workflow_id,
                cohort=self.plan.cohort,
                person_id=member.person_id,
                sector=member.sector,
                track=member.track,
                plan=self.plan,
            ),
            id=member.participant_workflow_id,
            task_timeout=workflow.info().task_timeout,  # the group's, as the cohort's
            parent_close_policy=ParentClosePolicy.ABANDON,  # participants outlive a continue-as-new of the group
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(search.COHORT, self.plan.cohort),
                    SearchAttributePair(search.STAGE, "active"),
                    SearchAttributePair(search.KOMMUNENUMMER, list(self.input.application.municipalities)),
                ]
            ),
        )
        member.started = True  # the same object: a handler that changed it meanwhile is kept
        self.effects.changed()  # its row in the read model is the group's to write

    # ---- signals ------------------------------------------------------------------------------
    @workflow.signal
    def outcome(self, input: OutcomeSignal) -> None:
        if self.facts.finished:
            return
        if input.outcome in (Outcome.ADMITTED, Outcome.MOVED_UP):
            self.state.reminders_from = workflow.now()  # reminders already past are moot; the letter names the date
        self.state.outcome = input.outcome
        notice = self._outcome_notice(input)
        if notice is not None:
            self._notify(f"outcome:{input.outcome.value}", notice)
        if input.outcome == Outcome.GAVE_UP:
            for member in self.facts.active(started_only=True):
                self._end_member(member, reason("reason.gave_up"))
        self.effects.changed()

    @workflow.signal(name=MEMBER_STATUS_SIGNAL)
    def member_status(self, input: MemberStatusSignal) -> None:
        member = self.facts.member(input.participant_workflow_id)
        if member is not None:
            if input.withdrawn and not member.withdrawn:
                member.approved_at_withdrawal = self.facts.approved
            member.track, member.withdrawn = input.track, input.withdrawn
            self.effects.changed()  # eligibility follows the track and the withdrawal

    @workflow.signal
    def publish(self, input: PublishSignal) -> None:
        if self.state.published or not self.facts.ready_to_publish():
            return
        self.state.published = True
        self.state.published_at = workflow.now()
        for member in self.facts.active(started_only=True):
            self._publish_member(member)
        self.effects.changed()

    # ---- grades -------------------------------------------------------------------------------
    async def _compute_grades(self) -> None:
        self.grades_due = False
        if self.state.written_grade is None and not self.facts.no_exam:
            return
        members = [
            MemberGradeInput(
                participant_workflow_id=m.participant_workflow_id,
                track=m.track,
                requirements_complete=exam.requirements_complete(m.facts(self.facts.approved)),
                exam_eligible=self.facts.ineligibility(m) is None,
                ineligible_reason=self.facts.ineligibility(m),
                oral_adjustment=m.oral_adjustment,
                oral_absent=m.oral_absent,
            )
            for m in self.facts.active()
        ]
        written = None if self.facts.no_exam else self.state.written_grade
        result = await workflow.execute_activity(
            compute_grades,
            ComputeGradesInput(written_grade=written, step_limit=self.plan.oral_step_limit, members=members),
            start_to_close_timeout=SHORT,
        )
        for graded in result.members:
            member = self.facts.member(graded.participant_workflow_id)
            if member is not None:
                member.final_grade, member.credits, member.end_reason = (
                    graded.final_grade,
                    graded.credits,
                    graded.end_reason,
                )
                member.certificate = graded.certificate
        self.state.grades_computed = True
        self.effects.changed()

    # ---- helpers ------------------------------------------------------------------------------
    def _end_member(self, member: Member, why: Reason) -> None:
        member.end_reason = why
        if member.started:
            member.ended = True
            final = self.facts.final(member, why)
            self.signals.add(member.participant_workflow_id, participant_wf.ParticipantWorkflow.final, final)
        self.effects.changed()

    def _group(self) -> n.GroupFacts:
        return n.GroupFacts(cohort=self.plan.cohort, municipalities=list(self.input.application.municipalities))

    def _requirement(self, number: int) -> n.RequirementFacts:
        return n.RequirementFacts(
            cohort=self.plan.cohort, number=number, title=self.plan.work_requirements[number - 1].title
        )

    def _notify(self, event: str, notice: n.Notice, recipients: list[str] | None = None) -> None:
        self.effects.notice(
            event, notice, self.facts.recipients(self.input.application.contact) if recipients is None else recipients
        )

    def _record(self, actor: str, action: str, **params: str | int | None) -> ActionResult:
        self.effects.accepted(actor, action, params=params)
        return ActionResult(stage=self.facts.stage())

    # ---- views --------------------------------------------------------------------------------
    @workflow.query
    def detail(self) -> GroupDetail:
        return self.facts.detail(self.id, self.input.application, self.effects.actions)

    def _detail_row(self) -> GroupDetailRow:
        """What the group page shows, as of this task: the page reads it instead of asking (web/state.py)."""
        return GroupDetailRow(group_id=self.id, detail=self.detail(), as_of=workflow.now())

    def _participant_rows(self) -> list[ParticipantRow]:
        """The rows of the members whose workflows run (or ran): the group owns what they show."""
        return [self.facts.participant_row(m, self.id) for m in self.state.members if m.started]

    def _row(self) -> GroupRow:
        entry = entry_for(self.input.application.municipalities)
        return GroupRow(
            group_id=self.id,
            cohort=self.plan.cohort,
            application_id=self.input.application_id,
            municipalities=self.input.application_id,
            region=entry.region.value,
            size=entry.size.value,
            outcome=self.state.outcome.value,
            stage=self.facts.stage().value,
            requirements_approved=self.facts.approved,
            written_grade=self.state.written_grade.value if self.state.written_grade else None,
            written_submitted=self.state.written_submitted_at is not None,
            published_at=self.state.published_at,
            requirements=[
                RequirementCell(
                    number=r.number, status=r.status.value, deadline=r.deadline, submitted_at=r.submitted_at
                )
                for r in self.state.requirements
            ],
            pending=[PendingCell(code=p.code, params=dict(p.params)) for p in self.facts.pending_actions()],
        )
