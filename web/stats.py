"""Cohort statistics for the overview page, drawn as bars: applications per region, size and outcome, groups per
stage from the live overview; participants per sector and role, work requirements approved, grades after appeals
and re-sits, completion and the projects' partners from the figures of the statistics report (gateway/statistics)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel

from domain.catalogue.labels import label
from domain.statistics import GRADES, OTHER_ROLES, ROLE_GROUP_MIN
from gateway.messages import CohortOverview
from web.state import Web

ANDRE = f"Andre roller (færre enn {ROLE_GROUP_MIN} hver)"


class Chart(BaseModel):
    title: str
    bars: list[tuple[str, int]]

    @property
    def largest(self) -> int:
        return max((count for _, count in self.bars), default=0) or 1


async def cohort_charts(web: Web, overview: CohortOverview) -> list[Chart]:
    apps = overview.applications
    charts = [
        _chart("Søknader per region", Counter(a.region.value for a in apps if a.region)),
        _chart("Søknader per kommunestørrelse", _labelled(Counter(a.size for a in apps if a.size))),
        _chart("Søknader per utfall", _labelled(Counter(a.outcome for a in apps))),
        _chart("Grupper per fase", Counter({label(k): v for k, v in overview.groups_per_stage.items()})),
    ]
    # counted again only when the read model changed, not on every view (the register is decrypted to count roles)
    figures = await web.statistics.get(web.sessions, overview.cohort, web.admin.people)
    if figures is not None:
        roles = {(ANDRE if role == OTHER_ROLES else role.capitalize()): n for role, n in figures.by_role.items()}
        charts += [
            _chart("Deltakere per sektor", Counter({label(k): v for k, v in figures.by_sector.items()})),
            Chart(title="Deltakere per rolle", bars=list(roles.items())),
            Chart(
                title="Arbeidskrav godkjent (grupper)",
                bars=[(f"Nr. {n}", r.count) for n, r in figures.requirements_passed.items()],
            ),
            Chart(
                title="Karakterer etter klager og ny eksamen",
                bars=[(g, figures.grades_after_resits[g]) for g in GRADES],
            ),
            _chart("Fullført", Counter({label(k): v for k, v in figures.completion.items()})),
            _chart("Samarbeidspartnere per type", Counter({label(k): v for k, v in figures.partners_by_kind.items()})),
        ]
    return [chart for chart in charts if any(count for _, count in chart.bars)]


def _chart(title: str, counts: Counter[str]) -> Chart:
    return Chart(title=title, bars=sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _labelled(counts: Counter[Any]) -> Counter[str]:
    """Codes counted, then said: one label per code, not one per application (357 a view nationally)."""
    said: Counter[str] = Counter()
    for code, n in counts.items():
        said[label(code)] += n
    return said
