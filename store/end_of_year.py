"""The end of the year in the read model: each appeal's and each re-sit's row as its workflow records it (by person
ID and workflow ID, no names), and the examiner accounts an appeal's new examiners are checked against."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.accounts import AccountRecord, ExaminerRecord, Role
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
    received: Mapped[date | None] = mapped_column(default=None)  # the day it was received (Oslo)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)  # withdrawn undecided: the grade stands
    # the commission's user names as ",a,b," (a user name has no comma): whose inbox the appeal is in
    examiners: Mapped[str | None] = mapped_column(default=None)
    # the new oral's time, once the administration has set it (a changed written grade): the inbox asks until then
    new_oral_at: Mapped[datetime | None] = mapped_column(default=None)
    new_oral_place: Mapped[str | None] = mapped_column(default=None)  # a room and a building, or an address


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


async def appeals_of_cohort(session: AsyncSession, cohort: str) -> list[AppealRecord]:
    query = select(AppealRecord).where(AppealRecord.cohort == cohort).order_by(AppealRecord.appeal_id)
    return list((await session.scalars(query)).all())


async def appeals_of(session: AsyncSession, participant_id: str) -> dict[int, AppealRecord]:
    """The person's appeals, decided or not, by the attempt appealed (1: the ordinary exam)."""
    query = select(AppealRecord).where(AppealRecord.participant_id == participant_id).order_by(AppealRecord.attempt)
    return {r.attempt: r for r in (await session.scalars(query)).all()}


async def latest_appeal_of(session: AsyncSession, participant_id: str) -> AppealRecord | None:
    """The person's appeal (the last one, should there be several attempts), decided or not."""
    query = (
        select(AppealRecord).where(AppealRecord.participant_id == participant_id).order_by(AppealRecord.attempt.desc())
    )
    return (await session.scalars(query)).first()


async def decided_appeal_of(session: AsyncSession, participant_id: str) -> AppealRecord | None:
    """The decided appeal of the person's ordinary exam (attempt 1); a re-sit's is `decided_resit_appeals_of`."""
    query = select(AppealRecord).where(
        AppealRecord.participant_id == participant_id, AppealRecord.decided_at.is_not(None), AppealRecord.attempt == 1
    )
    return (await session.scalars(query)).first()


async def decided_resit_appeals_of(session: AsyncSession, participant_id: str) -> dict[int, AppealRecord]:
    """The decided appeals of the person's re-sits, by the attempt appealed."""
    query = select(AppealRecord).where(
        AppealRecord.participant_id == participant_id, AppealRecord.decided_at.is_not(None), AppealRecord.attempt > 1
    )
    return {r.attempt: r for r in (await session.scalars(query)).all()}


async def resits_of_cohort(session: AsyncSession, cohort: str) -> list[ResitRecord]:
    query = select(ResitRecord).where(ResitRecord.cohort == cohort).order_by(ResitRecord.resit_id)
    return list((await session.scalars(query)).all())


async def resits_of_participant(session: AsyncSession, participant_id: str) -> list[ResitRecord]:
    """The person's re-sits, first attempt first."""
    query = select(ResitRecord).where(ResitRecord.participant_id == participant_id).order_by(ResitRecord.attempt)
    return list((await session.scalars(query)).all())


async def examiner_accounts(session: AsyncSession, usernames: list[str]) -> set[str]:
    """Those of the user names that are accounts with the examiner role."""
    query = select(AccountRecord.username).where(
        AccountRecord.username.in_(usernames), AccountRecord.role == Role.EXAMINER.value
    )
    return set((await session.scalars(query)).all())


async def external_examiners(session: AsyncSession, usernames: list[str]) -> set[str]:
    """Those of the user names that are examiner accounts marked external."""
    query = select(AccountRecord.username).where(
        AccountRecord.username.in_(usernames),
        AccountRecord.role == Role.EXAMINER.value,
        AccountRecord.external.is_(True),
    )
    return set((await session.scalars(query)).all())


async def assigned_examiners(session: AsyncSession, group_workflow_id: str) -> set[str]:
    """The examiner accounts the administration assigned to the group (examiner_groups)."""
    query = select(ExaminerRecord.username).where(ExaminerRecord.group_workflow_id == group_workflow_id)
    return set((await session.scalars(query)).all())
