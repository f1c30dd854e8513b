"""A second run that continues the finished cohort instead of starting it again; starting over, on the demo's own
server and on another one; a fresh start killed half-way; a demo that loses its server."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError, RPCStatusCode

from demo.embedded import _clear_cohort, answers
from store.db import create_schema, make_engine, make_session_factory
from tests.demo.helpers import DEMO_SECONDS, ROOT, run_demo
from tests.workflows.helpers import eventually
from workflows import search
from workflows.ids import cohort_workflow_id


@pytest.mark.timeout(DEMO_SECONDS + 100)  # the first test of the file may run the demo
def test_a_second_run_continues_the_finished_cohort(
    report: dict[str, Any], demo_env: dict[str, str], tmp_path: Path
) -> None:
    again = run_demo(demo_env, "--report", str(tmp_path / "again.json"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Continuing cohort 2022 where it stood" in again.stdout and "Intake:" not in again.stdout
    second = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert second["participants"] == report["participants"] and second["applications"] == report["applications"]


# ---- starting over, and a demo that loses its server ------------------------------------------------
class DemoProcess:
    """`starter.py demo` running, its output read line by line as it comes."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "starter.py", "demo", *args],
            cwd=ROOT,
            env=env | {"PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, *markers: str, timeout: float = 120) -> str:
        """Read until a line holds one of the markers; the output so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.output.append(line)
            if any(marker in line for marker in markers):
                return "".join(self.output)
        raise AssertionError(f"none of {markers} within {timeout} s:\n{''.join(self.output)}")

    def server_pid(self) -> int:
        """The embedded Temporal server this demo started (its child process)."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid and "temporal" in stat.with_name("cmdline").read_text():
                    return int(stat.parent.name)
        raise AssertionError("the demo runs no embedded server")

    def kill(self, address: str) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while answers(address) and time.monotonic() < deadline:  # its server stops with it
            time.sleep(0.2)
        assert not answers(address)


def server_database(env: dict[str, str]) -> Path:
    return Path(env["NIS_DATA_DIR"]) / "temporal.sqlite3"


@pytest.mark.timeout(300)
def test_starting_over_on_its_own_server_begins_a_new_database(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    """Not 65 deletions the server may not finish within the demo's patience: the finished cohort's database goes."""
    # a hard link holds on to the old file, so a new file cannot get its inode number back (the test once saw that)
    old = server_database(demo_env).with_name("previous-temporal.sqlite3")
    old.hardlink_to(server_database(demo_env))
    try:
        demo = DemoProcess(demo_env, "--fresh")
        out = demo.wait_for("Intake:")
        demo.kill(demo_env["TEMPORAL_ADDRESS"])
        assert "Starting over: a new database" in out and "deleting the" not in out and "Continuing" not in out
        assert not server_database(demo_env).samefile(old)
    finally:
        old.unlink()
    assert "Cohort 2022: the year compressed" in out


@pytest.mark.timeout(300)
def test_a_fresh_start_killed_before_it_cleared_anything_is_finished_by_the_next_run(
    report: dict[str, Any], demo_env: dict[str, str]
) -> None:
    progress = Path(demo_env["NIS_DATA_DIR"]) / "demo-2022.json"
    if not progress.exists():  # a cohort to continue, should this test run on its own
        DemoProcess(demo_env).wait_for("Intake:")
    fresh = DemoProcess(demo_env, "--fresh")
    fresh.wait_for("Starting the embedded Temporal server")
    fresh.kill(demo_env["TEMPORAL_ADDRESS"])

    again = DemoProcess(demo_env)
    out = again.wait_for("Cohort 2022: the year compressed", "Continuing cohort")
    again.kill(demo_env["TEMPORAL_ADDRESS"])
    assert "An earlier run with --fresh did not finish starting over; starting over now." in out
    assert "Continuing cohort" not in out and "Cohort 2022: the year compressed" in out


@pytest.mark.timeout(600)
def test_a_failing_cohort_query_stops_the_demo_with_one_line(report: dict[str, Any], demo_env: dict[str, str]) -> None:
    demo = DemoProcess(demo_env | {"NIS_DEMO_QUERY_PATIENCE_SECONDS": "5"}, "--fresh")
    demo.wait_for("Selection confirmed", timeout=400)  # the intake is longer on a busy machine (machine_pace)
    os.kill(demo.server_pid(), signal.SIGKILL)  # the server is gone: the next query the script needs fails
    demo.process.wait(timeout=180)
    assert demo.process.stderr is not None
    errors = demo.process.stderr.read()
    assert demo.process.returncode == 1, errors
    assert "Traceback" not in errors
    last = errors.strip().splitlines()[-1]
    assert last.startswith("error: the query ") and " failed: " in last, errors


async def test_starting_over_on_another_server_deletes_the_cohorts_workflows(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server the demo did not start keeps its database: the cohort's workflows are deleted, every one of them."""
    cohort = f"t{uuid.uuid4().hex[:8]}"
    ids = [cohort_workflow_id(cohort), *(f"{cohort_workflow_id(cohort)}.gruppe-{n:04d}" for n in range(1, 7))]
    attributes = TypedSearchAttributes([SearchAttributePair(search.COHORT, cohort)])
    for workflow_id in ids:  # on a task queue no worker polls: they stay open, as a running cohort's do
        await client.start_workflow(
            "CohortWorkflow", id=workflow_id, task_queue=f"nobody-{cohort}", search_attributes=attributes
        )

    async def listed() -> None:
        assert len([e async for e in client.list_workflows(f"NisCohort = '{cohort}'")]) == len(ids)

    await eventually(listed)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    progress = tmp_path / f"demo-{cohort}.json"
    progress.write_text("{}")

    await _clear_cohort(client, make_session_factory(engine), cohort, progress)
    await engine.dispose()
    assert f"Starting over: deleting the {len(ids)} workflows of cohort {cohort}" in capsys.readouterr().out
    for workflow_id in ids:
        with pytest.raises(RPCError) as gone:
            await client.get_workflow_handle(workflow_id).describe()
        assert gone.value.status == RPCStatusCode.NOT_FOUND
    assert not progress.exists()
