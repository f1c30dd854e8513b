"""The cohort page's rows: the cohort's own row, one row per group (what the applications list shows) and how many
actions the administration took on the cohort, in three queries however many groups the cohort has.

An application the cohort accepted has its group's row once the group workflow has started and written it: during
the intake (357 applications in seconds at national size) some have none yet. Those are said from the cohort's own
audit entry of the application (the same transaction as its row's count), as applied, rather than by asking the
cohort workflow, which is busy with the intake just then."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.selection import entry_for
from gateway.storage import AuditRecord, CohortRecord, GroupRecord


@dataclass(frozen=True, order=True)
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
        groups = [GroupLine(*line) for line in lines.all()]
        accepted = (AuditRecord.workflow_id == cohort_workflow_id) & (AuditRecord.outcome == "accepted")
        if len(groups) < record.applications:
            groups = sorted(groups + await _applied(session, accepted, {g.application_id for g in groups}))
        actions = await session.scalar(select(func.count()).select_from(AuditRecord).where(accepted))
        return CohortRows(record, groups, actions or 0)


async def _applied(session: AsyncSession, accepted: ColumnElement[bool], rows: set[str]) -> list[GroupLine]:
    """The applications the cohort accepted whose group has written no row yet, by the cohort's audit entries. One
    it refused is not among them (the page needs its problems: the caller then asks the workflow)."""
    outcomes: dict[str, str] = {}
    entries = await session.scalars(
        select(AuditRecord.params).where(accepted, AuditRecord.action == "apply").order_by(AuditRecord.id)
    )
    for params in entries:
        if params and isinstance(params.get("application"), str):
            outcomes[params["application"]] = str(params.get("outcome"))  # a later application of the same ID wins
    lines = []
    for application_id, outcome in outcomes.items():
        if outcome == "accepted" and application_id not in rows:
            entry = entry_for(application_id.split("+"))
            lines.append(GroupLine(application_id, entry.region.value, entry.size.value, "applied", "applied"))
    return lines
