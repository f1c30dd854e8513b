"""How the demo plays the study administration: one step of the script at its time, an action through the gateway
(a refusal said, a deliberate mistake that must be refused), and the queries the script reads the cohort by."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import TemporalError

from demo import acting
from demo.scenario import Scenario
from demo.year import save_progress
from domain.models import CohortPlan
from gateway.admin import Admin, OutcomeUnknown, Refused
from gateway.storage import CohortRecord, GroupRecord
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id, participant_workflow_id
from workflows.messages import (
    CohortOverview,
    GroupDetail,
)

IN_PROGRAMME = ("admitted", "moved_up")
# for_groups' limit when an action has a deadline: bounded, so a national window's updates queue here, in order, and
# not all in the server at once (each waits behind the others there: a p99 of seconds); the demo's dozen groups go at
# once. The calendar's room for a window holds every group's actions at the machine's rate (demo.year). Eight at once
# did not make a person's update beside the bulk faster: in the national year its p99 was 568 ms, against 528 ms with
# sixteen on the same day (bench/national.py); the machine's two cores are full in the bursts either way.
ALL_AT_ONCE = 16
GroupStarted = Callable[[str, str], Coroutine[Any, Any, None]]
WAIT_PATIENCE = 900.0  # how long an action waits for the stage it needs before the demo stops with an error
STEP: ContextVar[str] = ContextVar("demo_step", default="")  # the step an action belongs to: part of its update ID


class DemoError(RuntimeError):
    """The cohort did not behave as the scenario requires; the demo stops with this reason."""


class Player:
    """The script's hands and eyes: its steps, its actions through the gateway, its queries and its waits."""

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
        day_seconds: float = 86400.0,
        pace: float = 1.0,
    ) -> None:
        self.admin = admin
        self.pace = pace  # the calendar's rooms were widened by this (demo.year.machine_pace)
        self.on_started = on_started
        self.query_patience = query_patience
        self.day_seconds = day_seconds  # a day of the plan on the compressed calendar
        self.beside: list[asyncio.Task[None]] = []
        self.sessions = sessions
        self.scenario = scenario
        self.script = scenario.script
        self.plan = plan
        self.cohort = plan.cohort
        self.progress_file = progress_file
        self.done: set[str] = set(json.loads(progress_file.read_text())["done"]) if progress_file.exists() else set()
        self.out = out
        self._given: Counter[str] = Counter()  # actions given per step, workflow and update (their update IDs)
        self.missed_deadlines: Counter[str] = Counter()  # steps the script came to after their deadline had passed

    # ---- plumbing -----------------------------------------------------------------------------
    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _save(self) -> None:
        save_progress(self.progress_file, self.plan, self.done, self.pace)

    async def step(self, key: str, at: datetime, action: Callable[[], Awaitable[None]]) -> None:
        """Run a step of the script once, at its time on the compressed calendar; a rerun skips it."""
        if key in self.done:
            return
        wait = (at - datetime.now(UTC)).total_seconds()
        if wait > 0:
            await asyncio.sleep(wait)
        token = STEP.set(key)
        try:
            await action()
        finally:
            STEP.reset(token)
        self.done.add(key)
        self._save()

    async def act(self, workflow_id: str, update: Any, arg: Any) -> Any:
        try:
            return await self._perform(workflow_id, update, arg)
        except Refused as refused:
            self.say(f"  refused: {update.__name__} on {workflow_id}: {refused}")
            return None

    async def _perform(self, workflow_id: str, update: Any, arg: Any) -> Any:
        """The action through the gateway under an update ID of its own (its step, workflow, update and how many
        such the step gave before): when a busy server cannot say whether the workflow took it (a workflow task that
        timed out, a lost answer), it is given again under the same ID, which Temporal runs at most once, for up to
        `query_patience` seconds as a query is (a server that is gone stops the demo, not this wait). A rerun
        of a step gives the same IDs, so what the step did before is not done twice."""
        command, target, account = acting.typed(self.scenario, workflow_id, update, arg.actor)
        key = f"demo.{STEP.get()}.{workflow_id}.{update.__name__}"
        update_id = f"{key}.{self._given[key]}"
        self._given[key] += 1
        deadline = time.monotonic() + self.query_patience
        while True:
            try:
                return await self.admin.perform(command, target, arg, account, update_id=update_id)
            except OutcomeUnknown:
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(1.0)

    async def mistake(self, workflow_id: str, update: Any, arg: Any) -> None:
        """An action the script gets wrong on purpose: the workflow must refuse it and change nothing."""
        try:
            await self._perform(workflow_id, update, arg)
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

    async def for_groups(self, action: Callable[[str], Awaitable[None]], limit: int = 8) -> None:
        """The action for every group in the programme, `limit` groups at a time."""
        slots = asyncio.Semaphore(limit)

        async def guarded(application_id: str) -> None:
            async with slots:
                await action(application_id)

        await asyncio.gather(*(guarded(a) for a in await self.groups()))

    async def until(
        self, check: Callable[[], Awaitable[bool]], timeout: float = WAIT_PATIENCE, what: str = "the expected state"
    ) -> None:
        """Wait for what the workflows report, not for the clock: an action waits for the stage it needs, as long as
        a busy machine makes the workflows take, and the demo stops with an error only after `timeout`."""
        deadline = time.monotonic() + timeout
        while not await check():
            if time.monotonic() > deadline:
                raise DemoError(f"the cohort did not reach {what} within {timeout:g} s")
            await asyncio.sleep(0.3)

    # The waits below read the rows the workflows write as their state changes (in the same task), one small read a
    # look: a national cohort's overview (357 applications) asked three times a second, and every group asked on
    # every look, were a share of the worker's and the server's work in the year.
    async def _cohort_row(self) -> CohortRecord | None:
        async with self.sessions() as session:
            return await session.get(CohortRecord, self.cohort)

    async def every_group_row(self, condition: ColumnElement[bool]) -> bool:
        """Whether every group in the programme has a row that meets `condition`: one read, not a query to each."""
        programme = await self.groups()
        async with self.sessions() as session:
            meeting = set(
                await session.scalars(select(GroupRecord.group_id).where(GroupRecord.cohort == self.cohort, condition))
            )
        return all(self.group_id(a) in meeting for a in programme)

    async def _stage_is(self, stage: str) -> bool:
        row = await self._cohort_row()
        return row is not None and row.stage == stage

    async def _pending(self, action: str) -> bool:
        row = await self._cohort_row()
        return row is not None and any(p.get("code") == action for p in row.pending or [])
