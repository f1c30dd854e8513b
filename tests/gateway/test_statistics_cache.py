"""The cohort page's figures are counted again only when a row they count from changed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.statistics import StatisticsCache
from store.tables import CohortRecord, GroupRecord
from tests.store.test_db import NOW, cohort


def group(**overrides: object) -> GroupRecord:
    values = {
        "group_id": "kull-2022.gruppe-5001",
        "cohort": "2022",
        "application_id": "5001",
        "municipalities": "Trondheim",
        "region": "trondelag",
        "size": "large",
        "outcome": "admitted",
        "stage": "programme",
        "requirements_approved": 0,
        "written_grade": None,
        "updated_at": NOW,
    }
    return GroupRecord(**(values | overrides))


async def test_the_figures_are_counted_again_only_when_the_read_model_changed(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    cache = StatisticsCache()
    async with session_factory() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        session.add(group())
    first = await cache.get(session_factory, "2022")
    again = await cache.get(session_factory, "2022")
    assert cache.computed == 1 and again == first and first is not None
    assert first.by_outcome == {"admitted": 1}
    async with session_factory() as session, session.begin():
        row = await session.get(GroupRecord, "kull-2022.gruppe-5001")
        assert row is not None
        row.outcome, row.stage, row.updated_at = "waitlist", "waitlist", NOW + timedelta(seconds=1)
    changed = await cache.get(session_factory, "2022")
    assert cache.computed == 2 and changed is not None and changed.by_outcome == {"waitlist": 1}
    assert await cache.get(session_factory, "2023") is None  # no such cohort: nothing counted from nothing
