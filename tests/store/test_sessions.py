"""A session's `last_seen_at` is written beside the request that uses it: the request reads, and does not wait for a
write that on SQLite queues behind the other processes' writes."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.db import create_schema, make_engine, make_session_factory, write_whole
from store.sessions import Kind, SessionRecord, Sessions


def lifetimes(factory: async_sessionmaker[AsyncSession]) -> Sessions:
    """As the web app makes them (web/app.py): the touch written through write_whole."""
    hours = timedelta(hours=1)
    return Sessions(factory, timedelta(hours=8), hours, hours, write=functools.partial(write_whole, factory))


async def seen_minutes_ago(factory: async_sessionmaker[AsyncSession], secret: str, minutes: int) -> datetime:
    then = datetime.now(UTC) - timedelta(minutes=minutes)
    async with factory() as session, session.begin():
        hashed = hashlib.sha256(secret.encode()).hexdigest()
        await session.execute(
            update(SessionRecord).where(SessionRecord.secret_hash == hashed).values(last_seen_at=then)
        )
    return then


async def last_seen(factory: async_sessionmaker[AsyncSession], secret: str) -> datetime:
    async with factory() as session:
        record = await session.get(SessionRecord, hashlib.sha256(secret.encode()).hexdigest())
        assert record is not None
        return record.last_seen_at


async def test_a_session_used_after_a_minute_is_touched_beside_the_request(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sessions = lifetimes(session_factory)
    started = await sessions.start("turid", Kind.SESSION)
    then = await seen_minutes_ago(session_factory, started.secret, 5)
    assert await sessions.current(started.secret, Kind.SESSION) is not None
    await sessions.touched()
    assert await last_seen(session_factory, started.secret) > then + timedelta(minutes=4)


async def test_the_request_does_not_wait_while_another_process_holds_sqlites_write_lock(tmp_path: Path) -> None:
    file = tmp_path / "readmodel.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{file}")
    await create_schema(engine)
    factory = make_session_factory(engine)
    sessions = lifetimes(factory)
    started = await sessions.start("turid", Kind.SESSION)
    then = await seen_minutes_ago(factory, started.secret, 5)
    other = sqlite3.connect(file, isolation_level=None)  # as the worker's process writing its effects
    other.execute("BEGIN IMMEDIATE")
    try:
        current = await asyncio.wait_for(sessions.current(started.secret, Kind.SESSION), 2.0)
        assert current is not None and current.username == "turid"  # answered with the lock still held
        with pytest.raises(TimeoutError):  # the touch waits for the lock, beside
            await asyncio.wait_for(asyncio.shield(sessions.touched()), 0.3)
    finally:
        other.execute("COMMIT")
        other.close()
    await sessions.touched()
    assert await last_seen(factory, started.secret) > then + timedelta(minutes=4)
    await engine.dispose()
