"""The participant page's calendar from a plan and the group's state, without Temporal: dates in Norwegian, the
group's extended deadline instead of the plan's, and the oral's own time and place once set (else the period)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.models import CohortPlan
from domain.orals import OralSlot
from gateway.messages import GroupDetail
from tests.workflows.plans import plan_from
from web.routes.participant import calendar

T0 = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # Monday 7 September 2026, 10.00 in Oslo
DAY = 86_400.0


def plan() -> CohortPlan:
    return plan_from(
        T0 - timedelta(days=30),
        {
            "application_deadline": 0,
            "selection_date": DAY,
            "written_deadline": 200 * DAY,
            "oral_start": 210 * DAY,
            "oral_end": 220 * DAY,
        },
        gathering_starts=[30 * DAY + i * 28 * DAY for i in range(6)],
        requirement_deadlines=[40 * DAY + i * 28 * DAY for i in range(4)],
        cohort="2026",
    )


def group(the_plan: CohortPlan, extended: datetime | None = None, slot: OralSlot | None = None) -> GroupDetail:
    requirements = [
        {"number": i, "deadline": extended if extended and i == 2 else r.deadline}
        for i, r in enumerate(the_plan.work_requirements, 1)
    ]
    return GroupDetail.model_validate(
        {
            "group_workflow_id": "kull-2026.gruppe-5001",
            "application_id": "5001",
            "municipalities": ["5001"],
            "outcome": "admitted",
            "stage": "programme",
            "requirements": requirements,
            "written_submitted": False,
            "written_grade": None,
            "written_missed": False,
            "members": [],
            "oral_slot": slot.model_dump() if slot else None,
            "pending_actions": [],
            "admin_actions": 0,
        }
    )


def lines(the_plan: CohortPlan, detail: GroupDetail) -> list[str]:
    return [f"{e.what}: {e.when}" for e in calendar(the_plan, detail)]


def test_the_calendar_says_the_gatherings_and_deadlines_in_norwegian_in_order() -> None:
    the_plan = plan()
    said = lines(the_plan, group(the_plan))
    assert said[0] == "Samling 1: Innovasjon og kreativitet: mandag 7. september 2026 (3 dager)"
    assert "Frist for arbeidskrav 1: torsdag 17. september 2026 kl. 10.00" in said
    assert said[-2:] == [
        "Frist for skriftlig oppgave: onsdag 24. februar 2027 kl. 09.00",
        "Muntlig eksamen: I perioden lørdag 6. mars 2027 til tirsdag 16. mars 2027; tid og sted kommer i eget brev",
    ]
    assert len(said) == 6 + 4 + 2


def test_an_extended_deadline_and_the_groups_oral_time_and_place_replace_the_plans() -> None:
    the_plan = plan()
    extended = the_plan.work_requirements[1].deadline + timedelta(days=7)
    slot = OralSlot(start=the_plan.oral_start + timedelta(days=2, hours=1), place="Rom 101, Kristiansand")
    said = lines(the_plan, group(the_plan, extended, slot))
    assert "Frist for arbeidskrav 2: torsdag 22. oktober 2026 kl. 10.00" in said
    assert said[-1] == "Muntlig eksamen: mandag 8. mars 2027 kl. 10.00, Rom 101, Kristiansand"  # winter time
