"""The re-sits of a cohort as their workflows record them: by person ID and workflow ID, no names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base


class ResitRecord(Base):
    __tablename__ = "resits"

    resit_id: Mapped[str] = mapped_column(primary_key=True)  # the re-sit workflow's ID
    participant_id: Mapped[str] = mapped_column(index=True)
    group_id: Mapped[str]
    cohort: Mapped[str] = mapped_column(index=True)
    person_id: Mapped[str] = mapped_column(index=True)
    attempt: Mapped[int]
    stage: Mapped[str]
    period_label: Mapped[str]
    period_end: Mapped[datetime]
    grade_before: Mapped[str | None]  # None: a postponed exam after a valid absence
    written: Mapped[str | None]
    oral_adjustment: Mapped[int | None]
    attempt_grade: Mapped[str | None]
    grade_after: Mapped[str | None]
    credits_after: Mapped[int | None]
    registered_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


async def of_cohort(session: AsyncSession, cohort: str) -> list[ResitRecord]:
    query = select(ResitRecord).where(ResitRecord.cohort == cohort).order_by(ResitRecord.resit_id)
    return list((await session.scalars(query)).all())


async def of_participant(session: AsyncSession, participant_id: str) -> list[ResitRecord]:
    """The person's re-sits, first attempt first."""
    query = select(ResitRecord).where(ResitRecord.participant_id == participant_id).order_by(ResitRecord.attempt)
    return list((await session.scalars(query)).all())
