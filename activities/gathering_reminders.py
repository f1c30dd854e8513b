"""A gathering's reminder to every group in the programme, in one write: the cohort holds the gathering's timers and
this activity queues each group's letters in one transaction. The readers come from the read model the groups keep
(store/recipients.py); each group's letters are keyed as the group keyed them when it sent its own reminders
(`<group workflow ID>:<calendar item key>:<reader>`), so a retried write inserts nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.models import SendNoticeInput
from activities.notices import outbox_rows
from domain.models import NonEmpty, Strict
from store import outbox
from store.db import write_whole
from store.recipients import group_readers
from workflows.notices import GatheringAhead

__all__ = ["GatheringRemindersInput", "GatheringRemindersResult", "ReminderActivities"]


class GatheringRemindersInput(Strict):
    """Opaque IDs and the plan's facts only: the readers are looked up by the activity, never carried here."""

    event: NonEmpty  # the calendar item's key: with a group's workflow ID, the key of its letters
    notice: GatheringAhead
    groups: list[NonEmpty] = Field(min_length=1)  # workflow IDs of the groups in the programme


class GatheringRemindersResult(Strict):
    groups: int  # groups with at least one reader
    queued: int  # letters new in the outbox from this call (a retried call queues none)


class ReminderActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], wake: Callable[[], None] | None = None) -> None:
        self._sessions = sessions
        self._wake = wake  # tells a relay in this process that letters are waiting, so it need not wait to poll

    @activity.defn
    async def write_gathering_reminders(self, input: GatheringRemindersInput) -> GatheringRemindersResult:
        now = datetime.now(UTC)
        async with self._sessions() as session:
            readers = await group_readers(session, input.notice.cohort, input.groups)
        notices = [
            SendNoticeInput(key=f"{group}:{input.event}", notice=input.notice, recipients=readers[group])
            for group in input.groups
            if readers[group]
        ]
        letters = [row for notice in notices for row in outbox_rows(notice, now)]
        # a national cohort's ~1,800 letters at once: whole, off the event loop (store.db.write_whole says why)
        queued = await write_whole(self._sessions, lambda session: outbox.queue_sync(session, letters))
        # the event and the counts; no person is named
        activity.logger.info("gathering reminder %s: %d groups, %d letters queued", input.event, len(notices), queued)
        if queued and self._wake:
            self._wake()
        return GatheringRemindersResult(groups=len(notices), queued=queued)
