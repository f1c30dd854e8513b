"""The two runs of the fault test (bench/chaos.py): each cohort on its own embedded Temporal server, SQLite file,
port and `worker.py` process; the faults drawn from the seed and dealt over the year; the client polling the cohort
overview meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from temporalio.client import Client

from demo.acting import actor_roles, external_actors
from demo.embedded import answers, die_with_parent, launch_dev_server
from demo.report import build_report
from demo.run import run_scenario
from demo.scenario import Scenario
from domain.models import CohortPlan
from gateway.admin import Admin
from runtime.settings import Settings
from runtime.wiring import connect, people_register
from store.accounts import Accounts
from store.db import create_schema, make_engine, make_session_factory
from web.demo_accounts import create_actor_accounts
from workflows.cohort import CohortWorkflow
from workflows.ids import cohort_workflow_id

ROOT = Path(__file__).resolve().parents[1]
TASK_QUEUE = "innovasjonsskole"
STICKY_SECONDS = "3"  # a killed worker's workflows move on soon (the default, 10 s, suits a busy machine)
POLL_SECONDS = 0.3
INTAKE_SECONDS = 60.0  # 24 applications one after another, on a loaded machine, before the deadline


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Fault:
    at: float  # fraction of the year, from the application deadline to the end of the oral exams
    kind: str  # "worker" (SIGKILL and start again) or "server" (SIGKILL the Temporal server, start it again)
    pause: float  # seconds the killed process stays down before it is started again


def draw_faults(seed: int, kills: int, server_restarts: int) -> list[Fault]:
    """One fault per slot of the year, in the middle half of its slot, so two outages never overlap; the server
    restarts take slots in the middle of the year."""
    rng = random.Random(seed)
    total = kills + server_restarts
    middle = range(total // 4, max(total // 4 + server_restarts, 3 * total // 4))
    servers = set(rng.sample(middle, server_restarts))
    return [
        Fault(
            at=(slot + 0.25 + 0.5 * rng.random()) / total,
            kind="server" if slot in servers else "worker",
            pause=round(rng.uniform(0.0, 1.0), 2),
        )
        for slot in range(total)
    ]


@dataclass
class Run:
    """One cohort on its own server, worker process, read model and data folder."""

    name: str
    settings: Settings
    key: str
    server: subprocess.Popen[bytes] | None = None
    worker: asyncio.subprocess.Process | None = None
    client: Client | None = None
    report: dict[str, Any] | None = None
    failure: str | None = None
    timeline: list[str] = field(default_factory=list)
    polls: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    workers_started: int = 0

    @classmethod
    def create(cls, name: str, folder: Path, key: str) -> Run:
        settings = Settings(
            data_dir=folder,
            database_url=f"sqlite+aiosqlite:///{folder / 'readmodel.sqlite3'}",
            smtp_host=None,
            temporal_address=f"127.0.0.1:{free_port()}",
            ui_port=free_port(),
            task_queue=TASK_QUEUE,
            codec_key=SecretStr(key),
            log_format="json",
            log_level="WARNING",
        )
        return cls(name=name, settings=settings, key=key)

    @property
    def readmodel(self) -> Path:
        return self.settings.data_dir / "readmodel.sqlite3"

    def note(self, text: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.started:7.1f}s  {text}")

    # ---- processes ----------------------------------------------------------------------------
    async def start_server(self) -> None:
        self.server = launch_dev_server(self.settings)
        deadline = time.monotonic() + 60
        while not answers(self.settings.temporal_address, timeout=0.2):
            if self.server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: the Temporal server did not start; see {self.settings.data_dir}")
            await asyncio.sleep(0.1)

    async def start_worker(self) -> None:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("NIS_", "TEMPORAL_"))}
        env = inherited | {
            "NIS_DATA_DIR": str(self.settings.data_dir),
            "TEMPORAL_ADDRESS": self.settings.temporal_address,
            "NIS_TASK_QUEUE": TASK_QUEUE,
            "NIS_CODEC_KEY": self.key,
            "NIS_STICKY_QUEUE_TIMEOUT_SECONDS": STICKY_SECONDS,
            "NIS_LOG_FORMAT": "json",
            "NIS_LOG_LEVEL": "WARNING",
            "NIS_DATABASE_URL": self.settings.resolved_database_url,
            # no metrics port: the two runs' workers would both want the default one, and the second did not start
            "NIS_METRICS_ADDRESS": "",
        }
        self.workers_started += 1
        log = open(self.settings.data_dir / f"worker-{self.workers_started}.log", "wb")  # noqa: ASYNC230, SIM115
        self.worker = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "worker.py"),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
        log.close()

    async def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        await self.worker.wait()

    async def restart_server(self, pause: float) -> float:
        assert self.server is not None
        self.server.kill()
        while self.server.poll() is None:
            await asyncio.sleep(0.05)
        began = time.monotonic()
        await asyncio.sleep(pause)
        await self.start_server()
        return time.monotonic() - began

    def stop(self) -> None:
        for process in (self.worker, self.server):
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                    process.kill()
        if self.server is not None:
            with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
                self.server.wait(timeout=10)


# ---- the two runs ---------------------------------------------------------------------------------
async def play(
    run: Run, scenario: Scenario, template: CohortPlan, year: float, faults: list[Fault] | None, limit: float
) -> None:
    """Run the scenario; with faults, disturb it meanwhile. A failure or a run past `limit` seconds is recorded."""
    run.settings.data_dir.mkdir(parents=True, exist_ok=True)
    # the database and the script's accounts first, as the demo makes them, then the server and the worker
    engine = make_engine(run.settings.resolved_database_url)
    await create_schema(engine)
    # (the script acts as accounts, demo/acting.py: without them its first supervisor stopped both runs)
    await create_actor_accounts(
        Accounts(make_session_factory(engine)), actor_roles(scenario), external_actors(scenario)
    )
    await run.start_server()
    await run.start_worker()
    run.client = await connect(run.settings)
    sessions = make_session_factory(engine)
    speed = scenario.script.year_seconds / year
    helpers: list[asyncio.Task[None]] = []
    with open(run.settings.data_dir / "demo.log", "w", encoding="utf-8") as out:  # noqa: ASYNC230
        main = asyncio.create_task(
            run_scenario(
                run.client,
                sessions,
                TASK_QUEUE,
                scenario,
                template,
                speed,
                run.settings.data_dir,
                out,
                people_register(run.settings, sessions),
                intake_seconds=INTAKE_SECONDS,
            )
        )
        if faults is not None:
            helpers = [
                asyncio.create_task(_noted(run, "the faults", disturb(run, scenario.cohort, faults))),
                asyncio.create_task(_noted(run, "the polling client", poll(run, scenario.cohort))),
            ]
        try:
            run.report = await asyncio.wait_for(main, timeout=limit)
            run.note("the demo finished")
        except TimeoutError:
            run.failure = f"the demo did not finish within {limit:.0f} s"
        except Exception as error:  # noqa: BLE001 - whatever stopped the run is the finding
            run.failure = f"the demo failed: {type(error).__name__}: {error}"
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
    if run.report is None:  # a wedged cohort: what its workflows answer now, if anything
        run.report = await _report_if_possible(run, sessions, scenario.cohort)
    await engine.dispose()


async def _noted(run: Run, name: str, work: Coroutine[Any, Any, None]) -> None:
    """A helper that fails says so in the timeline instead of vanishing with its task."""
    try:
        await work
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001
        run.note(f"{name} stopped: {type(error).__name__}: {error}")


async def _report_if_possible(run: Run, sessions: Any, cohort: str) -> dict[str, Any] | None:
    assert run.client is not None
    try:
        return await asyncio.wait_for(
            build_report(
                Admin(run.client, sessions, TASK_QUEUE, people_register(run.settings, sessions)), sessions, cohort, 0
            ),
            30,
        )
    except Exception as error:  # noqa: BLE001
        run.note(f"no report either: {type(error).__name__}: {error}")
        return None


async def _year_of(run: Run, cohort: str) -> tuple[datetime, datetime]:
    """The compressed year as the demo wrote it down: application deadline to the end of the oral exams."""
    progress = run.settings.data_dir / f"demo-{cohort}.json"
    while not progress.exists():
        await asyncio.sleep(0.1)
    for _ in range(50):
        try:
            plan = CohortPlan.model_validate(json.loads(progress.read_text())["plan"])
            return plan.application_deadline, plan.oral_end
        except ValueError:  # caught mid-write
            await asyncio.sleep(0.1)
    raise RuntimeError(f"unreadable {progress}")


async def disturb(run: Run, cohort: str, faults: list[Fault]) -> None:
    start, end = await _year_of(run, cohort)
    for fault in faults:
        wait = (start + (end - start) * fault.at - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(max(0.0, wait))
        if fault.kind == "worker":
            assert run.worker is not None
            pid = run.worker.pid
            await run.kill_worker()
            await asyncio.sleep(fault.pause)
            await run.start_worker()
            run.note(f"worker {pid} killed (SIGKILL), a new one started after {fault.pause:.2f} s")
        else:
            down = await run.restart_server(fault.pause)
            run.note(f"Temporal server killed (SIGKILL) and started again on its SQLite file: down {down:.1f} s")


async def poll(run: Run, cohort: str) -> None:
    """A client asking for the cohort overview every 0.3 s, as a dashboard would."""
    assert run.client is not None
    handle = run.client.get_workflow_handle(cohort_workflow_id(cohort))
    while True:
        try:
            await handle.query(CohortWorkflow.overview, rpc_timeout=timedelta(seconds=5))
            run.polls["answered"] += 1
        except Exception:  # noqa: BLE001 - not started yet, the worker or the server down: counted
            run.polls["failed"] += 1
        await asyncio.sleep(POLL_SECONDS)
