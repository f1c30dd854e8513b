"""Code that runs when a timer fires decides by which timer fired, never by re-reading the clock.

A freshly started worker that answered queries around a timer was seen to report `workflow.now()` as the time before
the timer, after it fired; its replay (which sees the right time) then took another branch and the cohort failed
every task with a nondeterminism error. Here the first worker reads a clock that lags by a few seconds, as that worker
did; the history it writes must replay on the true clock. The old pattern (`if at <= workflow.now(): fire`) starts a
second timer on the lagging clock where the replay fires at once, and fails this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import Client

from runtime.codec import data_converter
from runtime.wiring import replayer
from tests.conftest import TEST_KEY, Harness
from tests.workflows.helpers import eventually
from tests.workflows.plans import plan_from
from tests.workflows.test_group import start_group
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.messages import CohortInput

LAG = timedelta(seconds=3)


@contextmanager
def lagging_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    true_now = workflow.now
    monkeypatch.setattr(workflow, "now", lambda: true_now() - LAG)
    try:
        yield
    finally:
        monkeypatch.setattr(workflow, "now", true_now)


async def replays(client: Client, workflow_id: str) -> None:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    replaying = replayer(data_converter(TEST_KEY))
    await replaying.replay_workflow(history)  # raises on a nondeterminism error


async def test_a_group_whose_worker_reads_a_lagging_clock_replays_on_the_true_one(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t0 = datetime.now(UTC) - timedelta(seconds=60)
    plan = plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": 3600,
            "oral_start": 3610,
            "oral_end": 3620,
        },
        gathering_starts=[10, 66, 1800, 1810, 1820, 1830],
        requirement_deadlines=[70, 1900, 1901, 1902],
        reminder_seconds_before=[4.0, 2.0],
        resubmission_seconds=3.0,
    )
    with lagging_clock(monkeypatch):
        async with Harness(client, tmp_path) as harness:
            handle = await start_group(harness, plan=plan)

            async def failed() -> None:  # two reminders, a missed deadline, its reminders and the failed resubmission
                detail = await handle.query(GroupWorkflow.detail)
                assert detail.requirements[0].status == "failed"

            await eventually(failed, timeout=40)
    await replays(client, handle.id)


async def test_a_cohort_whose_worker_reads_a_lagging_clock_replays_on_the_true_one(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t0 = datetime.now(UTC)
    plan = plan_from(
        t0,
        {
            "application_deadline": 3,
            "selection_date": 4,
            "written_deadline": 3600,
            "oral_start": 3610,
            "oral_end": 3620,
        },
        gathering_starts=[1800 + i for i in range(6)],
        requirement_deadlines=[1900 + i for i in range(4)],
    )
    with lagging_clock(monkeypatch):
        async with Harness(client, tmp_path) as harness:
            handle = await client.start_workflow(
                CohortWorkflow.run,
                CohortInput(plan=plan, seed="stale"),
                id=f"kull-{plan.cohort}",
                task_queue=harness.task_queue,
            )

            async def drawn() -> None:
                assert (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn"

            await eventually(drawn, timeout=20)
    await replays(client, handle.id)
