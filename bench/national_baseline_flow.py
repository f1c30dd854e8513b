"""The bare-Temporal baseline's trivial workflow and no-op activity, and its worker (run as a process of its own by
bench/national.py: `python bench/national_baseline_flow.py`, configured by the environment as worker.py is).

One trivial workflow stands for one workflow of the project run (bench/national_history.Shape): it waits the same
timers (each firing at the same time after its start) and runs, after its start, each timer and each signal or update
it receives, as many no-op activities and local activities as the project's workflow ran after it. The worker takes
the project worker's options as runtime/wiring.py builds them (task queue, cache size, concurrency, sticky queue,
workflow runner), with only the workflows and activities replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from typing import Any

from temporalio import activity, workflow

SHORTEST_TIMER = 0.001  # two timers due at once: the second still a timer of its own
TIMEOUT = timedelta(minutes=5)


@activity.defn(name="baseline_noop")
async def noop() -> None:
    return None


@workflow.defn(name="BaselineWorkflow")
class BaselineWorkflow:
    def __init__(self) -> None:
        self.plan: dict[str, Any] = {}
        self.received = 0
        self.handled = 0

    async def work(self, step: list[Any]) -> None:
        activities, local = int(step[-2]), int(step[-1])
        for _ in range(activities):
            await workflow.execute_activity(noop, start_to_close_timeout=TIMEOUT)
        for _ in range(local):
            await workflow.execute_local_activity(noop, start_to_close_timeout=TIMEOUT)

    async def message(self) -> None:
        index = self.received
        self.received += 1
        await workflow.wait_condition(lambda: bool(self.plan))  # a message before the run began: its plan first
        messages = self.plan["messages"]
        if index < len(messages):
            await self.work(messages[index])
        self.handled += 1

    @workflow.signal(name="baseline_signal")
    async def signal(self) -> None:
        await self.message()

    @workflow.update(name="baseline_update")
    async def update(self) -> None:
        await self.message()

    @workflow.run
    async def run(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        begun = workflow.now()
        await self.work(plan["start"])
        for fires, *step in sorted(plan["timers"]):
            elapsed = (workflow.now() - begun).total_seconds()
            await workflow.sleep(max(fires - elapsed, SHORTEST_TIMER))
            await self.work(step)
        expected = len(plan["messages"])
        await workflow.wait_condition(lambda: self.handled >= expected and workflow.all_handlers_finished())


async def serve() -> None:
    from sqlalchemy.ext.asyncio import create_async_engine
    from temporalio.worker import Worker

    from runtime.settings import get_settings
    from runtime.wiring import configured_worker, connect
    from store.db import make_session_factory

    settings = get_settings()
    client = await connect(settings)
    engine = create_async_engine("sqlite+aiosqlite://")  # never used: the project worker is built for its options
    # built for another task queue: one process may not register two workers of one task queue
    probe = settings.model_copy(update={"task_queue": f"{settings.task_queue}-options"})
    options: dict[str, Any] = dict(configured_worker(client, probe, make_session_factory(engine), None).config())
    options |= {
        "client": client,
        "task_queue": settings.task_queue,
        "workflows": [BaselineWorkflow],
        "activities": [noop],
    }
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with Worker(**options):
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve())
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
