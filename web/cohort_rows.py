"""The cohort page's rows: the cohort's own row, one row per group (what the applications list shows) and how many
actions the administration took on the cohort, in three queries however many groups the cohort has."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.storage import AuditRecord, CohortRecord, GroupRecord


@dataclass(frozen=True)
class GroupLine:
    application_id: str
    region: str
    size: str
    outcome: str
    stage: str


@dataclass(frozen=True)
class CohortRows:
    cohort: CohortRecord
    groups: list[GroupLine]  # by application ID
    actions: int  # the administration's accepted actions on the cohort workflow (its audit entries)


async def cohort_rows(
    sessions: async_sessionmaker[AsyncSession], cohort: str, cohort_workflow_id: str
) -> CohortRows | None:
    """None when the read model has no such cohort."""
    async with sessions() as session:
        record = await session.get(CohortRecord, cohort)
        if record is None:
            return None
        columns = (GroupRecord.application_id, GroupRecord.region, GroupRecord.size, GroupRecord.outcome)
        lines = await session.execute(
            select(*columns, GroupRecord.stage).where(GroupRecord.cohort == cohort).order_by(GroupRecord.application_id)
        )
        accepted = (AuditRecord.workflow_id == cohort_workflow_id) & (AuditRecord.outcome == "accepted")
        actions = await session.scalar(select(func.count()).select_from(AuditRecord).where(accepted))
        return CohortRows(record, [GroupLine(*line) for line in lines.all()], actions or 0)
