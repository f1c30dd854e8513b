"""The coursework lane of the demo's year: the work requirements (with the projects' reports, a returned
requirement, an extension, a member not taking part), the written group assignment and the oral exam.

Only the hand-ins, the late hand-ins within an extension, the written assignment and the orals have deadlines: the
lane goes from one to the next at its time. What follows a hand-in (the project's report, a return and the
resubmission, the approval, marking a member who did not take part) has none: it runs beside the lane, group by
group in each group's own order, and the written assignment of a group waits for it (it needs every requirement
approved). On a busy machine a slow follow-up never makes the next hand-in late."""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime, timedelta

from demo.player import ALL_AT_ONCE, Player
from demo.year import ROOM_SECONDS
from domain.catalogue.labels import OSLO
from domain.models import Grade
from domain.orals import OralSlot
from domain.supervision import SupervisionMeeting
from store.accounts import Accounts
from workflows.group import GroupWorkflow
from workflows.group_supervision import RecordSupervisionInput
from workflows.messages import (
    ExtensionInput,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    RecordProjectInput,
    ReportProjectInput,
    RequirementInput,
    ReturnRequirementInput,
    ScheduleOralInput,
    SubmitWrittenInput,
    WrittenGradeInput,
)

FOLLOW_UPS_AT_ONCE = 8  # groups whose follow-ups run at once, beside the lane
HANDED_IN_AFTER = timedelta(seconds=0.3)  # a lane step after the date it follows: that date is behind it
SLOT_AHEAD = timedelta(seconds=5)  # an oral's time set at least this far ahead: the update must find it in the future
SUPERVISION_NOTE = "Gjennomgang av prosjektplanen og arbeidskrav 2. Gruppen avtaler intervjuer med brukerne."
ORAL_ROOMS = ("Møterom Fjord, Nasjonal Innovasjonsskole, Oslo", "Møterom Fjell, Nasjonal Innovasjonsskole, Oslo")


