"""The re-sit's row in the read model, written by its workflow as it moves on."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from store.db import upsert_row
from store.resits import ResitRecord
from workflows.resit_messages import ResitRow


class ResitActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @activity.defn
    async def record_resit(self, row: ResitRow) -> None:
        """A full snapshot of the row: a retry writes the same again, harmlessly."""
        async with self._sessions() as session, session.begin():
            await upsert_row(session, ResitRecord, row.model_dump() | {"updated_at": datetime.now(UTC)})
