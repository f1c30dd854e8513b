"""The `send_notice` activity: a notice becomes one queued letter per reader in the outbox, and that is all.

Delivery is the outbox relay's job (activities/relay.py), outside any workflow: a mail server that is down or slow
never holds up a timer, an admin action or the rest of a cohort. The rows hold the notice's facts and the person
ID only; the letter is rendered from the register when it is delivered or shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.models import SendNoticeInput, SendNoticeResult
from store import outbox

__all__ = ["NoticeActivities", "outbox_rows"]


class NoticeActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], wake: Callable[[], None] | None = None) -> None:
        self._sessions = sessions
        self._wake = wake  # tells a relay in this process that letters are waiting, so it need not wait to poll

    @activity.defn
    async def send_notice(self, input: SendNoticeInput) -> SendNoticeResult:
        async with self._sessions() as session, session.begin():
            queued = await outbox.queue(session, outbox_rows(input, datetime.now(UTC)))
        # the key and the kind name the notice; no person is named
        activity.logger.info("notice %s %s: %d letters queued", input.notice.kind, input.key, queued)
        if queued and self._wake:
            self._wake()
        return SendNoticeResult(queued=queued)


def outbox_rows(input: SendNoticeInput, now: datetime) -> list[dict[str, Any]]:
    readers = dict.fromkeys([*input.recipients, *([outbox.STAFF] if input.staff else [])])  # each once, in order
    notice = input.notice.model_dump_json()
    return [
        {
            "idempotency_key": f"{input.key}:{reader}",
            "cohort": input.notice.cohort,
            "kind": input.notice.kind,
            "notice": notice,
            "person_id": reader,
            "status": outbox.Status.QUEUED,
            "reason": None,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "sent_at": None,
        }
        for reader in readers
    ]
