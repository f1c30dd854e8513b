"""Two relays (two worker processes) on one outbox and a slow mail server: each letter goes out once, even when
sending the whole batch takes longer than a claim's lease (issue 21, item 7)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from tests.activities.outbox_helpers import Sessions, mailer_for, queue_letters, relay_for, returned, rows
from tests.activities.register import Register
from tests.smtp_server import Inbox
from tests.workflows.helpers import eventually

READERS = 8


async def test_two_relays_on_a_slow_server_send_each_letter_once(session_factory: Sessions, smtp_server: Inbox) -> None:
    register = Register()
    readers = [register.add(f"Deltaker {n}", f"deltaker{n}@kommune.no") for n in range(READERS)]
    assert await queue_letters(session_factory, returned(*readers)) == READERS
    # a letter takes 0.25 s, the batch 2 s: far past the 0.6 s a claim holds a letter against the other relay
    smtp_server.delay = 0.25
    lease = {"lease": timedelta(seconds=0.6), "poll": timedelta(seconds=0.05)}
    relays = [relay_for(session_factory, register, mailer_for(smtp_server), **lease) for _ in range(2)]
    stop = asyncio.Event()
    running = [asyncio.create_task(relay.run(stop)) for relay in relays]
    try:
        await eventually(lambda: _all_sent(session_factory), timeout=20)
        await asyncio.sleep(1.0)  # a lease run out would let a relay send a letter again now
    finally:
        stop.set()
        await asyncio.gather(*running)
    sent_to = Counter(str(message["To"]) for message in smtp_server.messages)
    assert sent_to == {f"deltaker{n}@kommune.no": 1 for n in range(READERS)}
    assert {(r.status, r.attempts) for r in await rows(session_factory)} == {("sent", 1)}


async def _all_sent(sessions: Sessions) -> None:
    assert all(r.status == "sent" for r in await rows(sessions))
