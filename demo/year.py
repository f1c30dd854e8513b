"""The demo's year: the cohort plan's calendar compressed to minutes, and the progress file a rerun continues from."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from domain.models import CohortPlan
from runtime.files import write_private

SECONDS_SETTINGS = ("resubmission_seconds", "approval_reminder_seconds", "appeal_seconds")


def compress_plan(template: CohortPlan, start: datetime, year_seconds: float) -> CohortPlan:
    """The same plan with its calendar squeezed linearly so the application deadline is `start`."""
    origin = template.application_deadline
    factor = year_seconds / (template.oral_end - origin).total_seconds()

    def at(t: datetime) -> datetime:
        return start + (t - origin) * factor

    data = template.model_dump()
    data |= {
        "application_deadline": start,
        "selection_date": at(template.selection_date),
        "written_deadline": at(template.written_deadline),
        "oral_start": at(template.oral_start),
        "oral_end": at(template.oral_end),
        "gatherings": [g.model_dump() | {"start": at(g.start), "end": at(g.end)} for g in template.gatherings],
        "work_requirements": [w.model_dump() | {"deadline": at(w.deadline)} for w in template.work_requirements],
        "reminder_seconds_before": [s * factor for s in template.reminder_seconds_before],
    }
    data |= {name: getattr(template, name) * factor for name in SECONDS_SETTINGS}
    if template.resit_start is not None and template.resit_end is not None:
        data |= {"resit_start": at(template.resit_start), "resit_end": at(template.resit_end)}
    return CohortPlan.model_validate(data)


def save_progress(path: Path, plan: CohortPlan, done: set[str]) -> None:
    """The compressed plan and the steps done, for a rerun to continue; 0600 like everything in the data folder."""
    write_private(path, json.dumps({"plan": plan.model_dump(mode="json"), "done": sorted(done)}))
