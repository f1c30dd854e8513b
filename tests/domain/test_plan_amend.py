"""Amending a running cohort's plan (domain/plan_amend.py): only dates still ahead move, to dates still ahead, and
the amended plan keeps every rule of a plan."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from domain.catalogue.labels import OSLO
from domain.models import CohortPlan
from domain.plan import load_plan
from domain.plan_amend import amended_requirement, amendment_problems, plan_changes
from domain.plan_form import field_errors
from domain.requirements import RequirementState

PLAN = load_plan(Path(__file__).parents[2] / "demo" / "plans" / "kull-2022.json")
NOW = datetime(2022, 10, 1, 12, tzinfo=OSLO)  # after the first gathering, before the second and requirement 1
DAY = timedelta(days=1)


def moved(plan: CohortPlan = PLAN, **changes: Any) -> CohortPlan:
    data = plan.model_dump()
    for path, value in changes.items():
        *parents, last = path.split("__")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return CohortPlan.model_validate(data)


def said(plan: CohortPlan, now: datetime = NOW) -> dict[str, list[str]]:
    return field_errors(amendment_problems(PLAN, plan, now))


def test_a_gathering_ahead_moves_two_days_later_with_its_letter_lines() -> None:
    g = PLAN.gatherings[1]
    amended = moved(gatherings__1__start=g.start + 2 * DAY, gatherings__1__end=g.end + 2 * DAY)
    assert amendment_problems(PLAN, amended, NOW) == []
    changes = plan_changes(PLAN, amended)
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("Samling 2, start", g.start, g.start + 2 * DAY),
        ("Samling 2, slutt", g.end, g.end + 2 * DAY),
    ]


def test_a_requirement_deadline_ahead_moves_later() -> None:
    amended = moved(work_requirements__0__deadline=PLAN.work_requirements[0].deadline + 7 * DAY)
    assert amendment_problems(PLAN, amended, NOW) == []
    assert [c.field for c in plan_changes(PLAN, amended)] == ["work_requirements.0.deadline"]


def test_a_gathering_that_has_started_does_not_move() -> None:
    first = PLAN.gatherings[0]
    amended = moved(gatherings__0__start=first.start + DAY, gatherings__0__end=first.end + DAY)
    assert said(amended) == {"gatherings.0.start": ["Samling 1, start: samlingen har startet og kan ikke flyttes"]}


def test_nothing_moves_into_the_past() -> None:
    amended = moved(work_requirements__0__deadline=NOW - DAY)
    assert said(amended) == {
        "work_requirements.0.deadline": ["Arbeidskrav 1, frist: kan ikke flyttes til et tidspunkt som har vært"]
    }


def test_a_deadline_that_has_passed_does_not_move() -> None:
    later = NOW.replace(month=11, day=1)  # requirement 1's deadline (14 October) has passed
    amended = moved(work_requirements__0__deadline=PLAN.work_requirements[0].deadline + DAY)
    assert said(amended, later) == {
        "work_requirements.0.deadline": ["Arbeidskrav 1, frist: tidspunktet har vært og kan ikke flyttes"]
    }


def test_the_name_the_places_the_themes_and_the_settings_stay() -> None:
    amended = moved(cohort="2023", places=20, gatherings__2__theme="Noe annet", appeal_seconds=30 * 86400.0)
    errors = said(amended)
    assert set(errors) == {"cohort", "places", "gatherings.2.theme", "appeal_seconds"}
    assert errors["places"] == ["Antall plasser: kan ikke endres når kullet er i gang (bare datoer kan flyttes)"]


def test_the_amended_plan_keeps_the_rules_of_a_plan() -> None:
    amended = moved(gatherings__2__start=PLAN.gatherings[3].start + DAY)  # after gathering 4: out of order
    assert "gatherings.3.start" in said(amended) or "gatherings.2.start" in said(amended)


def test_an_unchanged_plan_is_no_amendment() -> None:
    assert said(PLAN) == {"": ["Planen er ikke endret: flytt minst én dato"]}


def test_a_group_deadline_follows_the_plan_unless_extended_further() -> None:
    old = PLAN.work_requirements[1].deadline
    plain = RequirementState(number=2, deadline=old)
    assert amended_requirement(plain, old, old + 3 * DAY, NOW).deadline == old + 3 * DAY
    assert amended_requirement(plain, old, old + 3 * DAY, NOW).reminders_from == NOW
    extended = RequirementState(number=2, deadline=old + 10 * DAY)
    assert amended_requirement(extended, old, old + 3 * DAY, NOW) == extended  # the extension is later still
    assert amended_requirement(extended, old, old + 20 * DAY, NOW).deadline == old + 20 * DAY
