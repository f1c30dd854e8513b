"""worker.py and starter.py as separate programs against the dev server, as the README runs a cohort by hand:
the worker serves what starter.py asks, and SIGTERM or Ctrl-C stops it cleanly with exit code 0."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from runtime.wiring import INDEXED, ensure_search_attributes
from tests.conftest import TEST_KEY
from tests.factories import application
from tests.workflows.plans import now_plan
from workflows import search

ROOT = Path(__file__).parents[1]


@pytest.fixture
def program_env(env: WorkflowEnvironment, tmp_path: Path) -> dict[str, str]:
    return os.environ | {
        "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "NIS_TASK_QUEUE": f"tq-{uuid.uuid4().hex[:10]}",
        "NIS_DATA_DIR": str(tmp_path),
        "NIS_CODEC_KEY": base64.b64encode(TEST_KEY).decode(),
        "NIS_LOG_FORMAT": "json",
        "NIS_ACCOUNT": "kari.admin",  # made by `starter.py user add` in the test, as the README has it
        # no metrics: their default port may be another worker's on this machine (tests/runtime/test_metrics.py)
        "NIS_METRICS_ADDRESS": "",
    }


def start_worker(program_env: dict[str, str]) -> subprocess.Popen[str]:
    """worker.py as a program of its own, once its first log line says it polls its queue."""
    process = subprocess.Popen(
        [sys.executable, "worker.py"],
        cwd=ROOT,
        env=program_env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    started = process.stderr.readline()
    assert "worker started" in started and program_env["NIS_TASK_QUEUE"] in started, started
    return process


@pytest.fixture
def worker(program_env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = start_worker(program_env)
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def starter(program_env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "starter.py", *argv],
        cwd=ROOT,
        env=program_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    return process.returncode, err


async def test_a_cohort_by_hand_with_worker_and_starter_programs(
    worker: subprocess.Popen[str], program_env: dict[str, str], client: Client, tmp_path: Path
) -> None:
    plan = now_plan(
        {
            "application_deadline": 600,
            "selection_date": 601,
            "written_deadline": 1500,
            "oral_start": 1510,
            "oral_end": 1520,
        },
        gathering_starts=[700 + 10 * i for i in range(6)],
        requirement_deadlines=[1000 + i for i in range(4)],
    )
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    (tmp_path / "app.json").write_text(json.dumps(application(["4601"]) | {"cohort": plan.cohort}), encoding="utf-8")

    (tmp_path / "password").write_text("kari sitt eget passord\n", encoding="utf-8")
    made = starter(
        program_env, "user", "add", "kari.admin", "--role", "admin", "--password-file", str(tmp_path / "password")
    )
    assert made.returncode == 0, made.stderr
    opened = starter(program_env, "start-cohort", str(tmp_path / "plan.json"), "--seed", "frø")
    opened_line = f"kull {plan.cohort} er åpnet: arbeidsflyt kull-{plan.cohort}"
    assert opened.returncode == 0 and opened.stdout.strip() == opened_line
    applied = starter(program_env, "apply", str(tmp_path / "app.json"))
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.strip() == f"søknad 4601 er mottatt: gruppe kull-{plan.cohort}.gruppe-4601"
    # the same file handed in again (a retry after a lost answer) is the same application, not a second one
    again = starter(program_env, "apply", str(tmp_path / "app.json"))
    assert again.returncode == 0 and again.stdout == applied.stdout
    data = json.loads((tmp_path / "app.json").read_text(encoding="utf-8"))
    data["participants"][0]["email"] = "ny.deltaker@4601.no"  # another application naming the same municipality
    (tmp_path / "other.json").write_text(json.dumps(data), encoding="utf-8")
    other = starter(program_env, "apply", str(tmp_path / "other.json"))
    assert other.returncode == 1 and other.stdout == ""
    assert other.stderr.strip() == (
        "avvist: søknad 4601: Bergen (4601) har allerede søkt om plass på dette kullet, i søknaden fra Bergen."
    )
    shown = starter(program_env, "show", "cohort", plan.cohort, "--json")
    overview = json.loads(shown.stdout)
    assert shown.returncode == 0 and overview["stage"] == "intake" and overview["seed"] is None  # published at the draw
    assert [(a["id"], a["outcome"]) for a in overview["applications"]] == [("4601", "applied"), ("4601", "refused")]

    code, log = stop(worker, signal.SIGTERM)
    assert code == 0 and "worker stopping" in log and "Traceback" not in log
    async for execution in client.list_workflows(f"NisCohort = '{plan.cohort}' AND ExecutionStatus = 'Running'"):
        await client.get_workflow_handle(execution.id).terminate("test done")


def test_ctrl_c_stops_the_worker_cleanly(worker: subprocess.Popen[str]) -> None:
    time.sleep(0.5)
    code, log = stop(worker, signal.SIGINT)
    assert code == 0 and "worker stopping" in log and "Traceback" not in log


async def test_the_worker_registers_missing_search_attributes_once() -> None:
    bare = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")), dev_server_log_level="error"
    )  # a new deployment's server
    try:
        request = ListSearchAttributesRequest(namespace=bare.client.namespace)
        assert "NisCohort" not in (await bare.client.operator_service.list_search_attributes(request)).custom_attributes
        await ensure_search_attributes(bare.client)
        await ensure_search_attributes(bare.client)  # already there: nothing to do, no error
        known = (await bare.client.operator_service.list_search_attributes(request)).custom_attributes
        assert {name: known[name] for name in search.DEFINITIONS} == {
            name: INDEXED[kind] for name, kind in search.DEFINITIONS.items()
        }
    finally:
        await bare.shutdown()
