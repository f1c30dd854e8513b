"""The relay's writes on a SQLite file while the worker's event loop is busy: another process's write goes through."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from store.db import create_schema, make_engine, make_session_factory
from tests.activities.outbox_helpers import mailer_for, queue_letters, relay_for, returned, rows
from tests.activities.register import Register
from tests.activities.sqlite_lock import other_process_writes
from tests.smtp_server import Inbox

READERS = 1


async def test_another_process_writes_while_the_relay_claims_and_marks_letters_on_a_busy_event_loop(
    tmp_path: Path, smtp_server: Inbox
) -> None:
    """The loop blocked in 0.5 s stretches (the worker's workflow tasks) while the relay sends a letter. Through
    the async driver a claim or a "sent" held SQLite's write lock until the loop came back to commit it, and another
    process's write (waiting 0.25 s here) failed with "database is locked". Each of these writes runs whole on the
    writes' own thread: the lock is held only while the row changes."""
    database = tmp_path / "readmodel.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    await create_schema(engine)
    sessions = make_session_factory(engine)
    register = Register()
    readers = [register.add(f"Deltaker {n}", f"deltaker{n}@kommune.no") for n in range(READERS)]
    assert await queue_letters(sessions, returned(*readers)) == READERS
    relay = relay_for(sessions, register, mailer_for(smtp_server))
    loop_busy = threading.Event()

    async def busy_event_loop_until(relay_done: asyncio.Task[int]) -> None:
        while not relay_done.done():
            time.sleep(0.5)  # blocks the loop, as the worker's own work does
            await asyncio.sleep(0)
        loop_busy.set()

    other = asyncio.create_task(asyncio.to_thread(other_process_writes, database, 0.25, loop_busy))
    delivering = asyncio.create_task(relay.deliver_due())
    await busy_event_loop_until(delivering)
    sent = await delivering
    refused = await other
    statuses = [(r.status, r.attempts) for r in await rows(sessions)]
    await engine.dispose()
    assert sent == READERS and statuses == [("sent", 1)] * READERS
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [f"deltaker{n}@kommune.no" for n in range(READERS)]
    assert refused == []
