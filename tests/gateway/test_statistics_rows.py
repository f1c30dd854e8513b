"""The cohort's rows the statistics count from are read again only where a row changed, and whatever order two
writes committed in, the figures are those a count from scratch gives (gateway/statistics_rows.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.statistics import count, statistics
from gateway.statistics_rows import CohortRows
from store.tables import AuditRecord, CohortRecord, ParticipantPersonRecord, ParticipantRecord
from tests.gateway.test_statistics_cache import group
from tests.store.test_db import NOW, cohort

GROUPS = ("kull-2022.gruppe-5001", "kull-2022.gruppe-5002")


def member(group_id: str, n: int, **overrides: Any) -> ParticipantRecord:
    values: dict[str, Any] = {
        "participant_id": f"{group_id}.deltaker-{n}",
        "group_id": group_id,
        "cohort": "2022",
        "sector": "helse_omsorg",
        "track": "student",
        "stage": "programme",
        "attendance_days": 0,
        "requirements_approved": 0,
        "withdrawn": False,
        "non_participating": False,
        "exam_eligible": False,
        "written_grade": None,
        "oral_adjustment": None,
        "final_grade": None,
        "credits": 0,
        "certificate": None,
        "updated_at": NOW,
    }
    return ParticipantRecord(**(values | overrides))


def entry(n: int, group_id: str, action: str, params: dict[str, Any] | None, reason: str | None = None) -> AuditRecord:
    return AuditRecord(
        idempotency_key=f"k{n}",
        workflow_id=group_id,
        actor="kari",
        action=action,
        outcome="accepted",
        reason=reason,
        at=NOW,
        params=params,
    )


async def a_cohort(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        for g in GROUPS:
            session.add(group(group_id=g, application_id=g[-4:]))
            session.add_all(member(g, n) for n in (1, 2))
        session.add(entry(1, GROUPS[0], "approve_requirement", {"requirement": 1}))  # as the workflows write it
        session.add(entry(2, GROUPS[1], "approve_requirement", None, reason="requirement 2 approved"))  # older rows


async def change(sessions: async_sessionmaker[AsyncSession], participant: str, seconds: int, **values: Any) -> None:
    async with sessions() as session, session.begin():
        row = await session.get(ParticipantRecord, participant)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = NOW + timedelta(seconds=seconds)


async def test_a_refresh_reads_only_what_was_written_since_and_counts_as_from_scratch(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await a_cohort(session_factory)
    rows = CohortRows("2022")
    async with session_factory() as session:
        assert await rows.refresh(session)
        first = rows.read
        assert first == 2 + 4 + 2  # the groups, their members and both audit entries
        assert not await rows.refresh(session) and rows.read == first  # nothing written: nothing read
    figures = count(rows, 0, None)
    assert figures == await statistics(session_factory, "2022")
    assert (figures.requirements_passed[1].count, figures.requirements_passed[2].count) == (1, 1)

    await change(session_factory, f"{GROUPS[0]}.deltaker-1", 1, attendance_days=3)
    async with session_factory() as session:
        assert await rows.refresh(session) and rows.read == first + 1  # that row only
    assert count(rows, 0, None) == await statistics(session_factory, "2022")
    assert count(rows, 0, None).attendance_mean_days == 0.8

    async with session_factory() as session, session.begin():  # an entry added: only its group's are read again
        session.add(entry(3, GROUPS[1], "approve_requirement", {"requirement": 1}))
    async with session_factory() as session:
        assert await rows.refresh(session) and rows.read == first + 1 + 2
    assert count(rows, 0, None).requirements_passed[1].count == 2


async def test_a_row_written_last_with_an_older_time_is_read_and_a_deleted_one_leaves(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    # two effects writes stamp their time before they wait for the lock: the later commit can carry the older time
    await a_cohort(session_factory)
    async with session_factory() as session, session.begin():
        session.add(
            ParticipantPersonRecord(
                participant_id=f"{GROUPS[0]}.deltaker-1", person_id="p1", cohort="2022", updated_at=NOW
            )
        )
    rows = CohortRows("2022")
    async with session_factory() as session:
        await rows.refresh(session)
    await change(session_factory, f"{GROUPS[0]}.deltaker-1", 10, attendance_days=2)
    async with session_factory() as session:
        await rows.refresh(session)
    await change(session_factory, f"{GROUPS[1]}.deltaker-2", 5, withdrawn=True)  # committed last, stamped earlier
    async with session_factory() as session, session.begin():  # an erased person's link is deleted
        await session.execute(delete(ParticipantPersonRecord))
    async with session_factory() as session:
        assert await rows.refresh(session)
    figures = count(rows, 0, None)
    assert figures.withdrawn == 1 and figures == await statistics(session_factory, "2022")
    assert rows.links() == []
