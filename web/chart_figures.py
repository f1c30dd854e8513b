"""The statistics figures the cohort page's charts show, without a national cohort's view waiting for a count."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.statistics import CohortStatistics
from gateway.statistics import StatisticsCache
from gateway.storage import People

# a count that took longer is made again beside the views, not in one: a small cohort's takes a few milliseconds; a
# national one's 38 ms (median, 148 ms at worst) during its year (bench/national.py): at 0.05 most were made in a view
COUNT_IN_VIEW_SECONDS = 0.01
# a count beside the views starts at most this long after the last one ended: a national cohort's rows change every
# second of its year, and a count per view made the page after it wait for the web app's CPU (bench/national.py)
COUNT_BESIDE_EVERY_SECONDS = 10.0


@dataclass
class ChartFigures:
    """The figures the cohort page's charts show, counted again only when the read model changed
    (StatisticsCache, which reads only the rows written since its last count). Such a count is quick and made in the
    view; the first one of a national cohort reads every row (~110 ms), and the register's roles are decrypted when
    it changed, so once a count takes longer than COUNT_IN_VIEW_SECONDS a view shows the last figures and the count
    runs beside it, one at a time and at most every COUNT_BESIDE_EVERY_SECONDS: the charts are then at most that and
    one count behind."""

    cache: StatisticsCache = field(default_factory=StatisticsCache)
    kept: dict[str, tuple[float, CohortStatistics | None]] = field(default_factory=dict)  # seconds it took, figures
    counting: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    counted_at: dict[str, float] = field(default_factory=dict)  # when the last count ended (time.monotonic())

    async def get(
        self, sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None
    ) -> CohortStatistics | None:
        kept = self.kept.get(cohort)
        if kept is None or kept[0] <= COUNT_IN_VIEW_SECONDS:
            await self._count(sessions, cohort, people)
        elif cohort not in self.counting and time.monotonic() - self.counted_at[cohort] >= COUNT_BESIDE_EVERY_SECONDS:
            self.counting[cohort] = asyncio.create_task(self._count(sessions, cohort, people))
            self.counting[cohort].add_done_callback(lambda _: self.counting.pop(cohort, None))
        return self.kept[cohort][1]

    async def _count(self, sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None) -> None:
        started = time.perf_counter()
        figures = await self.cache.get(sessions, cohort, people)
        self.kept[cohort] = (time.perf_counter() - started, figures)
        self.counted_at[cohort] = time.monotonic()
