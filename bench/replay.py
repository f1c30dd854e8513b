"""What replaying a workflow costs the worker: the recorded cohort (tests/histories) replayed with the runner the
worker uses (runtime/wiring.py: the SDK's unsandboxed runner) against the SDK's sandbox as the worker had it (our
workflows, rules and models passed through), in turns, in one process. A worker replays a workflow's run whenever it
takes one it does not hold: after a restart, a kill, or an eviction from its cache.

    .venv/bin/python bench/replay.py [--rounds 3]

Prints the process CPU an event costs for each runner, in each round, and the ratio."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))  # the recorded histories and their key are the tests'

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from runtime.codec import data_converter
from runtime.wiring import WORKFLOWS, workflow_runner
from tests.histories.record import RECORDING_KEY
from tests.test_replay import HISTORIES, load
from workflows.answered import AnswerOnce

# what the worker passed through its sandbox until it ran without one
SANDBOX_PASSTHROUGH = (
    "domain",
    "activities",
    "workflows",
    "babel",
    "structlog",
    "rich",
    "colorama",
    "better_exceptions",
)


async def cpu_per_event(runner: WorkflowRunner, histories: list[WorkflowHistory]) -> float:
    """Microseconds of process CPU an event, replaying every history once."""
    replaying = Replayer(
        workflows=list(WORKFLOWS),
        data_converter=data_converter(RECORDING_KEY),
        workflow_runner=runner,
        interceptors=[AnswerOnce()],
    )
    started = time.process_time()
    for history in histories:
        await replaying.replay_workflow(history)
    return (time.process_time() - started) / sum(len(h.events) for h in histories) * 1e6


async def main(args: argparse.Namespace) -> None:
    histories = [load(path) for path in HISTORIES]
    runners: dict[str, WorkflowRunner] = {
        "unsandboxed (the worker's)": workflow_runner(),
        "sandboxed": SandboxedWorkflowRunner(
            restrictions=SandboxRestrictions.default.with_passthrough_modules(*SANDBOX_PASSTHROUGH)
        ),
    }
    events = sum(len(h.events) for h in histories)
    print(f"{len(histories)} recorded histories, {events} events, {args.rounds} rounds in turns", flush=True)
    costs: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, runner in runners.items():
            costs[name].append(await cpu_per_event(runner, histories))
    for name, each in costs.items():
        rounds = ", ".join(f"{c:.0f}" for c in each)
        print(f"  {name:<28} median {statistics.median(each):4.0f} µs of CPU an event (rounds: {rounds})")
    mine, theirs = (statistics.median(c) for c in costs.values())
    print(f"  unsandboxed / sandboxed: {mine / theirs:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
