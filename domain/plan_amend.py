"""Amending a running cohort's plan: what may move and what the move is, as pure rules over two plans and the moment.

An amendment moves dates: a gathering (its start, end and days), a requirement's deadline, the written deadline, the
oral period, the intake's dates, the re-sit period. The amended plan follows every rule a new plan follows
(domain/plan.py); nothing already past moves (a gathering that has started, a deadline that has passed), nothing is
moved into the past, and the rest (the cohort's name, its places, the themes and titles, the settings) stays as the
cohort was opened with. Each broken rule is a problem with the field it is about, as the plan form shows it."""

from __future__ import annotations

from datetime import datetime

from domain.models import CohortPlan, Strict
from domain.plan import check_plan
from domain.plan_form import field_label
from domain.refusals import Problem
from domain.requirements import RequirementState

MOVABLE_TIMES = ("application_deadline", "selection_date", "written_deadline", "oral_start", "oral_end")
OPTIONAL_TIMES = ("resit_start", "resit_end")
GATHERING_DATES = ("start", "end", "days")


class PlanChange(Strict):
    """One date the amendment moved: what (`Samling 3, start`), from when, to when (None: no re-sit period)."""

    field: str
    what: str
    before: datetime | None
    after: datetime | None


def amendment_problems(old: CohortPlan, new: CohortPlan, now: datetime) -> list[Problem]:
    """Every rule the amendment breaks; none means the cohort may run on `new` from `now`."""
    found = check_plan(new) + amendment_only_problems(old, new, now)
    if not found and not plan_changes(old, new):
        found.append(Problem("plan.amend_nothing"))
    return found


def amendment_only_problems(old: CohortPlan, new: CohortPlan, now: datetime) -> list[Problem]:
    """The rules of an amendment beyond those of any plan: only dates move, and only those still ahead."""
    return _fixed(old, new) + _gathering_problems(old, new, now) + _date_problems(old, new, now)


def _fixed(old: CohortPlan, new: CohortPlan) -> list[Problem]:
    """What an amendment does not change: everything but the dates."""
    dated = {*MOVABLE_TIMES, *OPTIONAL_TIMES, "gatherings", "work_requirements"}
    before, after = old.model_dump(), new.model_dump()
    fields = [name for name in before if name not in dated and before[name] != after[name]]
    fields += [
        f"gatherings.{i}.theme"
        for i, (a, b) in enumerate(zip(old.gatherings, new.gatherings, strict=False))
        if a.theme != b.theme
    ]
    fields += [
        f"work_requirements.{i}.title"
        for i, (a, b) in enumerate(zip(old.work_requirements, new.work_requirements, strict=False))
        if a.title != b.title
    ]
    return [Problem("plan.amend_fixed", {"field": name}) for name in fields]


def _gathering_problems(old: CohortPlan, new: CohortPlan, now: datetime) -> list[Problem]:
    found = []
    for index, (before, after) in enumerate(zip(old.gatherings, new.gatherings, strict=False)):
        moved = [part for part in GATHERING_DATES if getattr(before, part) != getattr(after, part)]
        if moved and before.start <= now:
            found.append(Problem("plan.amend_started", {"field": f"gatherings.{index}.{moved[0]}"}))
        elif "start" in moved and after.start <= now:
            found.append(Problem("plan.amend_into_past", {"field": f"gatherings.{index}.start"}))
    return found


def _date_problems(old: CohortPlan, new: CohortPlan, now: datetime) -> list[Problem]:
    found = []
    for name, before, after in _dates(old, new):
        if before == after:
            continue
        if before is not None and before <= now:
            found.append(Problem("plan.amend_past", {"field": name}))
        elif after is not None and after <= now:
            found.append(Problem("plan.amend_into_past", {"field": name}))
    return found


def _dates(old: CohortPlan, new: CohortPlan) -> list[tuple[str, datetime | None, datetime | None]]:
    """The dates outside the gatherings, each by its field, before and after."""
    dates: list[tuple[str, datetime | None, datetime | None]] = [
        (name, getattr(old, name), getattr(new, name)) for name in (*MOVABLE_TIMES, *OPTIONAL_TIMES)
    ]
    dates += [
        (f"work_requirements.{i}.deadline", a.deadline, b.deadline)
        for i, (a, b) in enumerate(zip(old.work_requirements, new.work_requirements, strict=False))
    ]
    return dates


def plan_changes(old: CohortPlan, new: CohortPlan) -> list[PlanChange]:
    """The dates the amendment moves, in the plan's order: a gathering's start and end, then the other dates."""
    changes = []
    for index, (a, b) in enumerate(zip(old.gatherings, new.gatherings, strict=False)):
        changes += [
            _change(f"gatherings.{index}.{part}", getattr(a, part), getattr(b, part)) for part in ("start", "end")
        ]
    changes += [_change(name, before, after) for name, before, after in _dates(old, new)]
    return [change for change in changes if change.before != change.after]


def _change(field: str, before: datetime | None, after: datetime | None) -> PlanChange:
    return PlanChange(field=field, what=field_label(field), before=before, after=after)


def amended_requirement(
    state: RequirementState, old_deadline: datetime, new_deadline: datetime, now: datetime
) -> RequirementState:
    """A group's requirement under the amended plan: its deadline moves with the plan's unless the group was given a
    later one (an extension), which it keeps if still later; reminders of the moved deadline due before now are moot
    (the amendment's letter says the new date)."""
    if old_deadline == new_deadline:
        return state
    deadline = new_deadline if state.deadline == old_deadline else max(state.deadline, new_deadline)
    if deadline == state.deadline:
        return state
    return state.model_copy(update={"deadline": deadline, "reminders_from": now})
