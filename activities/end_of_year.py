"""The end of the year's rows in the read model (store/end_of_year.py, store/explanations.py), written by the
appeal's, the re-sit's and the begrunnelse's workflows as they move on."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from store.db import upsert_row
from store.end_of_year import AppealRecord, ResitRecord
from store.explanations import ExplanationRecord
from workflows.end_of_year.explanation_messages import ExplanationRow
from workflows.end_of_year.messages import AppealRow, ResitRow


class EndOfYearActivities:
    """Each writes a full snapshot of the row: a retry writes the same again, harmlessly."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @activity.defn
    async def record_appeal(self, row: AppealRow) -> None:
        async with self._sessions() as session, session.begin():
            await upsert_row(session, AppealRecord, row.model_dump() | {"updated_at": datetime.now(UTC)})

    @activity.defn
    async def record_resit(self, row: ResitRow) -> None:
        async with self._sessions() as session, session.begin():
            await upsert_row(session, ResitRecord, row.model_dump() | {"updated_at": datetime.now(UTC)})

    @activity.defn
    async def record_explanation(self, row: ExplanationRow) -> None:
        """The begrunnelse's row without its words (the gateway writes those): they stay as they are."""
        async with self._sessions() as session, session.begin():
            await upsert_row(session, ExplanationRecord, row.model_dump() | {"updated_at": datetime.now(UTC)})
