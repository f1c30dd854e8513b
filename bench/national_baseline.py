"""The bare-Temporal baseline of bench/national.py: the project run's shapes (bench/national_history.py) replayed by
trivial workflows (bench/national_baseline_flow.py) on a fresh server of the same kind, its worker in a process of
its own, the driver starting each workflow and sending each signal and update at its time after the start."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from national_history import Run, Shape, fetch
from national_procs import cpu_seconds, peak_rss_mib, start_python, start_server, stop, watched
from temporalio.client import Client, WorkflowHandle

from runtime.codec import data_converter

WORKFLOW = "BaselineWorkflow"


@dataclass
class Baseline:
    wall: float  # the driver's start to the last workflow's close
    span: float  # the first event to the last, on the server
    server_cpu: float
    worker_rss: float
    run: Run


async def drive(client: Client, task_queue: str, shapes: list[Shape]) -> None:
    origin = time.monotonic()

    async def at(offset: float) -> None:
        await asyncio.sleep(max(0.0, offset - (time.monotonic() - origin)))

    async def one(index: int, shape: Shape) -> None:
        await at(shape.started)
        handle: WorkflowHandle[object, None] = await client.start_workflow(
            WORKFLOW, shape.plan(), id=f"{shape.workflow_id}~{index}", task_queue=task_queue, result_type=type(None)
        )
        for kind, offset, *_ in shape.messages:
            await at(offset)
            if kind == "signal":
                await handle.signal("baseline_signal")
            else:
                await handle.execute_update("baseline_update")
        await handle.result()

    await asyncio.gather(*(one(i, s) for i, s in enumerate(shapes)))


async def run_baseline(folder: Path, env: dict[str, str], key: bytes, shapes: list[Shape], nice: int = 0) -> Baseline:
    """The same binary, a fresh SQLite file, the project worker's options and priority; the worker in a process of
    its own."""
    server, address = await asyncio.to_thread(start_server, folder, "baseline", nice)
    worker = None
    try:
        worker_env = env | {"TEMPORAL_ADDRESS": address}
        worker = start_python(["bench/national_baseline_flow.py"], worker_env, folder, "baseline-worker", nice)
        client = await Client.connect(address, data_converter=data_converter(key))
        started = time.monotonic()
        queue = env.get("NIS_TASK_QUEUE", "innovasjonsskole")
        await watched(drive(client, queue, shapes), {"baseline worker": worker, "baseline server": server})
        wall = time.monotonic() - started
        cpu, rss = cpu_seconds(server.pid), peak_rss_mib(worker.pid)
        run = await fetch(client)
        return Baseline(wall=wall, span=run.span, server_cpu=cpu, worker_rss=rss, run=run)
    finally:
        if worker is not None:
            stop(worker)
        stop(server)
