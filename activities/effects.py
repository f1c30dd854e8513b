"""The one effects write of a workflow task: its notices' letters in the outbox, its audit entries and its changed
read-model rows, in one transaction. One call instead of three (each of which cost the workflow history events: an
activity is three, and a workflow task to take its result). Every part is idempotent, so a retried write inserts
nothing twice: letters by their outbox key, audit entries by theirs, rows are full snapshots written over themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from temporalio import activity

from activities.models import ProjectInput, WriteEffectsInput, WriteEffectsResult
from activities.notices import outbox_rows
from store import outbox
from store.db import record_audit_sync, upsert_row_sync, write_whole
from store.tables import (
    Base,
    CohortRecord,
    GroupDetailRecord,
    GroupRecord,
    InnovationRecord,
    OfferRecord,
    ParticipantPersonRecord,
    ParticipantRecord,
)

__all__ = ["EffectsActivities", "read_model_rows"]


class EffectsActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], wake: Callable[[], None] | None = None) -> None:
        self._sessions = sessions
        self._wake = wake  # tells a relay in this process that letters are waiting, so it need not wait to poll

    @activity.defn
    async def write(self, input: WriteEffectsInput) -> WriteEffectsResult:
        now = datetime.now(UTC)
        rows = read_model_rows(input.rows)
        letters = [row for notice in input.notices for row in outbox_rows(notice, now)]

        def write_all(session: Session) -> tuple[int, int]:
            queued = outbox.queue_sync(session, letters)
            audited = sum(record_audit_sync(session, entry) for entry in input.audit)
            for table, values in rows:
                upsert_row_sync(session, table, values | {"updated_at": now})
            return queued, audited

        # whole, off the event loop: SQLite's write lock is held while the rows are written, not while the loop is busy
        queued, audited = await write_whole(self._sessions, write_all)
        for notice in input.notices:  # the key and the kind name the notice; no person is named
            activity.logger.info("notice %s %s queued", notice.notice.kind, notice.key)
        if queued and self._wake:
            self._wake()
        return WriteEffectsResult(queued=queued, audited=audited, rows=len(rows))


def read_model_rows(input: ProjectInput) -> list[tuple[type[Base], dict[str, Any]]]:
    rows: list[tuple[type[Base], dict[str, Any]]] = []
    if input.cohort is not None:
        cohort = input.cohort
        rows.append((CohortRecord, cohort.model_dump() | cohort.model_dump(mode="json", include={"pending"})))
    # the JSON columns as JSON (their datetimes as ISO text); the others as the columns' own types
    rows += [
        (GroupRecord, group.model_dump() | group.model_dump(mode="json", include={"requirements", "pending"}))
        for group in input.groups
    ]
    rows += [(ParticipantRecord, p.model_dump(exclude={"person_id"})) for p in input.participants]
    rows += [
        (ParticipantPersonRecord, {"participant_id": p.participant_id, "person_id": p.person_id, "cohort": p.cohort})
        for p in input.participants
        if p.person_id is not None
    ]
    rows += [(InnovationRecord, innovation.model_dump()) for innovation in input.innovations]
    rows += [
        (GroupDetailRecord, {"group_id": d.group_id, "detail": d.detail.model_dump(mode="json"), "as_of": d.as_of})
        for d in input.details
    ]
    rows += [
        (OfferRecord, {"group_id": o.group_id, "cohort": o.cohort, "as_of": o.as_of} | o.offer.model_dump())
        for o in input.offers
    ]
    return rows
