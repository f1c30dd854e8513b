"""Cohort-plan rules: the study plan's calendar constraints, every broken rule listed as a problem by code
(`plan.*`, said in domain/catalogue/plan.py) with the field it is about."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from domain.errors import problems
from domain.models import CohortPlan
from domain.refusals import Problem, Refusal

GATHERINGS = 6
GATHERING_DAYS = (2, 3)
TOTAL_DAYS = 14
WORK_REQUIREMENTS = 4
APPEAL_DAYS_MIN = 21  # three weeks, as the universities act gives a student to appeal
THEMES = [
    "Innovasjon og kreativitet",
    "Tjenestedesign",
    "Innovasjon i kommuner",
    "Innovasjonsledelse og sosialt entreprenørskap",
    "Studietur - innovasjonseksempler",
    "Implementering og spredning av innovasjon",
]


class PlanError(Refusal):
    """A plan that breaks its rules, every broken rule a problem (`PlanError.of(problems)`)."""

    @property
    def errors(self) -> list[str]:
        return [problem.text() for problem in self.problems]


def check_plan(plan: CohortPlan) -> list[Problem]:
    """Every rule the plan breaks, each with the field it is about (`gatherings.0.days`). A plan file is checked
    (`load_plan`, `parse_plan`); the demo's compressed copy of one (demo/year.py) is derived from a checked plan and
    not checked again: its windows are minutes by design."""
    return _count_errors(plan) + _setting_errors(plan) + _order_errors(plan)


def _count_errors(plan: CohortPlan) -> list[Problem]:
    errors = []
    if len(plan.gatherings) != GATHERINGS:
        errors.append(
            Problem(
                "plan.gathering_count", {"field": "gatherings", "expected": GATHERINGS, "actual": len(plan.gatherings)}
            )
        )
    low, high = GATHERING_DAYS
    for index, gathering in enumerate(plan.gatherings):
        if not low <= gathering.days <= high:
            field = f"gatherings.{index}.days"
            errors.append(
                Problem("plan.gathering_days", {"field": field, "low": low, "high": high, "days": gathering.days})
            )
        if gathering.end <= gathering.start:
            errors.append(Problem("plan.gathering_ends_first", {"field": f"gatherings.{index}"}))
    total = sum(g.days for g in plan.gatherings)
    if total != TOTAL_DAYS:
        errors.append(Problem("plan.total_days", {"field": "gatherings", "expected": TOTAL_DAYS, "actual": total}))
    if len(plan.work_requirements) != WORK_REQUIREMENTS:
        actual = len(plan.work_requirements)
        errors.append(
            Problem(
                "plan.requirement_count",
                {"field": "work_requirements", "expected": WORK_REQUIREMENTS, "actual": actual},
            )
        )
    return errors


def _setting_errors(plan: CohortPlan) -> list[Problem]:
    errors = []
    if plan.places < 1:
        errors.append(Problem("plan.places", {"field": "places", "places": plan.places}))
    if plan.oral_step_limit < 0:
        errors.append(Problem("plan.negative_step_limit", {"field": "oral_step_limit", "limit": plan.oral_step_limit}))
    if plan.exam_attempts < 1:
        errors.append(Problem("plan.exam_attempts", {"field": "exam_attempts", "attempts": plan.exam_attempts}))
    if any(s <= 0 for s in plan.reminder_seconds_before):
        errors.append(Problem("plan.reminder_not_positive", {"field": "reminder_seconds_before"}))
    if plan.appeal_seconds < APPEAL_DAYS_MIN * 86400:
        actual = f"{plan.appeal_seconds / 86400:g}"
        errors.append(
            Problem("plan.appeal_window_short", {"field": "appeal_seconds", "days": APPEAL_DAYS_MIN, "actual": actual})
        )
    return errors


def _order_errors(plan: CohortPlan) -> list[Problem]:
    milestones: list[tuple[str, datetime]] = [
        ("application_deadline", plan.application_deadline),
        ("selection_date", plan.selection_date),
    ]
    milestones += [(f"gatherings.{i}.start", g.start) for i, g in enumerate(plan.gatherings)]
    milestones += [(f"work_requirements.{i}.deadline", w.deadline) for i, w in enumerate(plan.work_requirements)]
    milestones += [
        ("written_deadline", plan.written_deadline),
        ("oral_start", plan.oral_start),
        ("oral_end", plan.oral_end),
    ]
    errors = []
    if plan.gatherings and plan.work_requirements and plan.work_requirements[0].deadline <= plan.gatherings[0].start:
        errors.append(Problem("plan.requirement_before_first_gathering", {"field": "work_requirements.0.deadline"}))
    for (before_name, before), (after_name, after) in _ordered_pairs(milestones):
        if after <= before:
            errors.append(Problem("plan.not_after", {"field": after_name, "before": before_name}))
    for index in range(1, len(plan.gatherings)):
        if plan.gatherings[index].start < plan.gatherings[index - 1].end:
            errors.append(
                Problem("plan.gatherings_overlap", {"field": f"gatherings.{index}.start", "gathering": index})
            )
    if plan.gatherings and plan.written_deadline <= plan.gatherings[-1].start:
        errors.append(Problem("plan.written_before_last_gathering", {"field": "written_deadline"}))
    return errors + _resit_errors(plan)


def _resit_errors(plan: CohortPlan) -> list[Problem]:
    """The re-sit period is optional; given, it has both ends and lies after the oral exams."""
    if plan.resit_start is None and plan.resit_end is None:
        return []
    if plan.resit_start is None or plan.resit_end is None:
        return [Problem("plan.resit_one_end", {"field": "resit_start, resit_end"})]
    errors = []
    if plan.resit_start <= plan.oral_end:
        errors.append(Problem("plan.not_after", {"field": "resit_start", "before": "oral_end"}))
    if plan.resit_end <= plan.resit_start:
        errors.append(Problem("plan.not_after", {"field": "resit_end", "before": "resit_start"}))
    return errors


def _ordered_pairs(milestones: list[tuple[str, datetime]]) -> list[tuple[tuple[str, datetime], tuple[str, datetime]]]:
    """Pairs that must be in order: within the gatherings, within the requirements, and along the main line."""
    requirements = [m for m in milestones if m[0].startswith("work_requirements.")]
    spine = [m for m in milestones if m not in requirements]
    chains = [spine, requirements + [m for m in milestones if m[0] == "written_deadline"]]
    return [(chain[i - 1], chain[i]) for chain in chains for i in range(1, len(chain))]


def parse_plan(data: Any) -> tuple[CohortPlan | None, list[Problem]]:
    """The plan and every rule it breaks: its model's (`validation.*`) or the calendar's (`plan.*`)."""
    try:
        plan = CohortPlan.model_validate(data)
    except ValidationError as error:
        return None, problems(error)
    return plan, check_plan(plan)


def load_plan(path: str | Path) -> CohortPlan:
    """Read and validate a plan file; a plan that breaks a rule is refused with every rule listed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    plan, errors = parse_plan(data)
    if errors or plan is None:
        raise PlanError.of(errors)
    return plan
