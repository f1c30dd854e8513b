"""The main job: a whole cohort through the year on the real workflows, the administration played from a scenario."""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.exceptions import TemporalError, WorkflowAlreadyStartedError

from demo import end_of_year
from demo.report import build_report
from demo.scenario import Scenario
from domain.admission import parse_application
from domain.models import CohortPlan, Grade
from gateway.admin import Admin, Refused
from runtime.files import write_private
from store.people import People
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id, participant_workflow_id
from workflows.messages import (
    AttendanceInput,
    CohortOverview,
    ConfirmSelectionInput,
    DecideAssessmentInput,
    ExtensionInput,
    GroupDetail,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    PublishGroupInput,
    PublishResultsInput,
    RecordProjectInput,
    ReportProjectInput,
    RequirementInput,
    ReturnRequirementInput,
    SubmitWrittenInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
    WrittenGradeInput,
)
from workflows.participant import ParticipantWorkflow

IN_PROGRAMME = ("admitted", "moved_up")
GroupStarted = Callable[[str, str], Coroutine[Any, Any, None]]
Milestone = tuple[datetime, str, Callable[[], Awaitable[None]]]
REPORTED_OUTCOME = {"not_selected": "waitlist"}  # on the waiting list when it closed: never moved up
SECONDS_SETTINGS = ("resubmission_seconds", "approval_reminder_seconds", "appeal_seconds")


def compress_plan(template: CohortPlan, start: datetime, year_seconds: float) -> CohortPlan:
    """The same plan with its calendar squeezed linearly so the application deadline is `start`."""
    origin = template.application_deadline
    factor = year_seconds / (template.oral_end - origin).total_seconds()

    def at(t: datetime) -> datetime:
        return start + (t - origin) * factor

    data = template.model_dump()
    data |= {
        "application_deadline": start,
        "selection_date": at(template.selection_date),
        "written_deadline": at(template.written_deadline),
        "oral_start": at(template.oral_start),
        "oral_end": at(template.oral_end),
        "gatherings": [g.model_dump() | {"start": at(g.start), "end": at(g.end)} for g in template.gatherings],
        "work_requirements": [w.model_dump() | {"deadline": at(w.deadline)} for w in template.work_requirements],
        "reminder_seconds_before": [s * factor for s in template.reminder_seconds_before],
    }
    data |= {name: getattr(template, name) * factor for name in SECONDS_SETTINGS}
    if template.resit_start is not None and template.resit_end is not None:
        data |= {"resit_start": at(template.resit_start), "resit_end": at(template.resit_end)}
    return CohortPlan.model_validate(data)


def save_progress(path: Path, plan: CohortPlan, done: set[str]) -> None:
    """The compressed plan and the steps done, for a rerun to continue; 0600 like everything in the data folder."""
    write_private(path, json.dumps({"plan": plan.model_dump(mode="json"), "done": sorted(done)}))


class DemoError(RuntimeError):
    """The cohort did not behave as the scenario requires; the demo stops with this reason."""


