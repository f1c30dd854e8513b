"""The fault test of issue 9: the demo's cohort through a compressed year, once undisturbed and once under faults.

Both runs play demo/scenarios/kull-2022.json on demo/plans/kull-2022.json, each on its own embedded Temporal server
(own SQLite file, own port) with `worker.py` as a separate process. The chaos run meanwhile kills the worker with
SIGKILL at seeded moments (--kills, spread over the year) and starts it again, restarts the Temporal server on its
SQLite file (--server-restarts), and polls the cohort overview every 0.3 s. Then it compares the two runs and prints
every difference: outcomes, each person's grade, credits and certificate, letters per kind and recipient and per
event (each exactly once), audit entries (each exactly once), and whether every recorded history of the chaos run
replays on the current code. Exit 0 with "no difference", 1 otherwise.

    .venv/bin/python bench/chaos.py [--seed 1] [--kills 24] [--year 600] [--keep DIR]

The year is long enough (600 s: a day is 1.6 s) that no scripted action meets its deadline because of an outage alone:
the tightest is a late hand-in within a 10-day extension (16 s), and an outage lasts at most the workflow task
timeout (10 s) plus a worker start. The applications have a minute before their deadline. The whole run is bounded
by --timeout (default: the year plus ten minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.worker import Replayer

from demo.embedded import answers, die_with_parent, launch_dev_server
from demo.report import build_report
from demo.run import run_scenario
from demo.scenario import Scenario
from domain.models import CohortPlan
from domain.plan import load_plan
from gateway.admin import Admin
from runtime.codec import data_converter
from runtime.settings import Settings
from runtime.wiring import WORKFLOWS, connect, people_register, workflow_runner
from store.db import create_schema, make_engine, make_session_factory
from workflows.cohort import CohortWorkflow
from workflows.ids import cohort_workflow_id

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "demo" / "scenarios" / "kull-2022.json"
PLAN = ROOT / "demo" / "plans" / "kull-2022.json"
TASK_QUEUE = "innovasjonsskole"
STICKY_SECONDS = "3"
POLL_SECONDS = 0.3
MOMENT = re.compile(r"(?<![0-9a-f])\d{9,11}(?![0-9a-f])")  # a Unix timestamp in a key or reason, not in a hash
INTAKE_SECONDS = 60.0  # 24 applications one after another, on a loaded machine, before the deadline
CLOSING_SECONDS = 240  # after the oral exams: publishing, every group closing, the report


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
    await run.start_server()
    await run.start_worker()
    run.client = await connect(run.settings)
    engine = make_engine(run.settings.resolved_database_url)
    await create_schema(engine)
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


# ---- comparison -------------------------------------------------------------------------------------
def compare_reports(calm: dict[str, Any], chaos: dict[str, Any]) -> list[str]:
    differences = []
    for name in ("cohort", "seed", "places", "notices_sent", "admin_actions", "refused_actions"):
        if calm.get(name) != chaos.get(name):
            differences.append(f"report {name}: undisturbed {calm.get(name)!r}, chaos {chaos.get(name)!r}")
    for section in ("applications", "participants"):
        differences += _compare_by_id(section, calm.get(section, []), chaos.get(section, []))
    return differences


def _compare_by_id(section: str, calm: list[dict[str, Any]], chaos: list[dict[str, Any]]) -> list[str]:
    before, after = {row["id"]: row for row in calm}, {row["id"]: row for row in chaos}
    differences = [f"{section}: {key} only in the undisturbed run" for key in sorted(before.keys() - after.keys())]
    differences += [f"{section}: {key} only in the chaos run" for key in sorted(after.keys() - before.keys())]
    for key in sorted(before.keys() & after.keys()):
        for name in sorted(before[key].keys() | after[key].keys()):
            if before[key].get(name) != after[key].get(name):
                differences.append(
                    f"{section}: {key} {name}: undisturbed {before[key].get(name)!r}, chaos {after[key].get(name)!r}"
                )
    return differences


def _rows(database: Path, table: str) -> list[dict[str, Any]]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute(f"SELECT * FROM {table}")]
        except sqlite3.OperationalError:
            return []


def _pick(row: dict[str, Any], *names: str) -> Any:
    """The first column of these the read model has: the outbox and audit columns are being reshaped."""
    return next((row[name] for name in names if name in row), None)


def _stable(text: object) -> str:
    """A key or reason with the run's own moments taken out: the two runs' calendars start at different times."""
    value = re.sub(r"\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?", "<time>", str(text))
    value = re.sub(r"\d{2}\.\d{2}\.\d{4}( \d{2}:\d{2})?", "<time>", value)
    return MOMENT.sub("<time>", value)


def _person(recipient: object) -> str:
    """Recipients as they appear in the read model, without printing an e-mail address."""
    text = str(recipient)
    return f"address#{hashlib.sha256(text.encode()).hexdigest()[:8]}" if "@" in text else text


def _event_keys(keys: Iterable[str]) -> list[tuple[str, str]]:
    """(event, recipient) of outbox keys `<workflow id>:<event>:<recipient>`, with each moment in an event (a
    deadline's timestamp) replaced by its rank among that event's moments: the runs' calendars start at different
    times, but the first and the second deadline of a requirement are two events in both."""
    parts = [(key.rpartition(":")[0], key.rpartition(":")[2]) for key in keys]
    moments: dict[str, set[str]] = {}
    for event, _ in parts:
        moments.setdefault(MOMENT.sub("@", event), set()).update(MOMENT.findall(event))
    rank = {
        masked: {moment: f"moment{i}" for i, moment in enumerate(sorted(found, key=int), 1)}
        for masked, found in moments.items()
    }
    return [
        (MOMENT.sub(lambda m: rank[MOMENT.sub("@", m.string)][m.group(0)], event), recipient)
        for event, recipient in parts
    ]


@dataclass(frozen=True)
class Letters:
    per_kind_and_person: Counter[tuple[str, str]]
    per_event: dict[str, Counter[str]]  # event -> letters per recipient

    @classmethod
    def read(cls, database: Path) -> Letters:
        rows = _rows(database, "outbox")
        kinds = Counter((str(_pick(r, "kind", "template")), _person(_pick(r, "person_id", "recipient"))) for r in rows)
        events: dict[str, Counter[str]] = {}
        for event, recipient in _event_keys(str(_pick(r, "idempotency_key", "key")) for r in rows):
            events.setdefault(event, Counter())[recipient] += 1
        return cls(kinds, events)


def compare_letters(calm: Letters, chaos: Letters) -> list[str]:
    differences = [
        f"letters: {event} to {recipient} written {n} times in the {name} run"
        for name, letters in (("undisturbed", calm), ("chaos", chaos))
        for event, recipients in sorted(letters.per_event.items())
        for recipient, n in sorted(recipients.items())
        if n > 1
    ]
    for kind, person in sorted(calm.per_kind_and_person.keys() | chaos.per_kind_and_person.keys()):
        before, after = calm.per_kind_and_person[kind, person], chaos.per_kind_and_person[kind, person]
        if before != after:
            differences.append(f"letters {kind} to {person}: undisturbed {before}, chaos {after}")
    for event in sorted(calm.per_event.keys() | chaos.per_event.keys()):
        sent, also = calm.per_event.get(event, Counter()), chaos.per_event.get(event, Counter())
        if sent != also:
            differences.append(f"letter event {event}: undisturbed {sent.total()} letters, chaos {also.total()}")
    return differences


def audit_entries(database: Path) -> tuple[Counter[tuple[str, str, str, str, str]], list[str]]:
    """Entries without their moments, counted; and the entries written more than once within the run."""
    rows = _rows(database, "audit")
    entries = Counter(
        (str(r["workflow_id"]), str(r["action"]), str(r["outcome"]), str(r["actor"]), _stable(r["reason"]))
        for r in rows
    )
    exact = Counter((r["workflow_id"], r["action"], r["outcome"], r["actor"], r["reason"], r["at"]) for r in rows)
    doubled = [
        f"{w} {a} {o} at {at}: {n} times" for (w, a, o, _actor, _reason, at), n in sorted(exact.items()) if n > 1
    ]
    keys = Counter(r["idempotency_key"] for r in rows if r.get("idempotency_key"))
    doubled += [f"key {key}: {n} times" for key, n in sorted(keys.items()) if n > 1]
    return entries, doubled


def compare_audit(calm: Path, chaos: Path) -> list[str]:
    (before, doubled_before), (after, doubled_after) = audit_entries(calm), audit_entries(chaos)
    differences = [f"audit entry doubled in the undisturbed run: {d}" for d in doubled_before]
    differences += [f"audit entry doubled in the chaos run: {d}" for d in doubled_after]
    for entry in sorted(before.keys() | after.keys()):
        if before[entry] != after[entry]:
            differences.append(f"audit {' | '.join(entry)}: undisturbed {before[entry]}, chaos {after[entry]}")
    return differences


async def histories(client: Client, cohort: str) -> list[WorkflowHistory]:
    """Every run of every workflow of the cohort, continued-as-new ones included."""
    found = [execution async for execution in client.list_workflows(f"NisCohort = '{cohort}'")]
    return [await client.get_workflow_handle(e.id, run_id=e.run_id).fetch_history() for e in found]


async def replay(found: Iterable[WorkflowHistory], key: bytes) -> list[str]:
    replayer = Replayer(
        workflows=list(WORKFLOWS), data_converter=data_converter(key), workflow_runner=workflow_runner()
    )
    failures = []
    for history in found:
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        if result.replay_failure is not None:
            failures.append(f"{history.workflow_id}: {str(result.replay_failure).splitlines()[0][:300]}")
    return failures


def task_failures(found: Iterable[WorkflowHistory]) -> Counter[str]:
    """Failed workflow tasks by workflow and cause: a nondeterminism error here is a wedged workflow."""
    failed: Counter[str] = Counter()
    for history in found:
        for event in history.events:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
                cause = event.workflow_task_failed_event_attributes
                failed[f"{history.workflow_id}: {cause.failure.message[:160] or cause.cause}"] += 1
    return failed


async def compare(calm: Run, chaos: Run, cohort: str) -> list[str]:
    differences = [f"{run.name} run: {run.failure}" for run in (calm, chaos) if run.failure]
    if calm.report is None or chaos.report is None:
        differences += [f"{run.name} run: no final report" for run in (calm, chaos) if run.report is None]
    else:
        differences += compare_reports(calm.report, chaos.report)
    differences += compare_letters(Letters.read(calm.readmodel), Letters.read(chaos.readmodel))
    differences += compare_audit(calm.readmodel, chaos.readmodel)
    assert chaos.client is not None
    recorded = await asyncio.wait_for(histories(chaos.client, cohort), 120)
    failed = await replay(recorded, base64.b64decode(chaos.key))
    print(f"Replay: {len(recorded) - len(failed)} of {len(recorded)} histories of the chaos run replay")
    differences += [f"replay fails: {failure}" for failure in failed]
    for what, n in sorted(task_failures(recorded).items()):
        line = f"workflow task failed {n}x in the chaos run: {what}"
        if "nondetermin" in what.lower() or "TMPRL1100" in what:
            differences.append(line)
        else:
            print(f"  (noted) {line}")
    return differences


# ---- the program ----------------------------------------------------------------------------------
def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="draws the moments of the faults (default 1)")
    parser.add_argument("--kills", type=int, default=24, help="worker kills over the year (default 24)")
    parser.add_argument("--server-restarts", type=int, default=2, help="Temporal server restarts (default 2)")
    parser.add_argument("--year", type=float, default=600.0, help="seconds the year is compressed to (default 600)")
    parser.add_argument("--timeout", type=float, help="hard limit in seconds (default: the year plus 10 minutes)")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep both runs' data here (default: a temporary folder, kept only when there is a difference)",
    )
    args = parser.parse_args(argv)
    if args.kills < 0 or args.server_restarts < 0 or args.year < 30:
        parser.error("--kills and --server-restarts must be at least 0, --year at least 30")
    args.timeout = args.timeout or args.year + 600
    return args


async def chaos_test(args: argparse.Namespace, folder: Path) -> int:
    scenario = Scenario.model_validate_json(SCENARIO.read_text(encoding="utf-8"))
    template = load_plan(str(PLAN))
    faults = draw_faults(args.seed, args.kills, args.server_restarts)
    key = base64.b64encode(os.urandom(32)).decode()
    calm, chaos = Run.create("undisturbed", folder / "undisturbed", key), Run.create("chaos", folder / "chaos", key)
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "codec.key"  # both runs' payload key, so a kept run's histories can be decoded and replayed
    key_file.write_text(key + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    print(
        f"Seed {args.seed}: {args.kills} worker kills and {args.server_restarts} server restarts over a year of "
        f"{args.year:.0f} s; both runs in {folder}",
        flush=True,
    )
    limit = INTAKE_SECONDS + args.year + CLOSING_SECONDS
    try:
        await asyncio.gather(
            play(calm, scenario, template, args.year, None, limit),
            play(chaos, scenario, template, args.year, faults, limit),
        )
        print("\nChaos run:", *chaos.timeline, sep="\n  ")
        print(f"  cohort overview polled {chaos.polls['answered']} times answered, {chaos.polls['failed']} failed")
        differences = await compare(calm, chaos, scenario.cohort)
    finally:
        calm.stop()
        chaos.stop()
    print()
    if not differences:
        print("no difference")
        return 0
    print(f"{len(differences)} difference(s):", *differences, sep="\n  ")
    return 1


def _hard_stop(seconds: float) -> None:
    def stop() -> None:
        print(f"\nhard timeout: {seconds:.0f} s passed; stopping", file=sys.stderr, flush=True)
        os._exit(1)  # the servers and workers stop with this process (PR_SET_PDEATHSIG) or by their parent's end

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="chaos-"))
    if folder.exists() and any(folder.iterdir()):  # its servers would start on the last run's SQLite files
        print(f"--keep {folder}: the folder is not empty; give a new one", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=folder / "chaos.log", level=logging.WARNING)
    _hard_stop(args.timeout + 60)
    # the replayer and the demo's client log through the SDK's core; its warnings (a retried call while the server
    # restarts, the nondeterminism a replay finds) are in the findings already
    Runtime.set_default(
        Runtime(
            telemetry=TelemetryConfig(
                logging=LoggingConfig(filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"))
            )
        )
    )
    try:
        code = asyncio.run(asyncio.wait_for(chaos_test(args, folder), args.timeout))
    except TimeoutError:
        print(f"\nthe fault test did not end within {args.timeout:.0f} s: a difference", flush=True)
        code = 1
    if code == 0 and args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    elif code != 0:
        print(f"\nBoth runs' data (servers' SQLite files, read models, logs) kept in {folder}")
    return code


if __name__ == "__main__":
    result = main()
    sys.stdout.flush()
    os._exit(result)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
