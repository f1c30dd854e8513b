"""Cohort-plan rules: the study plan's calendar constraints, every broken rule listed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from domain.errors import describe
from domain.models import CohortPlan

GATHERINGS = 6
GATHERING_DAYS = (2, 3)
TOTAL_DAYS = 14
WORK_REQUIREMENTS = 4
THEMES = [
    "Innovasjon og kreativitet",
    "Tjenestedesign",
    "Innovasjon i kommuner",
    "Innovasjonsledelse og sosialt entreprenørskap",
    "Studietur - innovasjonseksempler",
    "Implementering og spredning av innovasjon",
]


class PlanError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def check_plan(plan: CohortPlan) -> list[str]:
    return _count_errors(plan) + _setting_errors(plan) + _order_errors(plan)


def _count_errors(plan: CohortPlan) -> list[str]:
    errors = []
    if len(plan.gatherings) != GATHERINGS:
        errors.append(f"gatherings: the plan has {GATHERINGS} gatherings, this one {len(plan.gatherings)}")
    low, high = GATHERING_DAYS
    for index, gathering in enumerate(plan.gatherings):
        if not low <= gathering.days <= high:
            errors.append(f"gatherings.{index}.days: a gathering lasts {low}-{high} days, not {gathering.days}")
        if gathering.end <= gathering.start:
            errors.append(f"gatherings.{index}: ends before it starts")
    total = sum(g.days for g in plan.gatherings)
    if total != TOTAL_DAYS:
        errors.append(f"gatherings: {TOTAL_DAYS} gathering days in total, this plan has {total}")
    if len(plan.work_requirements) != WORK_REQUIREMENTS:
        errors.append(
            f"work_requirements: the plan has {WORK_REQUIREMENTS} work requirements, "
            f"this one {len(plan.work_requirements)}"
        )
    return errors


def _setting_errors(plan: CohortPlan) -> list[str]:
    errors = []
    if plan.places < 1:
        errors.append(f"places: at least 1 municipality place, not {plan.places}")
    if plan.oral_step_limit < 0:
        errors.append(f"oral_step_limit: cannot be negative ({plan.oral_step_limit})")
    if any(s <= 0 for s in plan.reminder_seconds_before):
        errors.append("reminder_seconds_before: every reminder is a positive time before the event")
    return errors


def _order_errors(plan: CohortPlan) -> list[str]:
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
        errors.append("work_requirements.0.deadline: must come after the first gathering starts")
    for (before_name, before), (after_name, after) in _ordered_pairs(milestones):
        if after <= before:
            errors.append(f"{after_name}: must come after {before_name}")
    for index in range(1, len(plan.gatherings)):
        if plan.gatherings[index].start < plan.gatherings[index - 1].end:
            errors.append(f"gatherings.{index}.start: overlaps gathering {index}")
    if plan.gatherings and plan.written_deadline <= plan.gatherings[-1].start:
        errors.append("written_deadline: must come after the last gathering starts")
    return errors + _resit_errors(plan)


def _resit_errors(plan: CohortPlan) -> list[str]:
    """The re-sit period is optional; given, it has both ends and lies after the oral exams."""
    if plan.resit_start is None and plan.resit_end is None:
        return []
    if plan.resit_start is None or plan.resit_end is None:
        return ["resit_start, resit_end: give both ends of the re-sit period, or neither"]
    errors = []
    if plan.resit_start <= plan.oral_end:
        errors.append("resit_start: must come after oral_end")
    if plan.resit_end <= plan.resit_start:
        errors.append("resit_end: must come after resit_start")
    return errors


def _ordered_pairs(milestones: list[tuple[str, datetime]]) -> list[tuple[tuple[str, datetime], tuple[str, datetime]]]:
    """Pairs that must be in order: within the gatherings, within the requirements, and along the main line."""
    requirements = [m for m in milestones if m[0].startswith("work_requirements.")]
    spine = [m for m in milestones if m not in requirements]
    chains = [spine, requirements + [m for m in milestones if m[0] == "written_deadline"]]
    return [(chain[i - 1], chain[i]) for chain in chains for i in range(1, len(chain))]


def parse_plan(data: Any) -> tuple[CohortPlan | None, list[str]]:
    try:
        plan = CohortPlan.model_validate(data)
    except ValidationError as error:
        return None, describe(error)
    return plan, check_plan(plan)


def load_plan(path: str | Path) -> CohortPlan:
    """Read and validate a plan file; a plan that breaks a rule is refused with every rule listed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    plan, errors = parse_plan(data)
    if errors or plan is None:
        raise PlanError(errors)
    return plan
