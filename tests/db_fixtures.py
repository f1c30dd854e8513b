"""Database fixtures: every test that asks for `db_engine` or `session_factory` runs on SQLite and PostgreSQL.

Load with `pytest_plugins = ["tests.db_fixtures"]` in tests/conftest.py. SQLite gets a fresh file under
tmp_path, created by the migrations as a start creates it; PostgreSQL a fresh schema per test (dropped afterwards),
reached through schema_translate_map so the code under test never names a schema, its tables made by create_all
(alembic would look for its version table outside that schema). PostgreSQL is found at NIS_TEST_POSTGRES_URL
(default below); when it does not answer, the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gateway.accounts import prepare
from store.accounts import Accounts
from store.db import create_schema, make_engine, make_session_factory
from store.migrations.schema import target_metadata

POSTGRES_URL = os.environ.get("NIS_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]

# probed once per run: a missing server should cost one timeout, not one per test
_postgres_problem: list[str | None] = []


async def _postgres_unavailable() -> str | None:
    if not _postgres_problem:
        engine = make_engine(POSTGRES_URL)
        try:
            async with asyncio.timeout(5), engine.connect():
                pass
            _postgres_problem.append(None)
        except (OSError, TimeoutError, SQLAlchemyError) as error:
            _postgres_problem.append(f"PostgreSQL at {POSTGRES_URL} does not answer ({type(error).__name__})")
        finally:
            await engine.dispose()
    return _postgres_problem[0]


async def _sqlite_engine(folder: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite+aiosqlite:///{folder / 'data' / 'readmodel.sqlite3'}")
    await create_schema(engine)
    yield engine
    await engine.dispose()


async def _postgres_engine() -> AsyncIterator[AsyncEngine]:
    problem = await _postgres_unavailable()
    if problem:
        pytest.skip(problem)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = admin.execution_options(schema_translate_map={None: schema})
    try:
        async with engine.begin() as connection:  # the migrations' result is this (tests/store/test_migrations.py)
            await connection.run_sync(target_metadata().create_all)
        yield engine
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=BACKENDS)
async def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty, fully created schema of its own."""
    backend = _sqlite_engine(tmp_path) if request.param == "sqlite" else _postgres_engine()
    async for engine in backend:
        yield engine


@pytest.fixture
def session_factory(db_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_session_factory(db_engine)


@pytest.fixture
async def accounts(tmp_path: Path) -> AsyncIterator[Accounts]:
    """Accounts on a SQLite file of the read model (assigning an examiner reads the appeals' commissions)."""
    engine = await prepare(f"sqlite+aiosqlite:///{tmp_path / 'accounts.sqlite3'}")
    yield Accounts(make_session_factory(engine))
    await engine.dispose()
