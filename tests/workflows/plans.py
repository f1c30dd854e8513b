"""Cohort plans for tests: the real rules with dates near now, so the workflows' own timers run in the test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.models import CohortPlan, Gathering, WorkRequirement
from domain.plan import THEMES, check_plan

DAYS = [3, 2, 2, 2, 3, 2]


def plan_from(
    t0: datetime,
    offsets: dict[str, float],
    gathering_starts: list[float],
    requirement_deadlines: list[float],
    **settings: object,
) -> CohortPlan:

    def at(s: float) -> datetime:
        return t0 + timedelta(seconds=s)

    # a test plan asks no answer to an offer unless it says so: its groups keep their places without one
    settings.setdefault("offer_answer_seconds", None)

    plan = CohortPlan(
        cohort=str(settings.pop("cohort", f"t{t0.microsecond}")),
        places=int(settings.pop("places", 3)),  # type: ignore[call-overload]
        application_deadline=at(offsets["application_deadline"]),
        selection_date=at(offsets["selection_date"]),
        gatherings=[
            Gathering(theme=THEMES[i], start=at(s), end=at(s + 0.5), days=DAYS[i])
            for i, s in enumerate(gathering_starts)
        ],
        work_requirements=[
            WorkRequirement(title=f"Arbeidskrav {i + 1}", deadline=at(s)) for i, s in enumerate(requirement_deadlines)
        ],
        written_deadline=at(offsets["written_deadline"]),
        oral_start=at(offsets["oral_start"]),
        oral_end=at(offsets["oral_end"]),
        **settings,
    )
    assert check_plan(plan) == [], check_plan(plan)
    return plan


def running_plan(**settings: object) -> CohortPlan:
    """Selection and gatherings behind us, deadlines an hour ahead: admin steps can run at once."""
    t0 = datetime.now(UTC) - timedelta(hours=1)
    hour = 3600.0
    return plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": 4 * hour,
            "oral_start": 4 * hour + 10,
            "oral_end": 4 * hour + 20,
        },
        gathering_starts=[10 + i for i in range(6)],
        requirement_deadlines=[2 * hour + i for i in range(4)],
        **settings,
    )


def deadline_plan(first_deadline_in: float, **settings: object) -> CohortPlan:
    """Gatherings behind us, work requirement 1 due in a few seconds, the rest later."""
    t0 = datetime.now(UTC) - timedelta(hours=1)
    hour = 3600.0
    return plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": 4 * hour,
            "oral_start": 4 * hour + 10,
            "oral_end": 4 * hour + 20,
        },
        gathering_starts=[10 + i for i in range(6)],
        requirement_deadlines=[hour + first_deadline_in, 2 * hour, 2 * hour + 1, 2 * hour + 2],
        **settings,
    )


def now_plan(
    offsets: dict[str, float], gathering_starts: list[float], requirement_deadlines: list[float], **settings: object
) -> CohortPlan:
    return plan_from(datetime.now(UTC), offsets, gathering_starts, requirement_deadlines, **settings)
