"""Issued documents (transcripts and course certificates): one row per version, found by its verification code.

The facts are what the document states (no name: the name is printed from the register of people when the PDF is
made); the file is the PDF under the data folder. A new version supersedes the one before it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base


class DocumentRecord(Base):
    __tablename__ = "documents"

    code: Mapped[str] = mapped_column(primary_key=True)  # the verification code
    person_id: Mapped[str] = mapped_column(index=True)
    participant_id: Mapped[str] = mapped_column(index=True)
    cohort: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]  # 'transcript' | 'course_certificate'
    version: Mapped[int]
    superseded_by: Mapped[str | None]
    facts: Mapped[str]  # JSON of what the document states
    file: Mapped[str]  # relative to the data folder
    issued_at: Mapped[datetime]
    # the first time the holder downloaded this version from their own page: they have the document
    downloaded_at: Mapped[datetime | None] = mapped_column(default=None)


async def by_code(session: AsyncSession, code: str) -> DocumentRecord | None:
    return await session.get(DocumentRecord, code)


async def current(session: AsyncSession, participant_id: str) -> DocumentRecord | None:
    query = select(DocumentRecord).where(
        DocumentRecord.participant_id == participant_id, DocumentRecord.superseded_by.is_(None)
    )
    return (await session.scalars(query)).first()


async def latest_version(session: AsyncSession, participant_id: str) -> int:
    query = select(DocumentRecord.version).where(DocumentRecord.participant_id == participant_id)
    return max((await session.scalars(query)).all(), default=0)


async def current_of_cohort(session: AsyncSession, cohort: str) -> list[DocumentRecord]:
    query = select(DocumentRecord).where(DocumentRecord.cohort == cohort, DocumentRecord.superseded_by.is_(None))
    return list((await session.scalars(query.order_by(DocumentRecord.participant_id))).all())


async def of_person(session: AsyncSession, person_id: str) -> list[DocumentRecord]:
    return list((await session.scalars(select(DocumentRecord).where(DocumentRecord.person_id == person_id))).all())


async def of_participant(session: AsyncSession, participant_id: str) -> list[DocumentRecord]:
    """Every version of the participant's documents, the newest first."""
    query = select(DocumentRecord).where(DocumentRecord.participant_id == participant_id)
    return list((await session.scalars(query.order_by(DocumentRecord.version.desc()))).all())


async def version_of(session: AsyncSession, participant_id: str, version: int) -> DocumentRecord | None:
    query = select(DocumentRecord).where(
        DocumentRecord.participant_id == participant_id, DocumentRecord.version == version
    )
    return (await session.scalars(query)).first()


async def downloaded_by_holder(session: AsyncSession, participant_id: str, version: int, at: datetime) -> None:
    """Note the holder's first download of the version (a later one changes nothing)."""
    await session.execute(
        update(DocumentRecord)
        .where(
            DocumentRecord.participant_id == participant_id,
            DocumentRecord.version == version,
            DocumentRecord.downloaded_at.is_(None),
        )
        .values(downloaded_at=at)
    )


async def downloaded_of_cohort(session: AsyncSession, cohort: str) -> list[DocumentRecord]:
    """The cohort's documents their holders have downloaded, by participant and version."""
    query = (
        select(DocumentRecord)
        .where(DocumentRecord.cohort == cohort, DocumentRecord.downloaded_at.is_not(None))
        .order_by(DocumentRecord.participant_id, DocumentRecord.version)
    )
    return list((await session.scalars(query)).all())
