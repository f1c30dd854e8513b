"""Who reads a group's letters, from the read model its group keeps: its contact (enrolled by the gateway with the
application) and its active members (the group's ParticipantRow rows, written in the same transaction as its
effects). Helpers take the caller's session and never commit."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.tables import EnrolmentRecord, ParticipantPersonRecord, ParticipantRecord

ACTIVE = "active"  # a member's stage in the read model while neither withdrawn nor ended


async def group_readers(session: AsyncSession, cohort: str, groups: Collection[str]) -> dict[str, list[str]]:
    """Person IDs by group: the contact first, then each active member (not withdrawn, replaced or ended), each
    once. By cohort (an indexed column) and filtered here: a national cohort's groups would overflow an IN list."""
    contacts = await session.execute(
        select(EnrolmentRecord.group_workflow_id, EnrolmentRecord.person_id)
        .where(EnrolmentRecord.cohort == cohort, EnrolmentRecord.kind == "contact")
        .order_by(EnrolmentRecord.group_workflow_id, EnrolmentRecord.person_id)
    )
    members = await session.execute(
        select(ParticipantRecord.group_id, ParticipantPersonRecord.person_id)
        .join(ParticipantPersonRecord, ParticipantPersonRecord.participant_id == ParticipantRecord.participant_id)
        .where(
            ParticipantRecord.cohort == cohort,
            ParticipantRecord.stage == ACTIVE,
            ParticipantRecord.withdrawn.is_(False),
            ParticipantRecord.replaced.is_(False),
        )
        .order_by(ParticipantRecord.group_id, ParticipantRecord.participant_id)
    )
    readers: dict[str, list[str]] = {group: [] for group in groups}
    for group, person in [*contacts.all(), *members.all()]:
        if group in readers and person not in readers[group]:
            readers[group].append(person)
    return readers
