"""Begrunnelser in the read model: each request's row as its workflow records it (by person ID and workflow ID, no
names), and the begrunnelse's words, which the gateway writes here so they never enter a workflow history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base


class ExplanationRecord(Base):
    __tablename__ = "explanations"

    explanation_id: Mapped[str] = mapped_column(primary_key=True)  # the begrunnelse workflow's ID
    participant_id: Mapped[str] = mapped_column(index=True)
    group_id: Mapped[str]
    cohort: Mapped[str] = mapped_column(index=True)
    person_id: Mapped[str] = mapped_column(index=True)
    examiners: Mapped[list[str]] = mapped_column(JSON)  # account user names: who may write it
    received: Mapped[date]
    requested_at: Mapped[datetime]
    due: Mapped[datetime]
    given_at: Mapped[datetime | None]
    given_by: Mapped[str | None]
    appeal_deadline: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    text: Mapped[str | None] = mapped_column(Text, default=None)  # the words; the workflow's row leaves them alone


async def of_participant(session: AsyncSession, participant_id: str) -> ExplanationRecord | None:
    found: ExplanationRecord | None = await session.scalar(
        select(ExplanationRecord).where(ExplanationRecord.participant_id == participant_id)
    )
    return found


async def save_text(session: AsyncSession, explanation_id: str, text: str) -> bool:
    """Write the begrunnelse's words onto its row; False when the row is not there yet."""
    result = await session.execute(
        update(ExplanationRecord).where(ExplanationRecord.explanation_id == explanation_id).values(text=text)
    )
    return bool(getattr(result, "rowcount", 0))


async def waiting(session: AsyncSession) -> list[ExplanationRecord]:
    """The begrunnelser asked for and not given, soonest due first."""
    rows = await session.scalars(
        select(ExplanationRecord).where(ExplanationRecord.given_at.is_(None)).order_by(ExplanationRecord.due)
    )
    return list(rows.all())


async def of_cohort(session: AsyncSession, cohort: str) -> list[ExplanationRecord]:
    rows = await session.scalars(
        select(ExplanationRecord).where(ExplanationRecord.cohort == cohort).order_by(ExplanationRecord.participant_id)
    )
    return list(rows.all())
