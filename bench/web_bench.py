"""What bench/web_pages.py and bench/web_national.py share: a throw-away dev server with a worker and a read model in
this process, a cohort plan whose applications are due soon and whose year lies far ahead, the web app served over
HTTP (uvicorn), signing in, and timing a page."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from domain.models import CohortPlan, Gathering, WorkRequirement
from domain.offers import Answer
from domain.plan import THEMES
from gateway.admin import Admin
from runtime.codec import data_converter
from runtime.settings import Settings
from runtime.wiring import build_worker
from store.accounts import Accounts
from store.db import create_schema, make_engine, make_session_factory
from store.people import People, register_key
from workflows import search
from workflows.cohort import CohortWorkflow
from workflows.messages import CohortOverview
from workflows.offer_messages import AnswerOfferInput

DAYS = [3, 2, 2, 2, 3, 2]
PASSWORD = "benk-passord-123"


ANSWERING_SECONDS = 300.0  # from the selection to the first gathering: the offers' answers (by accept_offers) in time


def plan(places: int, applying: float) -> CohortPlan:
    """Applications due in `applying` seconds, the selection a second later and the first gathering
    ANSWERING_SECONDS after that (an offer's answer is due by it); everything else far ahead, so the pages are
    measured on a cohort at the start of its programme."""
    t0 = datetime.now(UTC)

    def at(seconds: float) -> datetime:
        return t0 + timedelta(seconds=seconds)

    starts = [applying + 1 + ANSWERING_SECONDS, *(3600 + 60 * i for i in range(5))]
    return CohortPlan(
        cohort=f"bench{uuid.uuid4().hex[:6]}",
        places=places,
        application_deadline=at(applying),
        selection_date=at(applying + 1),
        gatherings=[Gathering(theme=THEMES[i], start=at(s), end=at(s + 1), days=DAYS[i]) for i, s in enumerate(starts)],
        work_requirements=[WorkRequirement(title=f"Arbeidskrav {i + 1}", deadline=at(86400 + i)) for i in range(4)],
        written_deadline=at(2 * 86400),
        oral_start=at(2 * 86400 + 10),
        oral_end=at(2 * 86400 + 20),
    )


async def accept_offers(handle: WorkflowHandle[Any, Any], at_once: int = 8) -> None:
    """Every admitted municipality accepts its offer, as its contact would: an offer not answered by its deadline is
    lost, and the group gives up its place."""
    overview: CohortOverview = await handle.query(CohortWorkflow.overview)
    limit = asyncio.Semaphore(at_once)

    async def accept(application_id: str) -> None:
        async with limit:
            answer = AnswerOfferInput(actor="bench", application_id=application_id, answer=Answer.ACCEPT)
            await handle.execute_update(CohortWorkflow.answer_offer, answer)

    await asyncio.gather(*(accept(a.id) for a in overview.applications if a.outcome == "admitted"))


@dataclass
class World:
    client: Client
    admin: Admin
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings


@asynccontextmanager
async def world(prefix: str) -> AsyncIterator[World]:
    """A dev server, a read model in a temp folder and a worker with every workflow, for the duration."""
    key = os.urandom(32)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(key),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
    )
    folder = Path(tempfile.mkdtemp(prefix=prefix))
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
            yield World(env.client, admin, sessions, settings)
    finally:
        await engine.dispose()
        await env.shutdown()


@asynccontextmanager
async def served(app: object) -> AsyncIterator[str]:
    """The app on a free local port; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def sign_in(http: httpx.AsyncClient, username: str) -> None:
    form = await http.get("/logg-inn")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = await http.post("/logg-inn", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert answer.status_code == 303, answer.text


async def measure(http: httpx.AsyncClient, path: str, rounds: int, warm_up: int = 5) -> list[float]:
    """Milliseconds of `rounds` requests one after another, after a warm-up (the plan cache, connections, the
    cohort's statistics)."""
    for _ in range(warm_up):
        assert (await http.get(path)).status_code == 200, path
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = await http.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, path
    return times


def header(width: int) -> str:
    return f"{'page (ms)':<{width}} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}"


def report(name: str, times: list[float], width: int) -> str:
    cuts = statistics.quantiles(times, n=100)
    return f"{name:<{width}} {cuts[49]:8.1f} {cuts[94]:8.1f} {cuts[98]:8.1f} {max(times):8.1f}"
