"""The main job: a whole cohort through the year on the real workflows, the administration played from a scenario.
The plumbing of the script is in demo/player.py, the coursework lane in demo/coursework.py, the compressed calendar
in demo/year.py."""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from demo import end_of_year
from demo.coursework import Coursework
from demo.offers import OfferAnswers
from demo.player import DemoError, GroupStarted
from demo.report import build_report
from demo.scenario import Scenario
from demo.web_apply import WebApplicant, chosen
from demo.year import compress_plan, machine_pace, scale
from domain.admission import parse_application
from domain.lifecycle import GroupStage
from domain.models import CohortPlan
from gateway.admin import Admin, Refused
from gateway.storage import GroupRecord
from store.people import People
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id
from workflows.messages import (
    AttendanceInput,
    ConfirmSelectionInput,
    DayAttendance,
    DecideAssessmentInput,
    PublishGroupInput,
    PublishResultsInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
)
from workflows.participant import ParticipantWorkflow

Milestone = tuple[datetime, str, Callable[[], Awaitable[None]]]


class Demo(Coursework, OfferAnswers):
    """The year as the scenario plays it: intake, selection, the offers answered (demo/offers.py), the gatherings
    beside the coursework, publishing."""

    # ---- the year -----------------------------------------------------------------------------
    async def run(self) -> None:
        plan, actors = self.plan, self.script.actors
        start = datetime.now(UTC)
        await self.step("apply", start, self.apply_all)
        await self.step("confirm", plan.application_deadline, self.confirm)
        await self.step("after-confirm", plan.application_deadline, self.after_confirm)
        # Two lanes of the year run side by side, as they do in a real cohort: the gatherings' attendance, and the
        # coursework from the work requirements to the oral exam (demo/coursework.py); each lane keeps its own order.
        gatherings: list[Milestone] = [
            (g.start, f"gathering-{n}", functools.partial(self.attendance, n)) for n, g in enumerate(plan.gatherings, 1)
        ]
        try:
            await asyncio.gather(self.lane(gatherings), self.coursework(), *self.beside)
            await self.followed_up()
        finally:
            self.stop_follow_ups()
        await self.step("publish", plan.oral_end, self.publish)
        await self.step("end-of-year", plan.oral_end, functools.partial(end_of_year.run, self))
        self.say(f"  waiting for every group to close (actor {actors.admin})")
        await self.admin.client.get_workflow_handle(cohort_workflow_id(self.cohort)).result()

    async def lane(self, milestones: list[Milestone]) -> None:
        for at, key, action in milestones:
            await self.step(key, at, action)

    async def apply_all(self) -> None:
        self.say(f"Intake: {len(self.scenario.applications)} applications")
        declining = self.script.declines_offer  # its contact must apply on the web to answer there
        on_the_web = chosen(self.scenario.applications, first=declining) if self.web_applicant else set()
        for index, raw in enumerate(self.scenario.applications):
            application, errors = parse_application(raw)
            if application is None:
                self.say(f"  not sent (schema): {'; '.join(errors)}")
                continue
            if index in on_the_web and await self.apply_on_the_web(raw):
                continue
            try:  # through the gateway: the people into the register, their IDs to the cohort
                result = await self.admin.apply(application, self.script.actors.admin)
            except Refused as refused:
                self.say(f"  refused: apply {application.id}: {refused}")
                continue
            if not result.accepted:
                problems = "; ".join(problem.text for problem in result.problems)
                self.say(f"  refused application {result.application_id}: {problems}")

    async def apply_on_the_web(self, raw: dict[str, Any]) -> bool:
        """As the municipality's contact, through the web app's API; False (and why) leaves it to the gateway."""
        assert self.web_applicant is not None
        try:
            application_id = await self.web_applicant.apply(raw)
        except (RuntimeError, OSError, AssertionError) as error:
            self.say(f"  not applied on the web ({error}); the administration hands it in")
            return False
        self.say(f"  {application_id} applied on the web as its contact")
        return True

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

    async def after_confirm(self) -> None:
        admin = self.script.actors.admin
        give_up = self.script.give_up
        await self.answer_offers()
        if give_up:
            result = await self.act(
                cohort_workflow_id(self.cohort),
                CohortWorkflow.withdraw_group,
                WithdrawGroupInput(actor=admin, application_id=give_up.application, reason=give_up.reason),
            )
            if result:
                self.say(f"  {give_up.application} gave up its place; moved up: {result.moved_up}")
            await self.answer_offers()  # the one moved up answers too (a decline moves the next up)
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
        """Every group in the programme says so in its row (its stage), while a national cohort's 1,785 workflows
        start."""
        return await self.every_group_row(GroupRecord.stage == GroupStage.PROGRAMME.value)

    async def attendance(self, number: int) -> None:
        """Each group registers the gathering once, every day at a time, after its last day has begun; the group's
        validator says whether the gathering has begun by the workflow's clock, and a group that says not yet is
        asked again (a refused update writes nothing)."""
        gathering = self.plan.gatherings[number - 1]
        self.say(f"Gathering {number}: {gathering.theme}")
        absent = {tuple(a.split("@")) for a in self.script.absences}
        last_day = gathering.start + timedelta(seconds=(gathering.days - 1) * self.day_seconds)
        await asyncio.sleep(max(0.0, (min(last_day, gathering.end) - datetime.now(UTC)).total_seconds()))

        async def register(application_id: str) -> None:
            members = [
                m.participant_workflow_id
                for m in (await self.detail(application_id)).members
                if not m.replaced and not m.withdrawn
            ]
            days = []
            for day in range(1, gathering.days + 1):
                away = {self.participant(ref) for ref, when in absent if when == f"{number}:{day}"}
                days.append(DayAttendance(day=day, present=[m for m in members if m not in away]))
            action = AttendanceInput(actor=self.script.actors.admin, gathering=number, days=days)

            async def registered() -> bool:
                try:
                    await self._perform(self.group_id(application_id), GroupWorkflow.register_attendance, action)
                except Refused as refused:
                    if refused.code == "group.attendance_not_started":
                        return False
                    self.say(f"  refused: register_attendance on {self.group_id(application_id)}: {refused}")
                return True

            await self.until(registered, what=f"gathering {number} begun for group {application_id}")

        await self.for_groups(register)

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
        # the end of the year acts on released results (appeals, re-sits): each group says when it has them
        await self.until(self._all_released, what="every group's results released")

    async def _all_released(self) -> bool:
        """Every group in the programme has its release time in its row."""
        return await self.every_group_row(GroupRecord.published_at.is_not(None))


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
    web_address: str | None = None,
) -> dict[str, Any]:
    """`intake_seconds`: how long the applications have before the deadline (default: 1.5 s each, at least 20 s: each
    goes through the gateway, its people into the register first);
    `on_started(application ID, participant workflow ID)` is called once the admitted groups' participants run;
    with `web_address`, some applications go through the web app's API as their contacts (demo/web_apply.py)."""
    admin = Admin(client, sessions, task_queue, people)
    progress_file = data_dir / f"demo-{scenario.cohort}.json"
    if progress_file.exists():
        progress = json.loads(progress_file.read_text())
        plan, pace = CohortPlan.model_validate(progress["plan"]), float(progress.get("pace", 1.0))
        print(f"Continuing cohort {plan.cohort} where it stood ({progress_file})", file=out)
    else:
        # the rooms of the calendar sized by how busy the machine is now, before the cohort's dates are fixed
        pace = await asyncio.to_thread(machine_pace)
        year = scenario.script.year_seconds / speed
        intake = (intake_seconds or max(20.0, len(scenario.applications) * 1.5)) * pace  # each through the gateway
        start = datetime.now(UTC) + timedelta(seconds=intake)
        plan = compress_plan(
            template.model_copy(update={"cohort": scenario.cohort, "places": scenario.places}), start, year, pace
        )
        length = (plan.oral_end - plan.application_deadline).total_seconds()  # with the room the script needs
        busy = f" (a busy machine: its rooms x{pace:.1f})" if pace > 1 else ""
        print(f"Cohort {plan.cohort}: the year compressed to {length:.0f} s{busy}, {plan.places} places", file=out)
    day = 86400 * scale(template, plan)
    demo = Demo(
        admin, sessions, scenario, plan, progress_file, out, on_started, query_patience, day_seconds=day, pace=pace
    )
    demo.web_applicant = WebApplicant(web_address, sessions, people, plan.cohort) if web_address else None
    demo._save()
    try:
        await admin.open_cohort(plan, seed=scenario.seed)
    except Refused as refused:
        if refused.code != "gateway.cohort_already_ran":
            raise
        # the cohort has run to its end; its workflows still answer for the report
    started = time.monotonic()
    stop = asyncio.Event()
    progress = asyncio.create_task(show_progress(demo, started, stop))
    try:
        await demo.run()
    finally:
        stop.set()
        await progress
    return await build_report(admin, sessions, plan.cohort, time.monotonic() - started)
