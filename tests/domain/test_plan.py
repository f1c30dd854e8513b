import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.plan import PlanError, load_plan, parse_plan
from domain.refusals import Problem

EXAMPLE = Path(__file__).parents[2] / "demo" / "plans" / "kull-2022.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def said(data: dict[str, Any]) -> list[str]:
    """What a person reads for each rule the plan breaks."""
    return [problem.text() for problem in parse_plan(data)[1]]


def test_shipped_plan_of_cohort_2022_is_valid() -> None:
    plan = load_plan(EXAMPLE)
    assert plan.cohort == "2022" and len(plan.gatherings) == 6 and sum(g.days for g in plan.gatherings) == 14


def test_a_plan_breaking_several_rules_lists_every_one() -> None:
    data = example()
    data["gatherings"] = data["gatherings"][:5]
    data["work_requirements"] = data["work_requirements"][:3]
    data["places"] = 0
    data["oral_start"], data["written_deadline"] = data["written_deadline"], data["oral_start"]
    assert said(data) == [
        "gatherings: planen skal ha 6 samlinger, denne har 5",
        "gatherings: 14 samlingsdager i alt, denne planen har 12",
        "work_requirements: planen skal ha 4 arbeidskrav, denne har 3",
        "places: minst 1 plass, ikke 0",
        "oral_start: må komme etter written_deadline",
    ]
    assert parse_plan(data)[1][0] == Problem(
        "plan.gathering_count", {"field": "gatherings", "expected": 6, "actual": 5}
    )


def test_gathering_of_four_days_is_refused() -> None:
    data = example()
    data["gatherings"][0]["days"] = 4
    assert "gatherings.0.days: en samling varer 2–3 dager, ikke 4" in said(data)


def test_a_plan_without_an_exam_attempt_is_refused() -> None:
    data = example()
    data["exam_attempts"] = 0
    assert "exam_attempts: minst ett forsøk (ordinær eksamen), ikke 0" in said(data)
    plan, problems = parse_plan(example())
    assert plan is not None and not problems and plan.exam_attempts == 3  # the ordinary exam and two re-sits


def test_selection_after_first_gathering_is_refused() -> None:
    data = example()
    data["selection_date"] = data["gatherings"][0]["end"]
    assert "gatherings.0.start: må komme etter selection_date" in said(data)


def test_requirement_deadlines_out_of_order_are_refused() -> None:
    data = example()
    reqs = data["work_requirements"]
    reqs[1]["deadline"], reqs[2]["deadline"] = reqs[2]["deadline"], reqs[1]["deadline"]
    assert "work_requirements.2.deadline: må komme etter work_requirements.1.deadline" in said(data)


def test_load_plan_raises_with_all_errors(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"cohort": "x"}), encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert "places: må fylles ut" in raised.value.errors
    assert Problem("validation.missing", {"field": "places"}) in raised.value.problems


def test_compressed_plan_seconds_apart_is_valid() -> None:
    from domain.models import CohortPlan

    plan = load_plan(EXAMPLE)
    t0 = plan.application_deadline
    step = timedelta(seconds=1)
    compressed = plan.model_copy(
        update={
            "selection_date": t0 + step,
            "gatherings": [
                g.model_copy(update={"start": t0 + (2 + 2 * i) * step, "end": t0 + (3 + 2 * i) * step})
                for i, g in enumerate(plan.gatherings)
            ],
            "work_requirements": [
                w.model_copy(update={"deadline": t0 + (3.5 + 2 * i) * step})
                for i, w in enumerate(plan.work_requirements)
            ],
            "written_deadline": t0 + 20 * step,
            "oral_start": t0 + 21 * step,
            "oral_end": t0 + 22 * step,
        }
    )
    assert parse_plan(CohortPlan.model_validate(compressed.model_dump()).model_dump(mode="json"))[1] == []


def test_an_appeal_window_under_three_weeks_is_refused() -> None:
    data = example() | {"appeal_seconds": 20 * 86400}
    assert said(data) == ["appeal_seconds: klagefristen er minst 21 dager, ikke 20"]
    assert said(example() | {"appeal_seconds": 21 * 86400}) == []


def test_the_demos_compressed_plan_comes_from_a_checked_plan_and_keeps_minutes_for_appeals() -> None:
    """The rule is the plan file's: the demo checks its template (load_plan) and compresses a copy of it
    (demo/year.py), whose appeal window is minutes; the copy is a valid model and never a plan file."""
    from datetime import UTC, datetime

    from demo.year import compress_plan

    template = load_plan(EXAMPLE)
    compressed = compress_plan(template, datetime.now(UTC), year_seconds=600)
    assert compressed.appeal_seconds < 3600
    assert [p.code for p in parse_plan(compressed.model_dump(mode="json"))[1]] == ["plan.appeal_window_short"]
