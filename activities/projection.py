"""Writes workflow state to the read model and the audit trail, for dashboards and reports."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.models import ProjectInput, ProjectResult, RecordAuditInput, RecordAuditResult
from store.db import record_audit, upsert_row
from store.tables import (
    Base,
    CohortRecord,
    GroupRecord,
    InnovationRecord,
    ParticipantPersonRecord,
    ParticipantRecord,
)


class ProjectionActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    @activity.defn
    async def project(self, input: ProjectInput) -> ProjectResult:
        """Upserts every row given, all or nothing; a retry writes the same snapshot again, harmlessly."""
        now = datetime.now(UTC)
        rows: list[tuple[type[Base], dict[str, object]]] = []
        if input.cohort is not None:
            rows.append((CohortRecord, input.cohort.model_dump()))
        # the JSON columns as JSON (their datetimes as ISO text); the others as the columns' own types
        rows += [
            (GroupRecord, group.model_dump() | group.model_dump(mode="json", include={"requirements", "pending"}))
            for group in input.groups
        ]
        rows += [(ParticipantRecord, p.model_dump(exclude={"person_id"})) for p in input.participants]
        rows += [
            (
                ParticipantPersonRecord,
                {"participant_id": p.participant_id, "person_id": p.person_id, "cohort": p.cohort},
            )
            for p in input.participants
            if p.person_id is not None
        ]
        rows += [(InnovationRecord, innovation.model_dump()) for innovation in input.innovations]
        async with self._sessions() as session, session.begin():
            for table, values in rows:
                await upsert_row(session, table, values | {"updated_at": now})
        return ProjectResult(rows=len(rows))

    @activity.defn
    async def record_audit(self, input: RecordAuditInput) -> RecordAuditResult:
        """Records each entry once by its key: a retry after a lost result inserts nothing twice."""
        async with self._sessions() as session, session.begin():
            new = [await record_audit(session, entry) for entry in input.entries]
        return RecordAuditResult(rows=sum(new))
