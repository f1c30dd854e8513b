"""Record the histories that tests/test_replay.py replays: the kull-2022 demo cohort, run by today's workflows on a
throw-away dev server, every workflow of it (cohort, groups, participants) written as gzipped JSON here.

Run it again only on purpose: when a workflow change is meant to break replay (and the old histories no longer
need to run, see the README's "Changing a workflow"). `python -m tests.histories.record [--speed 2]`
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import os
import sys
import tempfile
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from activities.staff_notices import SweepInput
from demo.acting import actor_roles, external_actors
from demo.embedded import venv_binary
from demo.run import run_scenario
from demo.scenario import Scenario
from domain.plan import load_plan
from runtime.codec import data_converter
from runtime.wiring import build_worker
from store.accounts import Accounts
from store.db import create_schema, make_engine, make_session_factory
from store.people import People, register_key
from tests.histories.fingerprint import fingerprint, write_recorded
from web.demo_accounts import create_actor_accounts
from workflows import search
from workflows.staff_reminders import StaffReminderWorkflow

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
# Not a secret: it encrypts the histories of fictional people so the replay test can decode them.
RECORDING_KEY = bytes(range(32))
SWEEP_ID = "nis-staff-reminders-sweep"  # runtime/reminders.py's, without the time the schedule appends
SWEEP = SweepInput(link="http://127.0.0.1:8000/oppgaver")


async def recording_server() -> WorkflowEnvironment:
    """A throw-away dev server whose histories are encrypted with the recording key the replay test decodes."""
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(RECORDING_KEY),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
    )


async def record(speed: float) -> int:
    scenario = Scenario.model_validate_json(
        (ROOT / "demo" / "scenarios" / "kull-2022.json").read_text(encoding="utf-8")
    )
    template = load_plan(ROOT / "demo" / "plans" / "kull-2022.json")
    env = await recording_server()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite+aiosqlite:///{folder}/readmodel.sqlite3")
        await create_schema(engine)
        await Accounts.create_table(engine)
        sessions = make_session_factory(engine)
        # the script acts as accounts (the supervisor, the appeals' commission), made as the demo makes them
        await create_actor_accounts(Accounts(sessions), actor_roles(scenario), external_actors(scenario))
        async with build_worker(env.client, "record", sessions):
            people = People(sessions, register_key(RECORDING_KEY))
            await run_scenario(
                env.client, sessions, "record", scenario, template, speed, Path(folder), io.StringIO(), people
            )
            # the staff reminders' sweep belongs to no cohort: one run of it, as its schedule starts it
            await env.client.execute_workflow(StaffReminderWorkflow.run, SWEEP, id=SWEEP_ID, task_queue="record")
        await engine.dispose()
    for old in HERE.glob("*.json.gz"):
        old.unlink()
    runs: dict[str, int] = {}
    query = f"NisCohort = '{scenario.cohort}' OR WorkflowId = '{SWEEP_ID}'"
    async for execution in env.client.list_workflows(query):
        history = await env.client.get_workflow_handle(execution.id, run_id=execution.run_id).fetch_history()
        runs[execution.id] = runs.get(execution.id, 0) + 1  # a workflow that continued as new has several runs
        path = HERE / f"{execution.id}~{runs[execution.id]}.json.gz"
        path.write_bytes(gzip.compress(history.to_json().encode(), mtime=0))
    count = sum(runs.values())
    await env.shutdown()
    write_recorded(f"the {scenario.cohort} demo cohort; then record_end_of_year adds one appeal and one re-sit")
    print(f"recorded {count} histories in {HERE}, workflow code {fingerprint()}: add a line to the README's changelog")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", type=float, default=1.0)
    code = asyncio.run(record(parser.parse_args().speed))
    sys.stdout.flush()
    os._exit(code)
