"""The appeals of a cohort as their workflows record them: by person ID and workflow ID, no names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base


class AppealRecord(Base):
    __tablename__ = "appeals"

    appeal_id: Mapped[str] = mapped_column(primary_key=True)  # the appeal workflow's ID
    participant_id: Mapped[str] = mapped_column(index=True)
    group_id: Mapped[str]
    cohort: Mapped[str] = mapped_column(index=True)
    person_id: Mapped[str] = mapped_column(index=True)
    attempt: Mapped[int]
    stage: Mapped[str]
    written_before: Mapped[str]
    final_before: Mapped[str]
    written_after: Mapped[str | None]
    oral_adjustment_after: Mapped[int | None]
    final_after: Mapped[str | None]
    credits_after: Mapped[int | None]
    registered_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


async def of_cohort(session: AsyncSession, cohort: str) -> list[AppealRecord]:
    query = select(AppealRecord).where(AppealRecord.cohort == cohort).order_by(AppealRecord.appeal_id)
    return list((await session.scalars(query)).all())


async def latest_of(session: AsyncSession, participant_id: str) -> AppealRecord | None:
    """The person's appeal (the last one, should there be several attempts), decided or not."""
    query = (
        select(AppealRecord).where(AppealRecord.participant_id == participant_id).order_by(AppealRecord.attempt.desc())
    )
    return (await session.scalars(query)).first()


async def decided_of(session: AsyncSession, participant_id: str) -> AppealRecord | None:
    query = (
        select(AppealRecord)
        .where(AppealRecord.participant_id == participant_id, AppealRecord.decided_at.is_not(None))
        .order_by(AppealRecord.attempt.desc())
    )
    return (await session.scalars(query)).first()
