"""Cohort statistics for the overview page: counts per region, size, stage, sector and grade, drawn as bars."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel
from sqlalchemy import select

from store.tables import ParticipantRecord
from web.labels import label
from web.state import Web
from workflows.messages import CohortOverview

GRADES = ["A", "B", "C", "D", "E", "F"]


class Chart(BaseModel):
    title: str
    bars: list[tuple[str, int]]

    @property
    def largest(self) -> int:
        return max((count for _, count in self.bars), default=0) or 1


async def cohort_charts(web: Web, overview: CohortOverview) -> list[Chart]:
    """Applications from the live overview; participants (sector, grade) from the read model."""
    async with web.sessions() as session:
        rows = (
            await session.scalars(select(ParticipantRecord).where(ParticipantRecord.cohort == overview.cohort))
        ).all()
    active = [r for r in rows if not r.withdrawn]
    apps = overview.applications
    grades = Counter(r.final_grade for r in active if r.final_grade)
    charts = [
        _chart("Søknader per region", Counter(a.region.value for a in apps if a.region)),
        _chart("Søknader per kommunestørrelse", Counter(label(a.size) for a in apps if a.size)),
        _chart("Søknader per utfall", Counter(label(a.outcome) for a in apps)),
        _chart("Grupper per fase", Counter({label(k): v for k, v in overview.groups_per_stage.items()})),
        _chart("Deltakere per sektor", Counter(label(r.sector) for r in active)),
    ]
    if grades:
        charts.append(Chart(title="Karakterfordeling", bars=[(g, grades[g]) for g in GRADES]))
    return [chart for chart in charts if chart.bars]


def _chart(title: str, counts: Counter[str]) -> Chart:
    return Chart(title=title, bars=sorted(counts.items(), key=lambda item: (-item[1], item[0])))