class Demo:
    def __init__(
        self,
        admin: Admin,
        sessions: async_sessionmaker[AsyncSession],
        scenario: Scenario,
        plan: CohortPlan,
        progress_file: Path,
        out: TextIO,
        on_started: GroupStarted | None = None,
        query_patience: float = 120.0,
    ) -> None:
        self.admin = admin
        self.on_started = on_started
        self.query_patience = query_patience
        self.beside: list[asyncio.Task[None]] = []
        self.sessions = sessions
        self.scenario = scenario
        self.script = scenario.script
        self.plan = plan
        self.cohort = plan.cohort
        self.progress_file = progress_file
        self.done: set[str] = set(json.loads(progress_file.read_text())["done"]) if progress_file.exists() else set()
        self.out = out

    # ---- plumbing -----------------------------------------------------------------------------
    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _save(self) -> None:
        save_progress(self.progress_file, self.plan, self.done)

    async def step(self, key: str, at: datetime, action: Callable[[], Awaitable[None]]) -> None:
        """Run a step of the script once, at its time on the compressed calendar; a rerun skips it."""
        if key in self.done:
            return
        wait = (at - datetime.now(UTC)).total_seconds()
        if wait > 0:
            await asyncio.sleep(wait)
        await action()
        self.done.add(key)
        self._save()

    async def act(self, workflow_id: str, update: Any, arg: Any) -> Any:
        try:
            return await self.admin.perform(workflow_id, update, arg)
        except Refused as refused:
            self.say(f"  refused: {update.__name__} on {workflow_id}: {refused}")
            return None

    async def mistake(self, workflow_id: str, update: Any, arg: Any) -> None:
        """An action the script gets wrong on purpose: the workflow must refuse it and change nothing."""
        try:
            await self.admin.perform(workflow_id, update, arg)
        except Refused as refused:
            self.say(f"  refused as it should be: {update.__name__} on {workflow_id}: {refused}")
            return
        raise DemoError(f"{update.__name__} on {workflow_id} was accepted but must be refused")

    def group_id(self, application_id: str) -> str:
        return group_workflow_id(self.cohort, application_id)

    def participant(self, ref: str) -> str:
        application_id, number = ref.split("#")
        return participant_workflow_id(self.group_id(application_id), int(number))

    async def query(self, workflow_id: str, query: Any) -> Any:
        """A query the script needs to go on. A busy or restarting server (a timeout, a full query buffer) or a worker
        replaying after a restart is asked again for up to `query_patience` seconds; then, or for a workflow that is
        not there, the demo stops with one line saying which."""
        deadline = time.monotonic() + self.query_patience
        while True:
            try:
                return await self.admin.query(workflow_id, query)
            except (Refused, TemporalError) as error:
                first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                if first.startswith("no workflow") or time.monotonic() > deadline:
                    raise DemoError(f"the query {query.__name__} on {workflow_id} failed: {first}") from None
            await asyncio.sleep(1.0)

    async def overview(self) -> CohortOverview:
        result: CohortOverview = await self.query(cohort_workflow_id(self.cohort), CohortWorkflow.overview)
        return result

    async def groups(self) -> list[str]:
        return [a.id for a in (await self.overview()).applications if a.outcome in IN_PROGRAMME]

    async def detail(self, application_id: str) -> GroupDetail:
        result: GroupDetail = await self.query(self.group_id(application_id), GroupWorkflow.detail)
        return result

    async def for_groups(self, action: Callable[[str], Awaitable[None]]) -> None:
        limit = asyncio.Semaphore(8)

        async def guarded(application_id: str) -> None:
            async with limit:
                await action(application_id)

        await asyncio.gather(*(guarded(a) for a in await self.groups()))

    async def until(self, check: Callable[[], Awaitable[bool]], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not await check():
            if time.monotonic() > deadline:
                raise DemoError(f"the cohort did not reach the expected state within {timeout:g} s")
            await asyncio.sleep(0.3)

    # ---- the year -----------------------------------------------------------------------------
    async def run(self) -> None:
        plan, actors = self.plan, self.script.actors
        start = datetime.now(UTC)
        await self.step("apply", start, self.apply_all)
        await self.step("confirm", plan.application_deadline, self.confirm)
        await self.step("after-confirm", plan.application_deadline, self.after_confirm)
        # Two lanes of the year run side by side, as they do in a real cohort: the gatherings' attendance, and the
        # coursework from the work requirements to the oral exam; each lane keeps its own order.
        gatherings: list[Milestone] = [
            (g.start, f"gathering-{n}", functools.partial(self.attendance, n)) for n, g in enumerate(plan.gatherings, 1)
        ]
        coursework: list[Milestone] = []
        previous = plan.selection_date
        for number, requirement in enumerate(plan.work_requirements, 1):
            # Groups hand in as soon as the previous deadline is behind them: on a year compressed to two minutes
            # a deadline is seconds after a gathering, and a busy two-core machine must still make it.
            handed_in = previous + timedelta(seconds=0.3)
            coursework.append((handed_in, f"requirement-{number}", functools.partial(self.requirement, number)))
            coursework.append(
                (
                    requirement.deadline + timedelta(seconds=0.3),
                    f"late-{number}",
                    functools.partial(self.late_submissions, number),
                )
            )
            previous = requirement.deadline
        coursework.append((previous + (plan.written_deadline - previous) / 2, "written", self.written))
        coursework.append((plan.oral_start, "oral", self.oral))
        await asyncio.gather(self.lane(gatherings), self.lane(coursework), *self.beside)
        await self.step("publish", plan.oral_end, self.publish)
        await self.step("end-of-year", plan.oral_end, functools.partial(end_of_year.run, self))
        self.say(f"  waiting for every group to close (actor {actors.admin})")
        await self.admin.client.get_workflow_handle(cohort_workflow_id(self.cohort)).result()

    async def lane(self, milestones: list[Milestone]) -> None:
        for at, key, action in milestones:
            await self.step(key, at, action)

    async def apply_all(self) -> None:
        self.say(f"Intake: {len(self.scenario.applications)} applications")
        for raw in self.scenario.applications:
            application, errors = parse_application(raw)
            if application is None:
                self.say(f"  not sent (schema): {'; '.join(errors)}")
                continue
            try:  # through the gateway: the people into the register, their IDs to the cohort
                result = await self.admin.apply(application, self.script.actors.admin)
            except Refused as refused:
                self.say(f"  refused: apply {application.id}: {refused}")
                continue
            if not result.accepted:
                problems = "; ".join(problem.text for problem in result.problems)
                self.say(f"  refused application {result.application_id}: {problems}")

    async def confirm(self) -> None:
        await self.until(lambda: self._stage_is("selection_drawn"))
        result = await self.act(
            cohort_workflow_id(self.cohort),
            CohortWorkflow.confirm_selection,
            ConfirmSelectionInput(actor=self.script.actors.admin),
        )
        if result:
            self.say(
                f"Selection confirmed (seed {result.seed}): {len(result.admitted)} admitted, "
                f"{len(result.waitlist)} waiting"
            )

    async def _stage_is(self, stage: str) -> bool:
        return (await self.overview()).stage == stage

    async def after_confirm(self) -> None:
        admin = self.script.actors.admin
        give_up = self.script.give_up
        if give_up:
            result = await self.act(
                cohort_workflow_id(self.cohort),
                CohortWorkflow.withdraw_group,
                WithdrawGroupInput(actor=admin, application_id=give_up.application, reason=give_up.reason),
            )
            if result:
                self.say(f"  {give_up.application} gave up its place; moved up: {result.moved_up}")
        await self.until(self._participants_started)
        if self.on_started is not None:  # e.g. the web app's demo accounts: beside the script, which must keep time
            first = (await self.groups())[0]
            member = (await self.detail(first)).members[0].participant_workflow_id
            self.beside.append(asyncio.create_task(self.on_started(first, member)))
        for ref, decided in self.script.assessments.items():
            await self.act(
                self.participant(ref),
                ParticipantWorkflow.decide_assessment,
                DecideAssessmentInput(actor=admin, track=decided),
            )
        for ref, reason in self.script.withdraw_participants.items():
            await self.act(
                self.participant(ref),
                ParticipantWorkflow.withdraw,
                WithdrawParticipantInput(actor=admin, reason=reason),
            )

    async def _participants_started(self) -> bool:
        details = [await self.detail(a) for a in await self.groups()]
        return all(d.members and d.stage == "programme" for d in details)

    async def attendance(self, number: int) -> None:
        gathering = self.plan.gatherings[number - 1]
        self.say(f"Gathering {number}: {gathering.theme}")
        absent = {tuple(a.split("@")) for a in self.script.absences}

        async def register(application_id: str) -> None:
            members = [
                m.participant_workflow_id
                for m in (await self.detail(application_id)).members
                if not m.replaced and not m.withdrawn
            ]
            for day in range(1, gathering.days + 1):
                away = {self.participant(ref) for ref, when in absent if when == f"{number}:{day}"}
                await self.act(
                    self.group_id(application_id),
                    GroupWorkflow.register_attendance,
                    AttendanceInput(
                        actor=self.script.actors.admin,
                        gathering=number,
                        day=day,
                        present=[m for m in members if m not in away],
                    ),
                )

        await self.for_groups(register)

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
        self.say(f"Work requirement {number}")
        teacher = self.script.actors.teacher

        async def handle(application_id: str) -> None:
            group = self.group_id(application_id)
            extension = self.script.extensions.get(application_id)
            if extension and extension.requirement == number:
                deadline = self.plan.work_requirements[number - 1].deadline + timedelta(
                    seconds=extension.days * 86400 * self._factor()
                )
                await self.act(
                    group,
                    GroupWorkflow.grant_extension,
                    ExtensionInput(actor=teacher, number=number, deadline=deadline),
                )
                return  # submitted after the original deadline, in late_submissions
            await self.project(application_id, number)
            action = RequirementInput(actor=teacher, number=number)
            if number == 1 and application_id == self.script.mistakes.approve_before_submit:
                await self.mistake(group, GroupWorkflow.approve_requirement, action)
            await self.act(group, GroupWorkflow.submit_requirement, action)
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

        await self.for_groups(handle)
        if number == 2:
            for ref in self.script.non_participating:
                await self.act(
                    self.participant(ref).rsplit(".deltaker-", 1)[0],
                    GroupWorkflow.mark_non_participating,
                    MarkNonParticipatingInput(actor=teacher, participant_workflow_id=self.participant(ref)),
                )

    def _factor(self) -> float:
        return self.plan.resubmission_seconds / (14 * 86400)

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

        async def handle(application_id: str) -> None:
            if (await self.detail(application_id)).stage == "no_exam":
                return
            group = self.group_id(application_id)
            grade = self.script.written_grades.get(application_id, self.script.default_written_grade)
            if application_id == self.script.mistakes.grade_before_submission:
                await self.mistake(
                    group, GroupWorkflow.register_written_grade, WrittenGradeInput(actor=examiner, grade=grade)
                )
            await self.act(group, GroupWorkflow.submit_written, SubmitWrittenInput(actor=examiner))
            await self.act(group, GroupWorkflow.register_written_grade, WrittenGradeInput(actor=examiner, grade=grade))

        await self.for_groups(handle)

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

    async def publish(self) -> None:
        await self.until(lambda: self._pending("pending.publish_results"))
        first = self.script.release_first
        if first is not None:  # one group checked and released on its own: its letters and appeal window start now
            released = await self.act(
                cohort_workflow_id(self.cohort),
                CohortWorkflow.publish_group,
                PublishGroupInput(actor=self.script.actors.admin, application_id=first),
            )
            if released:
                self.say(f"Results released for group {first} on its own")
        result = await self.act(
            cohort_workflow_id(self.cohort),
            CohortWorkflow.publish_results,
            PublishResultsInput(actor=self.script.actors.admin),
        )
        if result:
            self.say(f"Results published for {result.groups} groups")

    async def _pending(self, action: str) -> bool:
        return any(p.code == action for p in (await self.overview()).pending_actions)


async def show_progress(demo: Demo, started: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            overview = await demo.overview()
            stages = ", ".join(f"{k} {v}" for k, v in sorted(overview.groups_per_stage.items()))
            demo.say(f"[{time.monotonic() - started:5.0f}s] cohort {overview.stage.value}; groups: {stages}")
        except DemoError:
            pass  # the progress line is skipped; a step that needs the answer stops the demo
        try:
            await asyncio.wait_for(stop.wait(), timeout=5)
        except TimeoutError:
            pass


async def run_scenario(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    scenario: Scenario,
    template: CohortPlan,
    speed: float,
    data_dir: Path,
    out: TextIO,
    people: People,
    intake_seconds: float | None = None,
    on_started: GroupStarted | None = None,
    query_patience: float = 120.0,
) -> dict[str, Any]:
    """`intake_seconds`: how long the applications have before the deadline (default: 1 s each, at least 15 s: each
    goes through the gateway, its people into the register first);
    `on_started(application ID, participant workflow ID)` is called once the admitted groups' participants run."""
    admin = Admin(client, sessions, task_queue, people)
    progress_file = data_dir / f"demo-{scenario.cohort}.json"
    if progress_file.exists():
        plan = CohortPlan.model_validate(json.loads(progress_file.read_text())["plan"])
        print(f"Continuing cohort {plan.cohort} where it stood ({progress_file})", file=out)
    else:
        year = scenario.script.year_seconds / speed
        intake = intake_seconds or max(15.0, len(scenario.applications) * 1.0)
        start = datetime.now(UTC) + timedelta(seconds=intake)
        plan = compress_plan(
            template.model_copy(update={"cohort": scenario.cohort, "places": scenario.places}), start, year
        )
        print(f"Cohort {plan.cohort}: the year compressed to {year:.0f} s, {plan.places} places", file=out)
    demo = Demo(admin, sessions, scenario, plan, progress_file, out, on_started, query_patience)
    demo._save()
    try:
        await admin.open_cohort(plan, seed=scenario.seed)
    except WorkflowAlreadyStartedError:
        pass  # the cohort has run to its end; its workflows still answer for the report
    started = time.monotonic()
    stop = asyncio.Event()
    progress = asyncio.create_task(show_progress(demo, started, stop))
    try:
        await demo.run()
    finally:
        stop.set()
        await progress
    return await build_report(admin, sessions, plan.cohort, time.monotonic() - started)
