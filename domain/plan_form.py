"""The cohort plan as a form: a plan's fields as the values a person types (times as Oslo's clock shows them, the
settings' durations in days, the attendance threshold in per cent), the typed values back to the plan's JSON, and
every problem the plan has (domain/plan.py's rules and its model's) said beside the field it is about.

A form field is named by the plan's own path (`gatherings.2.start`), so a problem's `field` finds its input; the
words for each field are the catalogue's (domain/catalogue/plan.py FIELDS)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.catalogue.labels import OSLO
from domain.catalogue.plan import FIELDS
from domain.models import CohortPlan
from domain.plan import GATHERINGS, WORK_REQUIREMENTS, parse_plan
from domain.refusals import Problem

DAY = 86400.0
TIMES = ("application_deadline", "selection_date", "written_deadline", "oral_start", "oral_end")
OPTIONAL_TIMES = ("resit_start", "resit_end")
IN_DAYS = (
    "resubmission_seconds",
    "approval_reminder_seconds",
    "appeal_seconds",
    "grading_seconds",
    "explanation_seconds",
    "explanation_due_seconds",
    "oral_notice_seconds",
    "offer_answer_seconds",
)
WHOLE = ("places", "oral_step_limit", "exam_attempts")
GATHERING_PARTS = ("theme", "start", "end", "days")
REQUIREMENT_PARTS = ("title", "deadline")
GENERAL = ""  # the key of a problem about no one field: shown at the top of the form


@dataclass(frozen=True)
class FormAnswer:
    """What the form gave: the plan when it breaks no rule, else each field's problems in Norwegian."""

    plan: CohortPlan | None
    errors: dict[str, list[str]]


def field_names() -> list[str]:
    """Every input of the form, in the order it shows them."""
    names = ["cohort", "places", "application_deadline", "selection_date"]
    names += [f"gatherings.{i}.{part}" for i in range(GATHERINGS) for part in GATHERING_PARTS]
    names += [f"work_requirements.{i}.{part}" for i in range(WORK_REQUIREMENTS) for part in REQUIREMENT_PARTS]
    names += ["written_deadline", "oral_start", "oral_end", "resit_start", "resit_end", "oral_step_limit"]
    names += ["exam_attempts"]
    names += [*IN_DAYS, "reminder_seconds_before", "attendance_threshold"]
    return names


def field_label(path: str) -> str:
    """The words for a field (`gatherings.2.start`: "Samling 3, start"); a path the plan has no words for as is."""
    if ", " in path:  # both ends of a period
        return " og ".join(field_label(part) for part in path.split(", "))
    parts = path.split(".")
    if len(parts) >= 2 and parts[0] in ("gatherings", "work_requirements") and parts[1].isdigit():
        kind = "gathering" if parts[0] == "gatherings" else "work_requirement"
        key = ".".join([kind, *parts[2:3]])
        return FIELDS.get(key, path).format(number=int(parts[1]) + 1)
    return FIELDS.get(parts[0], path)


def to_form(plan: CohortPlan) -> dict[str, str]:
    """A plan's values as the form shows them."""
    data = plan.model_dump()
    values = {name: _shown(name, data[name]) for name in (*TIMES, *OPTIONAL_TIMES, *IN_DAYS, *WHOLE, "cohort")}
    for i, gathering in enumerate(plan.gatherings):
        for part in GATHERING_PARTS:
            values[f"gatherings.{i}.{part}"] = _shown(part, getattr(gathering, part))
    for i, requirement in enumerate(plan.work_requirements):
        for part in REQUIREMENT_PARTS:
            values[f"work_requirements.{i}.{part}"] = _shown(part, getattr(requirement, part))
    values["reminder_seconds_before"] = ", ".join(_days(s) for s in plan.reminder_seconds_before)
    threshold = plan.attendance_threshold
    values["attendance_threshold"] = "" if threshold is None else f"{threshold * 100:g}"
    return values


