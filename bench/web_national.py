"""How fast the web app's pages answer at national size: all 357 municipalities apply and are admitted (357 groups,
1,428 participants, every workflow running on a throw-away dev server), and the read model then gets ~32,000 letters
and ~20,000 audit entries seeded directly (copies of the real ones with new keys), as a year leaves them.

Signs in as the administration, a municipality contact, a teacher and an examiner, and requests each page ROUNDS
times one after another over HTTP (uvicorn in this process). Prints p50, p95, p99 and the slowest in milliseconds.
The target is p99 <= 100 ms each. `python bench/web_national.py [--rounds 100] [--letters 32000]`

Measured (branch page-speed, 2-core machine shared with other work, `--rounds 40`/`60`, main and the branch run one
after the other in the same session; p50 / p99 ms, the home page `oversikt` as the yardstick):
  page                 main          branch
  oversikt (admin)     6.4 / 9.2     4.7 / 9.7
  kull (admin)         45.3 / 54.5   24.2 / 29.6   applications 50 a page with filters; names said once, remembered
  gruppe (admin)       37.0 / 93.9   21.4 / 31.6   audit trail read as an index range, not LIKE over ~20,000 rows
  oppgaver (admin)     27.2 / 585    16.4 / 28.4   columns, not ORM rows; a group named only when it has a task
  oppgaver (lærer)     36.5 / 79.2   22.6 / 32.9
The view's own time (pyinstrument over five views, in process): cohort page 126 -> 23 ms, inbox (admin) 25 -> 13 ms,
inbox (teacher) 30 -> 12 ms, group page 18 -> 19 ms (its time is the workflow query and the page: 100 audit rows).
The rare 340-450 ms outlier that lands on one page or another in each run (the 585 above) is a full garbage
collection of this process, which also holds the worker's ~1,800 cached workflows (timed with gc.callbacks); the web
app of `starter.py web` and bench/national.py runs in a process of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.service import RPCError
from web_bench import PASSWORD, accept_offers, header, measure, plan, report, served, sign_in, world

from domain.models import Application
from gateway.admin import Admin
from store.accounts import Account, Accounts, Role
from store.tables import AuditRecord, GroupRecord, OutboxRecord, ParticipantRecord
from web.app import create_app
from workflows.cohort import CohortWorkflow
from workflows.messages import CohortOverview, ConfirmSelectionInput

KOMMUNER = Path(__file__).parents[1] / "domain" / "kommuner.csv"
SECTORS = ["helse_omsorg", "oppvekst_utdanning", "teknisk_miljo", "kultur_fritid"]
MEMBERS = 4
APPLYING_SECONDS = 240.0  # the application deadline: time for 357 applications on a busy machine (--applying)
WIDTH = 32


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
    admin: Admin, sessions: async_sessionmaker[AsyncSession], applying: float, count: int | None = None
) -> CohortOverview:
    """The first `count` municipalities of the register (default all) apply and are admitted; returns once every
    group and participant runs."""
    with KOMMUNER.open(encoding="utf-8") as file:
        numbers = [row["kommunenummer"] for row in csv.DictReader(file)][:count]
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
    await accept_offers(handle)
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


async def main(rounds: int, letters: int, applying: float) -> None:
    async with world("bench-national-") as bench:
        overview = await open_national_cohort(bench.admin, bench.sessions, applying)
        await seed_letters_and_audit(bench.sessions, letters, entries=20_000)
        app = create_app(bench.settings, bench.client, bench.sessions)
        first = next(a for a in overview.applications if a.outcome == "admitted")
        accounts: Accounts = app.state.web.accounts
        await accounts.add(Account(username="benk", role=Role.ADMIN), PASSWORD)
        await accounts.add(Account(username="kontakt", role=Role.MUNICIPALITY, municipality=first.id), PASSWORD)
        await accounts.add(Account(username="laerer", role=Role.TEACHER), PASSWORD)
        await accounts.add(Account(username="sensor", role=Role.EXAMINER), PASSWORD)
        assert first.group_workflow_id
        await accounts.assign("sensor", first.group_workflow_id)
        async with served(app) as base:
            await measure_pages(base, overview, first.id, rounds)


async def measure_pages(base: str, overview: CohortOverview, group: str, rounds: int) -> None:
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
    print(header(WIDTH))
    clients: dict[str, httpx.AsyncClient] = {}
    try:
        for username, name, path in pages:
            if username not in clients:
                clients[username] = httpx.AsyncClient(base_url=base, timeout=120)
                await sign_in(clients[username], username)
            print(report(name, await measure(clients[username], path, rounds, warm_up=3), WIDTH), flush=True)
    finally:
        for http in clients.values():
            await http.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--letters", type=int, default=32_000)
    parser.add_argument("--applying", type=float, default=APPLYING_SECONDS, help="seconds until the deadline")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.letters, arguments.applying))
    sys.stdout.flush()
    os._exit(0)  # without interpreter teardown: the Temporal client can abort there (sdk-python #300)
