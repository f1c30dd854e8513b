"""The demo's year: the cohort plan's calendar compressed to minutes, and the progress file a rerun continues from.

The calendar's dates are squeezed linearly, but a window the script must act within once the workflows let it (an
appeal after the release, a resubmission after a return, an approval before its reminder, a re-sit registration
after the results) keeps at least `ROOM_SECONDS`: a busy machine runs the script late, and the year must be the
same year (the same grades, outcomes and letters) however late it runs. None of those windows holds anything up:
the cohort closes when its groups do."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from domain.models import CohortPlan
from runtime.files import write_private

SECONDS_SETTINGS = ("resubmission_seconds", "approval_reminder_seconds", "appeal_seconds")
ROOM_SECONDS = 30.0  # the least time a window the script acts within keeps (a two-core machine with other work on it)
RESIT_ROOM_SECONDS = 4 * ROOM_SECONDS  # after the orals: publishing, the appeals and then the re-sits' registration


def scale(template: CohortPlan, plan: CohortPlan) -> float:
    """How much shorter the compressed plan's year is than the template's: seconds of the demo per real second."""
    span = (template.oral_end - template.application_deadline).total_seconds()
    return (plan.oral_end - plan.application_deadline).total_seconds() / span


def compress_plan(template: CohortPlan, start: datetime, year_seconds: float) -> CohortPlan:
    """The same plan with its calendar squeezed linearly so the application deadline is `start`, its windows (in
    seconds) at least `ROOM_SECONDS` and its re-sit period open until `RESIT_ROOM_SECONDS` after the orals."""
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
    data |= {name: max(getattr(template, name) * factor, ROOM_SECONDS) for name in SECONDS_SETTINGS}
    if template.resit_start is not None and template.resit_end is not None:
        latest = at(template.oral_end) + timedelta(seconds=RESIT_ROOM_SECONDS)
        data |= {"resit_start": at(template.resit_start), "resit_end": max(at(template.resit_end), latest)}
    return CohortPlan.model_validate(data)


def save_progress(path: Path, plan: CohortPlan, done: set[str]) -> None:
    """The compressed plan and the steps done, for a rerun to continue; 0600 like everything in the data folder."""
    write_private(path, json.dumps({"plan": plan.model_dump(mode="json"), "done": sorted(done)}))