def _shown(name: str, value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")  # as a browser's datetime-local input has it
    if value is None:
        return ""
    return _days(value) if name in IN_DAYS else str(value)


def _days(seconds: float) -> str:
    return f"{seconds / DAY:g}"


def next_plan(template: CohortPlan, now: datetime) -> CohortPlan:
    """The template's calendar moved by whole years to the first year whose application deadline is still ahead,
    at the same hours on Oslo's clock; a cohort named by its year is named by the new year."""
    years = 0
    while _moved(template.application_deadline, years) <= now:
        years += 1
    data = template.model_dump()
    for name in (*TIMES, *OPTIONAL_TIMES):
        data[name] = data[name] and _moved(data[name], years)
    for item in (*data["gatherings"], *data["work_requirements"]):
        for part in ("start", "end", "deadline"):
            if part in item:
                item[part] = _moved(item[part], years)
    if template.cohort.isdigit():
        data["cohort"] = str(int(template.cohort) + years)
    return CohortPlan.model_validate(data)


def _moved(moment: datetime, years: int) -> datetime:
    local = moment.astimezone(OSLO)
    return local.replace(year=local.year + years, tzinfo=None).replace(tzinfo=OSLO)


def read_form(values: Mapping[str, str], more: Callable[[CohortPlan], list[Problem]] | None = None) -> FormAnswer:
    """The plan the typed values make, checked by the plan's rules (and by `more`'s, an amendment's, when the values
    make a plan at all); nothing is kept from a form with a problem."""
    data, own = _plan_data({name: values.get(name, "").strip() for name in field_names()})
    plan, problems = parse_plan(data)
    found = own + problems + (more(plan) if more is not None and plan is not None else [])
    return FormAnswer(None if found else plan, field_errors(found))


def _plan_data(values: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """The plan's JSON from the typed values; what cannot be read is left for the plan's model to name (a time that
    is no time), and a blank optional field is left out (its default)."""
    data: dict[str, Any] = {name: values[name] for name in ("cohort", *WHOLE) if values[name]}
    data |= {name: _time(values[name]) for name in (*TIMES, *OPTIONAL_TIMES) if values[name]}
    data |= {name: _seconds(values[name]) for name in IN_DAYS if values[name]}
    if not values["offer_answer_seconds"]:  # blank: no answer asked, the offered place stands (not the default)
        data["offer_answer_seconds"] = None
    data["gatherings"] = [_part(values, f"gatherings.{i}", GATHERING_PARTS) for i in range(GATHERINGS)]
    data["work_requirements"] = [
        _part(values, f"work_requirements.{i}", REQUIREMENT_PARTS) for i in range(WORK_REQUIREMENTS)
    ]
    if values["reminder_seconds_before"]:
        data["reminder_seconds_before"] = [_seconds(v.strip()) for v in values["reminder_seconds_before"].split(",")]
    problems: list[Problem] = []
    if values["attendance_threshold"]:
        percent = _number(values["attendance_threshold"])
        if isinstance(percent, float) and 0 <= percent <= 100:
            data["attendance_threshold"] = percent / 100
        else:
            problems.append(Problem("plan.percent", {"field": "attendance_threshold"}))
    return data, problems


def _part(values: dict[str, str], prefix: str, parts: tuple[str, ...]) -> dict[str, Any]:
    found = {part: values[f"{prefix}.{part}"] for part in parts if values[f"{prefix}.{part}"]}
    return {part: _time(value) if part in ("start", "end", "deadline") else value for part, value in found.items()}


def _time(value: str) -> str:
    """A typed time (2027-09-20T09:00) as Oslo's; one that is no time as typed, for the model to refuse."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return (moment if moment.tzinfo else moment.replace(tzinfo=OSLO)).isoformat()


def _number(value: str) -> float | str:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def _seconds(days: str) -> float | str:
    number = _number(days)
    return number * DAY if isinstance(number, float) else number


def field_errors(problems: list[Problem]) -> dict[str, list[str]]:
    """Each problem in Norwegian under the input it is about (GENERAL for one about no input)."""
    inputs = set(field_names())
    errors: dict[str, list[str]] = {}
    for problem in problems:
        path = str(problem.params.get("field", ""))
        errors.setdefault(_input_of(path, inputs), []).append(_said(problem))
    return errors


def _input_of(path: str, inputs: set[str]) -> str:
    if path in inputs or path in ("gatherings", "work_requirements"):
        return path
    parts = path.split(".")
    if parts[0] == "gatherings" and len(parts) == 2:  # the gathering as a whole: it ends before it starts
        return f"{path}.end"
    if parts[0] in ("reminder_seconds_before", "resit_start, resit_end"):  # one of a list; either end of a period
        return parts[0].split(",")[0]
    return GENERAL


def _said(problem: Problem) -> str:
    """The problem's sentence with its fields in words, beginning as a sentence does."""
    params = dict(problem.params)
    for name in ("field", "before"):
        if name in params:
            params[name] = field_label(str(params[name]))
    text = Problem(problem.code, params).text()
    return text[:1].upper() + text[1:]
