"""The cohort page's charts never wait for a slow count: the last figures are shown and the count runs beside."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.tables import CohortRecord, GroupRecord
from tests.gateway.test_statistics_cache import group
from tests.store.test_db import NOW, cohort
from web import chart_figures
from web.chart_figures import ChartFigures


async def test_a_slow_count_runs_beside_the_views_and_a_quick_one_in_them(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    charts = ChartFigures()
    monkeypatch.setattr(chart_figures, "COUNT_IN_VIEW_SECONDS", float("inf"))  # every count quick enough for a view
    async with session_factory() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        session.add(group())
    first = await charts.get(session_factory, "2022", None)  # the first view counts: nothing to show before
    assert first is not None and first.by_outcome == {"admitted": 1}

    async def change(outcome: str, seconds: int) -> None:
        async with session_factory() as session, session.begin():
            row = await session.get(GroupRecord, "kull-2022.gruppe-5001")
            assert row is not None
            row.outcome, row.updated_at = outcome, NOW + timedelta(seconds=seconds)

    await change("waitlist", 1)
    quick = await charts.get(session_factory, "2022", None)  # a quick count is made in the view: no view behind
    assert quick is not None and quick.by_outcome == {"waitlist": 1} and not charts.counting
    monkeypatch.setattr(chart_figures, "COUNT_IN_VIEW_SECONDS", -1.0)  # every count now takes too long for a view
    monkeypatch.setattr(chart_figures, "COUNT_BESIDE_EVERY_SECONDS", 0.0)  # and may start as soon as one ended
    await charts.get(session_factory, "2022", None)  # counted once more, beside: it now took "too long"
    if (before := charts.counting.get("2022")) is not None:  # that count done before the change, not after it
        await before
    await change("admitted", 2)
    shown = await charts.get(session_factory, "2022", None)
    assert shown is not None and shown.by_outcome == {"waitlist": 1}  # the last figures, at once
    await charts.counting["2022"]
    later = await charts.get(session_factory, "2022", None)
    assert later is not None and later.by_outcome == {"admitted": 1}


async def test_a_count_beside_the_views_starts_at_most_every_so_often(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national cohort's rows change every second of its year: a count beside every view kept the web app's CPU
    busy for the page after it. The charts stay at most COUNT_BESIDE_EVERY_SECONDS and one count behind."""
    charts = ChartFigures()
    monkeypatch.setattr(chart_figures, "COUNT_IN_VIEW_SECONDS", -1.0)
    monkeypatch.setattr(chart_figures, "COUNT_BESIDE_EVERY_SECONDS", 3600.0)
    async with session_factory() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        session.add(group())
    first = await charts.get(session_factory, "2022", None)  # the first view counts: nothing to show before
    assert first is not None and first.by_outcome == {"admitted": 1}
    async with session_factory() as session, session.begin():
        row = await session.get(GroupRecord, "kull-2022.gruppe-5001")
        assert row is not None
        row.outcome, row.updated_at = "waitlist", NOW + timedelta(seconds=1)
    shown = await charts.get(session_factory, "2022", None)
    assert shown == first and not charts.counting  # counted a moment ago: no count started
    monkeypatch.setattr(chart_figures, "COUNT_BESIDE_EVERY_SECONDS", 0.0)  # the time has passed
    assert await charts.get(session_factory, "2022", None) == first  # shown at once, counted beside
    await charts.counting["2022"]
    later = await charts.get(session_factory, "2022", None)
    assert later is not None and later.by_outcome == {"waitlist": 1}