class Coursework(Player):
    """The work requirements, the written assignment and the oral exam, group by group."""

    @functools.cached_property
    def _follow_ups(self) -> dict[str, asyncio.Task[None]]:
        """Each group's latest follow-up, which awaits the group's earlier ones."""
        return {}

    @functools.cached_property
    def _follow_up_slots(self) -> asyncio.Semaphore:
        return asyncio.Semaphore(FOLLOW_UPS_AT_ONCE)

    async def coursework(self) -> None:
        """The lane: each requirement's hand-in as soon as the previous deadline is behind it (on a year compressed
        to minutes a deadline is seconds after a gathering, and a busy two-core machine must still make it), its
        follow-ups beside, its late hand-ins after its deadline; the written assignment as soon as the last
        requirement's deadline is behind (each group once its follow-ups are done: the whole stretch to the written
        deadline is room for a busy machine); the orals."""
        previous = self.plan.selection_date
        for number, requirement in enumerate(self.plan.work_requirements, 1):
            await self.step(
                f"requirement-{number}", previous + HANDED_IN_AFTER, functools.partial(self.requirement, number)
            )
            await self._follow_up_beside(number)  # also on a rerun: the follow-ups done before are skipped
            late = functools.partial(self.late_submissions, number)
            await self.step(f"late-{number}", requirement.deadline + HANDED_IN_AFTER, late)
            previous = requirement.deadline
        await self.step("written", previous + HANDED_IN_AFTER, self.written)
        await self.step("oral", self.plan.oral_start, self.oral)

    async def _follow_up_beside(self, number: int) -> None:
        for application_id in await self.groups():
            before = self._follow_ups.get(application_id)
            follow_up = self._follow_up_after(before, number, application_id)
            self._follow_ups[application_id] = asyncio.create_task(follow_up, name=f"follow-up-{number}")

    async def _follow_up_after(self, before: asyncio.Task[None] | None, number: int, application_id: str) -> None:
        if before is not None:
            await before
        async with self._follow_up_slots:
            key = f"follow-up-{number}.{application_id}"
            await self.step(key, datetime.now(UTC), functools.partial(self.follow_up, number, application_id))

    async def followed_up(self, application_id: str | None = None) -> None:
        """Wait for one group's follow-ups so far (None: every group's); a follow-up that failed raises here."""
        if application_id is None:
            await asyncio.gather(*self._follow_ups.values())
        elif (chain := self._follow_ups.get(application_id)) is not None:
            await chain

    def stop_follow_ups(self) -> None:
        """The demo stops: the follow-ups still running stop with it."""
        for task in self._follow_ups.values():
            task.cancel()

    async def project(self, application_id: str, number: int) -> None:
        """The group's innovation project (with requirement 1) and what it reports with this requirement."""
        scripted = self.script.projects.get(application_id)
        if scripted is None:
            return
        group, actor = self.group_id(application_id), self.script.actors.teacher
        if number == 1:
            await self.act(
                group, GroupWorkflow.record_project, RecordProjectInput(actor=actor, project=scripted.project)
            )
        for report in (r for r in scripted.reports if r.number == number):
            await self.act(group, GroupWorkflow.report_project, ReportProjectInput(actor=actor, report=report))

    async def requirement(self, number: int) -> None:
        """Every group hands in, all at once: only that has a deadline (its follow-ups then run beside the lane)."""
        self.say(f"Work requirement {number}")
        teacher = self.script.actors.teacher

        async def hand_in(application_id: str) -> None:
            group = self.group_id(application_id)
            extension = self.script.extensions.get(application_id)
            if extension and extension.requirement == number:
                deadline = self._extended(number, extension.days)
                await self.act(
                    group,
                    GroupWorkflow.grant_extension,
                    ExtensionInput(actor=teacher, number=number, deadline=deadline),
                )
                return  # submitted after the original deadline, in late_submissions
            action = RequirementInput(actor=teacher, number=number)
            if number == 1 and application_id == self.script.mistakes.approve_before_submit:
                await self.mistake(group, GroupWorkflow.approve_requirement, action)
            await self.act(group, GroupWorkflow.submit_requirement, action)

        await self.for_groups(hand_in, limit=ALL_AT_ONCE)

    async def follow_up(self, number: int, application_id: str) -> None:
        """What follows one group's hand-in, none of it with a deadline: the project's report, the return and
        resubmission, the approval; after requirement 2, marking the members who did not take part."""
        teacher = self.script.actors.teacher
        group = self.group_id(application_id)
        extension = self.script.extensions.get(application_id)
        if not (extension and extension.requirement == number):  # else handed in and approved in late_submissions
            await self.project(application_id, number)
            action = RequirementInput(actor=teacher, number=number)
            returned = self.script.returned.get(application_id)
            if returned and returned.requirement == number:
                await self.act(
                    group,
                    GroupWorkflow.return_requirement,
                    ReturnRequirementInput(actor=teacher, number=number, feedback=returned.feedback),
                )
                await self.act(group, GroupWorkflow.submit_requirement, RequirementInput(actor=teacher, number=number))
            await self.act(group, GroupWorkflow.approve_requirement, action)
            if number == 1 and application_id == self.script.mistakes.second_approval:
                await self.mistake(group, GroupWorkflow.approve_requirement, action)
        if number == 1:
            await self.supervise(application_id)
        if number == 2:
            for ref in self.script.non_participating:
                if ref.split("#")[0] == application_id:
                    await self.act(
                        group,
                        GroupWorkflow.mark_non_participating,
                        MarkNonParticipatingInput(actor=teacher, participant_workflow_id=self.participant(ref)),
                    )

    async def supervise(self, application_id: str) -> None:
        """The teacher becomes the group's supervisor and records a supervision meeting of today (Oslo's date) with
        the members taking part."""
        teacher, group = self.script.actors.teacher, self.group_id(application_id)
        await Accounts(self.sessions).assign_supervisor(teacher, group)
        detail = await self.detail(application_id)
        present = [
            m.participant_workflow_id for m in detail.members if not (m.withdrawn or m.replaced or m.non_participating)
        ]
        meeting = SupervisionMeeting(day=datetime.now(OSLO).date(), present=present, note=SUPERVISION_NOTE)
        await self.act(group, GroupWorkflow.record_supervision, RecordSupervisionInput(actor=teacher, meeting=meeting))

    async def timetable(self, application_id: str, index: int) -> None:
        """The administration sets the group's oral: at the start of the oral period in one of two rooms, or a little
        later if the script reaches it after that start; none once the period is nearly over."""
        now = datetime.now(UTC)
        start = max(self.plan.oral_start, now + SLOT_AHEAD * self.pace)
        if start > self.plan.oral_end:
            self.say(f"  no oral time set for {application_id}: the oral period is nearly over")
            return
        slot = OralSlot(start=start, place=ORAL_ROOMS[index % len(ORAL_ROOMS)])
        action = ScheduleOralInput(actor=self.script.actors.admin, slot=slot)
        await self.act(self.group_id(application_id), GroupWorkflow.schedule_oral, action)

    def _extended(self, number: int, days: float) -> datetime:
        """An extension's new deadline: its days on the compressed calendar, with room for the hand-in right after
        the original deadline on a busy machine, and never after the last oral exam."""
        original = self.plan.work_requirements[number - 1].deadline
        extended = original + timedelta(seconds=max(days * self.day_seconds, ROOM_SECONDS * self.pace))
        return min(extended, self.plan.oral_end)

    async def late_submissions(self, number: int) -> None:
        teacher = self.script.actors.teacher
        for application_id, extension in self.script.extensions.items():
            if extension.requirement == number and application_id in await self.groups():
                group = self.group_id(application_id)
                await self.act(group, GroupWorkflow.submit_requirement, RequirementInput(actor=teacher, number=number))
                await self.act(group, GroupWorkflow.approve_requirement, RequirementInput(actor=teacher, number=number))
                self.say(f"  {application_id} submitted requirement {number} within its extension")

    async def written(self) -> None:
        self.say("Written group assignment")
        examiner = self.script.actors.examiner

        # each group's room by its place in the programme, read once: not a cohort overview per group at the deadline
        places = {application_id: index for index, application_id in enumerate(await self.groups())}

        async def handle(application_id: str) -> None:
            await self.followed_up(application_id)  # every requirement approved first
            detail = await self.detail(application_id)
            if detail.stage == "no_exam":
                if detail.written_missed:  # no script misses the written deadline: the script came too late
                    self.missed_deadlines["written"] += 1
                    self.say(f"  late: the written deadline had passed before {application_id} handed in")
                return
            group = self.group_id(application_id)
            grade = self.script.written_grades.get(application_id, self.script.default_written_grade)
            if application_id == self.script.mistakes.grade_before_submission:
                await self.mistake(
                    group, GroupWorkflow.register_written_grade, WrittenGradeInput(actor=examiner, grade=grade)
                )
            await self.act(group, GroupWorkflow.submit_written, SubmitWrittenInput(actor=examiner))
            await self.act(group, GroupWorkflow.register_written_grade, WrittenGradeInput(actor=examiner, grade=grade))
            if grade != Grade.F:  # an F has no oral
                await self.timetable(application_id, places[application_id])

        await self.for_groups(handle, limit=ALL_AT_ONCE)  # the written deadline: no group waits for a slot

    async def oral(self) -> None:
        self.say("Oral exam")
        examiner = self.script.actors.examiner

        async def handle(application_id: str) -> None:
            detail = await self.detail(application_id)
            if detail.written_grade in (None, Grade.F) or detail.stage != "grading":
                return
            examined = [m for m in detail.members if m.exam_eligible]
            pattern = self.script.oral_pattern
            adjustments = [
                OralAdjustment(
                    participant_workflow_id=m.participant_workflow_id,
                    adjustment=self._allowed(detail.written_grade, pattern[i % len(pattern)]),
                )
                for i, m in enumerate(examined)
            ]
            group = self.group_id(application_id)
            if application_id == self.script.mistakes.oral_beyond_limit and adjustments:
                beyond = [
                    a.model_copy(update={"adjustment": self.plan.oral_step_limit + 1}) if i == 0 else a
                    for i, a in enumerate(adjustments)
                ]
                await self.mistake(group, GroupWorkflow.register_oral, OralInput(actor=examiner, adjustments=beyond))
            await self.act(group, GroupWorkflow.register_oral, OralInput(actor=examiner, adjustments=adjustments))

        await self.for_groups(handle)

    @staticmethod
    def _allowed(written: Grade, wanted: int) -> int:
        """The script's pattern, kept on the scale: an A is not raised."""
        return 0 if (written == Grade.A and wanted > 0) else wanted
