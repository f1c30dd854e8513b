"""How fast the web app's pages answer at national size: all 357 municipalities apply and are admitted (357 groups,
1,428 participants, every workflow running on a throw-away dev server), and the read model then gets ~32,000 letters
and ~20,000 audit entries seeded directly (copies of the real ones with new keys), as a year leaves them.

Signs in as the administration, a municipality contact, a teacher and an examiner, and requests each page ROUNDS
times one after another over HTTP (uvicorn in this process). Prints p50, p95, p99 and the slowest in milliseconds.
The target is p99 <= 100 ms each. `python bench/web_national.py [--rounds 100] [--letters 32000]`
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
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
from store.tables import AuditRecord, GroupRecord, OutboxRecord, ParticipantRecord
from web.app import create_app
from workflows import search
from workflows.cohort import CohortWorkflow
from workflows.messages import CohortOverview, ConfirmSelectionInput

KOMMUNER = Path(__file__).parents[1] / "domain" / "kommuner.csv"
SECTORS = ["helse_omsorg", "oppvekst_utdanning", "teknisk_miljo", "kultur_fritid"]
DAYS = [3, 2, 2, 2, 3, 2]
PASSWORD = "benk-passord-123"
MEMBERS = 4
APPLYING_SECONDS = 240.0  # the application deadline: time for 357 applications on a busy machine (--applying)


def plan(places: int, d: float = APPLYING_SECONDS) -> CohortPlan:
    t0 = datetime.now(UTC)

    def at(seconds: float) -> datetime:
        return t0 + timedelta(seconds=seconds)

    starts = [d + 2, *(3600 + 60 * i for i in range(5))]
    return CohortPlan(
        cohort=f"bench{uuid.uuid4().hex[:6]}",
        places=places,
        application_deadline=at(d),
        selection_date=at(d + 1),
        gatherings=[Gathering(theme=THEMES[i], start=at(s), end=at(s + 1), days=DAYS[i]) for i, s in enumerate(starts)],
        work_requirements=[WorkRequirement(title=f"Arbeidskrav {i + 1}", deadline=at(86400 + i)) for i in range(4)],
        written_deadline=at(2 * 86400),
        oral_start=at(2 * 86400 + 10),
        oral_end=at(2 * 86400 + 20),
    )


def application(cohort: str, number: str) -> Application:
    people = [
        {
            "name": f"Deltaker {i} {number}",
            "email": f"deltaker{i}@k{number}.no",
            "sector": SECTORS[i % len(SECTORS)],
            "role": "rådgiver",
            "education_years": 3,
            "experience_years": 2,
        }
        for i in range(MEMBERS)
    ]
    contact = {"name": f"Kontakt {number}", "email": f"kontakt@k{number}.no"}
    data = {"cohort": cohort, "municipalities": [number], "contact": contact, "participants": people}
    return Application.model_validate(data)


async def open_national_cohort(
    admin: Admin, sessions: async_sessionmaker[AsyncSession], applying: float
) -> CohortOverview:
    with KOMMUNER.open(encoding="utf-8") as file:
        numbers = [row["kommunenummer"] for row in csv.DictReader(file)]
    cohort_plan = plan(len(numbers), applying)
    handle = await admin.open_cohort(cohort_plan, seed="benk")
    limit = asyncio.Semaphore(8)

    async def apply(number: str) -> None:
        async with limit:
            result = await admin.apply(application(cohort_plan.cohort, number), "bench")
            assert result.accepted, result.problems

    started = time.perf_counter()
    await asyncio.gather(*(apply(n) for n in numbers))
    print(f"{len(numbers)} applications in {time.perf_counter() - started:.0f} s", flush=True)
    while True:
        try:
            if (await handle.query(CohortWorkflow.overview)).stage == "selection_drawn":
                break
        except RPCError:
            pass  # a busy machine: ask again
        await asyncio.sleep(1)
    await handle.execute_update(CohortWorkflow.confirm_selection, ConfirmSelectionInput(actor="bench"))
    started = time.perf_counter()
    while True:  # every group running its programme, every participant's row written (read from the rows: a
        # query of the cohort may time out while 1,786 workflows start)
        async with sessions() as session:
            running = await session.scalar(
                select(func.count()).select_from(GroupRecord).where(GroupRecord.stage == "programme")
            )
            rows = await session.scalar(select(func.count()).select_from(ParticipantRecord))
        if running == len(numbers) and rows == len(numbers) * MEMBERS:
            print(f"{running} groups and {rows} participants running after {time.perf_counter() - started:.0f} s")
            break
        await asyncio.sleep(2)
    while True:
        try:
            overview: CohortOverview = await handle.query(CohortWorkflow.overview)
            return overview
        except RPCError:
            await asyncio.sleep(2)


async def seed_letters_and_audit(sessions: async_sessionmaker[AsyncSession], letters: int, entries: int) -> None:
    """Copies of the real letters and audit entries under new keys, spread over the year, up to the counts."""
    async with sessions() as session:
        real = list((await session.scalars(select(OutboxRecord))).all())
        audit = list((await session.scalars(select(AuditRecord))).all())  # the applications and the selection
        groups = list((await session.scalars(select(GroupRecord.group_id))).all())
    columns = [c.key for c in OutboxRecord.__table__.columns]
    rows: list[dict[str, Any]] = []
    for i in range(max(0, letters - len(real))):
        row = {c: getattr(real[i % len(real)], c) for c in columns}
        status = "undelivered" if i % 97 == 0 else "sent"
        when = row["created_at"] + timedelta(minutes=i)
        rows.append(row | {"idempotency_key": f"benk{i}:{row['person_id']}", "created_at": when, "status": status})
    audit_columns = [c.key for c in AuditRecord.__table__.columns if c.key != "id"]
    extra = [
        {c: getattr(audit[i % len(audit)], c) for c in audit_columns}
        | {
            "idempotency_key": f"benk-audit-{i}",
            "workflow_id": groups[i % len(groups)],  # spread over the groups, as their actions are
            "at": audit[i % len(audit)].at + timedelta(minutes=i),
        }
        for i in range(entries if audit else 0)
    ]
    async with sessions() as session, session.begin():
        for start in range(0, len(rows), 2000):
            await session.execute(insert(OutboxRecord), rows[start : start + 2000])
        for start in range(0, len(extra), 2000):
            await session.execute(insert(AuditRecord), extra[start : start + 2000])
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(OutboxRecord))
        logged = await session.scalar(select(func.count()).select_from(AuditRecord))
    print(f"read model: {count} letters, {logged} audit entries", flush=True)


async def sign_in(http: httpx.AsyncClient, username: str) -> None:
    form = await http.get("/logg-inn")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = await http.post("/logg-inn", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert answer.status_code == 303, answer.text


async def measure(http: httpx.AsyncClient, path: str, rounds: int) -> list[float]:
    for _ in range(3):  # warm-up: the plan cache, connections, the cohort's statistics
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
    return f"{name:<32} {cuts[49]:8.1f} {cuts[94]:8.1f} {cuts[98]:8.1f} {max(times):8.1f}"


async def main(rounds: int, letters: int, applying: float) -> None:
    key = os.urandom(32)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(key),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-national-"))
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
            overview = await open_national_cohort(admin, sessions, applying)
            await seed_letters_and_audit(sessions, letters, entries=20_000)
            app = create_app(settings, env.client, sessions)
            first = next(a for a in overview.applications if a.outcome == "admitted")
            accounts: Accounts = app.state.web.accounts
            await accounts.add(Account(username="benk", role=Role.ADMIN), PASSWORD)
            await accounts.add(Account(username="kontakt", role=Role.MUNICIPALITY, municipality=first.id), PASSWORD)
            await accounts.add(Account(username="laerer", role=Role.TEACHER), PASSWORD)
            await accounts.add(Account(username="sensor", role=Role.EXAMINER), PASSWORD)
            assert first.group_workflow_id
            await accounts.assign("sensor", first.group_workflow_id)
            await serve_and_measure(app, overview, first.id, rounds)
    finally:
        await engine.dispose()
        await env.shutdown()


async def serve_and_measure(app: object, overview: CohortOverview, group: str, rounds: int) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    cohort = overview.cohort
    pages = [
        ("benk", "oversikt (admin)", "/"),
        ("benk", "kull (admin)", f"/kull/{cohort}"),
        ("benk", "gruppe (admin)", f"/kull/{cohort}/grupper/{group}"),
        ("benk", "oppgaver (admin)", "/oppgaver"),
        ("benk", "brev, side 1 (admin)", f"/kull/{cohort}/brev"),
        ("kontakt", "oversikt (kontakt)", "/"),
        ("kontakt", "oppgaver (kontakt)", "/oppgaver"),
        ("laerer", "oppgaver (lærer)", "/oppgaver"),
        ("sensor", "oppgaver (sensor)", "/oppgaver"),
    ]
    admitted = sum(a.outcome == "admitted" for a in overview.applications)
    print(f"{len(overview.applications)} applications, {admitted} groups admitted; {rounds} requests a page")
    print(f"{'page (ms)':<32} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    try:
        clients: dict[str, httpx.AsyncClient] = {}
        for username, name, path in pages:
            if username not in clients:
                clients[username] = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120)
                await sign_in(clients[username], username)
            print(report(name, await measure(clients[username], path, rounds)), flush=True)
        for http in clients.values():
            await http.aclose()
    finally:
        server.should_exit = True
        await task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--letters", type=int, default=32_000)
    parser.add_argument("--applying", type=float, default=APPLYING_SECONDS, help="seconds until the deadline")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.letters, arguments.applying))
    sys.stdout.flush()
    os._exit(0)  # without interpreter teardown: the Temporal client can abort there (sdk-python #300)
