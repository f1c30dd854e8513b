"""What the worker's memory is at national size: RSS against the number of workflows it holds in its cache.

A throw-away dev server (a SQLite file, as bench/national.py), worker.py in a process of its own with
NIS_WORKER_MAX_CACHED_WORKFLOWS as given, and the national cohort opened as bench/web_national.py does: every
municipality applies with four participants and all are admitted, so 357 groups and 1,428 participants start and
stay open. Prints the worker's RSS (VmRSS now, VmHWM peak) before the cohort, after the intake and once every
workflow runs, and how much each workflow in the cache holds: (RSS once running - RSS before) / workflows cached.

`python bench/worker_memory.py [--cache 2500] [--municipalities 357] [--applying 120]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from national import environment
from national_procs import free_port, peak_rss_mib, rss_mib, start_python, start_server, stop
from web_national import open_national_cohort

from gateway.admin import Admin
from runtime.settings import get_settings
from runtime.wiring import connect, people_register
from store.db import create_schema, make_engine, make_session_factory


def memory_mib(pid: int) -> tuple[float, float]:
    """VmRSS and VmHWM of the process, in MiB."""
    return rss_mib(pid), peak_rss_mib(pid)


async def settle(pid: int, seconds: float = 20.0) -> tuple[float, float]:
    """The worker's memory once its work has stopped growing it (the last workflows' first tasks done)."""
    await asyncio.sleep(seconds)
    return memory_mib(pid)


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-worker-memory-"))
    os.chmod(folder, 0o700)
    key = os.urandom(32)
    server, address = await asyncio.to_thread(start_server, folder, "memory")
    env = environment(folder, key, address, free_port()) | {"NIS_WORKER_MAX_CACHED_WORKFLOWS": str(args.cache)}
    os.environ.update(env)
    get_settings.cache_clear()
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    sessions = make_session_factory(engine)
    worker = start_python(["worker.py"], env, folder, "worker")
    try:
        client = await connect(settings)
        await asyncio.sleep(5)  # the worker imported and polling
        before = memory_mib(worker.pid)
        print(f"cache {args.cache}: worker before the cohort: RSS {before[0]:.0f} MiB", flush=True)
        admin = Admin(client, sessions, settings.task_queue, people_register(settings, sessions))
        started = time.monotonic()
        overview = await open_national_cohort(admin, sessions, args.applying, args.municipalities)
        groups = sum(a.outcome == "admitted" for a in overview.applications)
        workflows = 1 + groups * 5  # the cohort, each group and its four participants
        rss, peak = await settle(worker.pid)
        cached = min(workflows, args.cache)
        per = (rss - before[0]) / max(1, cached) * 1024
        print(
            f"cache {args.cache}: {workflows} workflows open after {time.monotonic() - started:.0f} s; worker RSS "
            f"{rss:.0f} MiB (peak {peak:.0f} MiB); {per:.0f} KiB a cached workflow ({cached} cached)",
            flush=True,
        )
    finally:
        stop(worker)
        stop(server)
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=int, default=2500, help="NIS_WORKER_MAX_CACHED_WORKFLOWS")
    parser.add_argument("--municipalities", type=int, default=None, help="the first N of the register (default all)")
    parser.add_argument("--applying", type=float, default=120.0, help="seconds until the application deadline")
    asyncio.run(main(parser.parse_args()))
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
