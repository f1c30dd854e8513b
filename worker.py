"""The worker: runs every workflow and activity until Ctrl-C or SIGTERM (running activities may finish first)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import structlog
from temporalio.runtime import Runtime

from runtime.files import private_dir, restrict_process_umask
from runtime.logs import configure_logging, core_logging
from runtime.metrics import MetricsUnavailable, worker_runtime
from runtime.reminders import ensure_reminder_schedule
from runtime.settings import Settings, get_settings
from runtime.wiring import (
    build_relay,
    configured_worker,
    connect,
    database_engine,
    ensure_search_attributes,
    relay_running,
)
from store.db import SchemaBehind, create_schema, make_session_factory

log = structlog.get_logger()


async def run_worker(settings: Settings, runtime: Runtime) -> None:
    engine = database_engine(settings)  # its pool sized by NIS_DATABASE_POOL_SIZE / _MAX_OVERFLOW
    await create_schema(engine)
    client = await connect(settings, runtime)
    await ensure_search_attributes(client)
    await ensure_reminder_schedule(client, settings)  # the staff reminders' sweep, every NIS_STAFF_REMINDER_INTERVAL
    sessions = make_session_factory(engine)
    # delivers the outbox's letters; None without a mail server
    relay = build_relay(settings, sessions, meter=runtime.metric_meter)
    worker = configured_worker(client, settings, sessions, relay)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log.info(
        "worker started",
        task_queue=settings.task_queue,
        address=settings.temporal_address,
        staff_reminders_every_seconds=settings.staff_reminder_interval_seconds,
        metrics=f"http://{settings.metrics_address}/metrics" if settings.metrics_address else None,
    )
    async with worker, relay_running(relay):
        await stop.wait()
        log.info("worker stopping")
    await engine.dispose()


def main() -> int:
    restrict_process_umask()  # first: the SQLite read model, the key and the documents are private
    settings = get_settings()
    private_dir(settings.data_dir)
    configure_logging(settings.log_format, settings.log_level)
    try:  # the SDK's and the engine's metrics at NIS_METRICS_ADDRESS/metrics; the SDK core's logs in our format
        runtime = worker_runtime(settings.metrics_address, core_logging(settings.log_level))
    except MetricsUnavailable as problem:
        log.error("worker not started", reason=str(problem))
        return 2
    try:
        asyncio.run(run_worker(settings, runtime))
    except SchemaBehind as behind:
        print(f"kan ikke starte workeren: {behind}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
