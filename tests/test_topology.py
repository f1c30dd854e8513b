"""The production topology without containers (issue 21): the worker and the web app as separate processes against
the dev server and PostgreSQL (127.0.0.1:5432, a database of the test's own, brought up with `starter.py db
upgrade` as the compose file's migrate job does), a whole group through the year while the worker is killed with
SIGKILL and started again, the worker's metrics scraped and the web app's `/readyz` green."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from temporalio.testing import WorkflowEnvironment

from domain.models import Grade
from store.db import make_engine
from store.tables import GroupRecord, OutboxRecord, ParticipantRecord
from tests.conftest import TEST_KEY, Harness
from tests.db_fixtures import POSTGRES_URL
from tests.test_worker import start_worker
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import publish
from tests.workflows.test_group import ACTOR, approve_all, members, start_group
from workflows.group import GroupWorkflow
from workflows.messages import OralAdjustment, OralInput, SubmitWrittenInput, WrittenGradeInput

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def database() -> AsyncIterator[str]:
    """A PostgreSQL database of this test's own, dropped afterwards; the test skips, saying why, without a server."""
    name = f"topology_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with asyncio.timeout(5), admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        await admin.dispose()
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} does not answer ({type(error).__name__})")
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
def program_env(env: WorkflowEnvironment, database: str, tmp_path: Path) -> dict[str, str]:
    return os.environ | {
        "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "NIS_TASK_QUEUE": f"tq-{uuid.uuid4().hex[:10]}",
        "NIS_DATA_DIR": str(tmp_path),
        "NIS_DATABASE_URL": database,
        "NIS_CODEC_KEY": base64.b64encode(TEST_KEY).decode(),
        "NIS_LOG_FORMAT": "json",
        "NIS_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",
        "NIS_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
        "NIS_WEB_SECRET": uuid.uuid4().hex,
    }


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    running: list[subprocess.Popen[str]] = []
    yield running
    for process in running:
        if process.poll() is None:
            process.kill()
            process.wait()


async def answered(url: str) -> httpx.Response:
    async def get() -> httpx.Response:
        try:
            async with httpx.AsyncClient(timeout=5) as http:
                answer = await http.get(url)
        except httpx.TransportError as error:
            raise AssertionError(f"{url}: {error!r}") from None
        assert answer.status_code == 200, (url, answer.status_code, answer.text)
        return answer

    return await eventually(get, timeout=60)


async def test_a_group_through_the_year_on_the_production_topology_survives_a_killed_worker(
    env: WorkflowEnvironment, program_env: dict[str, str], processes: list[subprocess.Popen[str]], database: str
) -> None:
    upgraded = subprocess.run(
        [sys.executable, "starter.py", "db", "upgrade"],
        cwd=ROOT,
        env=program_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    processes.append(start_worker(program_env))
    web = subprocess.Popen(
        [sys.executable, "starter.py", "web"],
        cwd=ROOT,
        env=program_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    processes.append(web)
    base = f"http://{program_env['NIS_WEB_ADDRESS']}"
    assert (await answered(f"{base}/healthz")).status_code == 200
    assert (await answered(f"{base}/readyz")).json() == {"database": "ok", "temporal": "ok"}

    # the test only acts as a client: the workflows run in the worker process, on its task queue
    remote = cast(Harness, SimpleNamespace(client=env.client, task_queue=program_env["NIS_TASK_QUEUE"]))
    handle = await start_group(remote)
    ids = await members(handle)
    await approve_all(handle)

    processes[0].send_signal(signal.SIGKILL)  # mid-year: its cached workflows are lost, their histories stay
    processes[0].wait()
    processes.append(start_worker(program_env))

    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.C))
    adjustments = [
        OralAdjustment(participant_workflow_id=i, adjustment=a) for i, a in zip(ids[:3], (1, 0, -1), strict=True)
    ]
    await handle.execute_update(GroupWorkflow.register_oral, OralInput(actor=ACTOR, adjustments=adjustments))

    async def graded() -> None:
        assert (await handle.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(graded)
    await publish(handle)

    engine = make_engine(database)
    try:

        async def recorded() -> None:
            async with engine.connect() as connection:
                group = (await connection.execute(select(GroupRecord.stage))).scalars().all()
                grades = (await connection.execute(select(ParticipantRecord.final_grade))).scalars().all()
                kinds = (await connection.execute(select(OutboxRecord.kind))).scalars().all()
            assert group == ["published"]
            assert sorted(g for g in grades if g) == ["B", "C", "D"]
            assert kinds.count("result_published") == 3

        await eventually(recorded)
    finally:
        await engine.dispose()

    scrape = (await answered(f"http://{program_env['NIS_METRICS_ADDRESS']}/metrics")).text
    # the SDK's own (the restarted worker polls) and the engine's (what this worker process saw since its start)
    assert re.search(r'^temporal_num_pollers\{[^}]*poller_type="workflow_task"[^}]*\} [1-9]', scrape, re.M), scrape
    oral = r'^nis_admin_actions\{[^}]*action="register_oral"[^}]*outcome="accepted"[^}]*\} 1$'
    assert re.search(oral, scrape, re.M), scrape
    assert re.search(r"^nis_letters_queued\{[^}]*\} [1-9]", scrape, re.M), scrape
    assert "kull-" not in scrape and "@" not in scrape  # no workflow ID, no address in a label
    assert (await answered(f"{base}/readyz")).status_code == 200
