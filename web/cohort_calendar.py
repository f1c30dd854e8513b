"""A cohort's calendar on its page: the plan it runs on (as opened, or as amended: web/plans.py), in words, in the
order the dates come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from babel.dates import format_datetime

from domain.catalogue.labels import OSLO
from domain.ids import CohortId
from domain.models import CohortPlan
from web import feed
from web.routes.participant import Entry
from web.state import Web

log = structlog.get_logger(__name__)
UNAVAILABLE = "Kullets plan er ikke tilgjengelig akkurat nå. Prøv igjen om litt."


def _date(moment: datetime) -> str:
    return format_datetime(moment, "EEEE d. MMMM y", tzinfo=OSLO, locale="nb")  # `tirsdag 20. september 2022`


def _date_time(moment: datetime) -> str:
    return format_datetime(moment, "EEEE d. MMMM y 'kl.' HH.mm", tzinfo=OSLO, locale="nb")


@dataclass(frozen=True)
class CohortCalendar:
    application_deadline: str
    selection_date: str
    entries: list[Entry]


async def cohort_plan(web: Web, cohort: str) -> CohortPlan:
    """The plan the cohort's workflow runs on, as amended (web/plans.py)."""
    return await web.plans.get(web.admin.client, web.sessions, CohortId.parse(cohort).workflow_id)


def cohort_calendar(plan: CohortPlan) -> CohortCalendar:
    """The intake's dates, then the gatherings, the deadlines and the oral period (web/feed.py's events)."""
    titles = {number: r.title for number, r in enumerate(plan.work_requirements, 1)}
    entries = []
    for e in feed.cohort_events(plan):
        if e.kind == "gathering" and e.end is not None:
            days = "1 dag" if e.days == 1 else f"{e.days} dager"
            entries.append(Entry(e.summary, f"{_date(e.start)} til {_date(e.end)} ({days})", e.start))
        elif e.kind == "requirement":
            title = titles.get(e.number, f"Arbeidskrav {e.number}")
            entries.append(Entry(title, f"Frist {_date_time(e.start)}", e.start))
        elif e.kind == "written":
            entries.append(Entry("Frist for skriftlig oppgave", _date_time(e.start), e.start))
        elif e.end is not None:
            entries.append(Entry("Muntlig eksamen", f"{_date(e.start)} til {_date(e.end)}", e.start))
    entries.sort(key=lambda e: e.at)
    return CohortCalendar(_date_time(plan.application_deadline), _date_time(plan.selection_date), entries)
