"""starter.py's `show cohort|group|participant`: a workflow's live state as a table, or as JSON with --json."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cli.admin import cohort_id, group_id, guarded, participant_id
from cli.output import emit
from gateway.admin import Admin
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.messages import CohortOverview, GroupDetail, ParticipantDetail
from workflows.participant import ParticipantWorkflow


@guarded
async def show_cohort(admin: Admin, args: argparse.Namespace) -> int:
    overview: CohortOverview = await admin.query(cohort_id(args.cohort).workflow_id, CohortWorkflow.overview)
    return _shown(args, overview, _print_cohort)


@guarded
async def show_group(admin: Admin, args: argparse.Namespace) -> int:
    detail: GroupDetail = await admin.query(group_id(args).workflow_id, GroupWorkflow.detail)
    return _shown(args, detail, _print_group)


@guarded
async def show_participant(admin: Admin, args: argparse.Namespace) -> int:
    target = participant_id(args.participant)
    detail: ParticipantDetail = await admin.query(target.workflow_id, ParticipantWorkflow.detail)
    return _shown(args, detail, _print_participant)


def _shown(args: argparse.Namespace, view: Any, printer: Callable[[Any], None]) -> int:
    if args.json:
        emit(view.model_dump(mode="json"))
    else:
        printer(view)
    return 0


def _print_cohort(o: CohortOverview) -> None:
    print(f"Cohort {o.cohort}: {o.stage.value}, {o.places} places" + (f", seed {o.seed}" if o.seed else ""))
    print("Outcomes: " + (", ".join(f"{k} {v}" for k, v in o.outcomes.items()) or "no applications yet"))
    _table(
        ["application", "region", "size", "outcome", "group stage"],
        [
            [
                a.id,
                a.region.value if a.region else "-",
                a.size.value if a.size else "-",
                a.outcome.value,
                a.group_stage or "-",
            ]
            for a in o.applications
        ],
    )
    _pending(o.pending_actions, o.admin_actions)


def _print_group(d: GroupDetail) -> None:
    print(f"Group {d.application_id} ({d.group_workflow_id}): stage {d.stage.value}, outcome {d.outcome.value}")
    print("Work requirements:")
    _table(
        ["no", "status", "deadline", "submissions", "feedback"],
        [
            [str(r.number), r.status.value, _when(r.deadline), str(r.submissions), r.feedback or ""]
            for r in d.requirements
        ],
    )
    written = "missed" if d.written_missed else "submitted" if d.written_submitted else "not submitted"
    print(f"Written assignment: {written}" + (f", grade {d.written_grade.value}" if d.written_grade else ""))
    print("Members:")
    _table(
        ["participant", "sector", "track", "days", "exam", "oral", "grade", "credits", "status"],
        [
            [
                m.participant_workflow_id,
                m.sector,
                m.track.value,
                str(m.attendance_days),
                "yes" if m.exam_eligible else f"no ({m.ineligible_reason})",
                f"{m.oral_adjustment:+d}" if m.oral_adjustment is not None else "-",
                m.final_grade.value if m.final_grade else "-",
                str(m.credits),
                _member_status(m),
            ]
            for m in d.members
        ],
    )
    _pending(d.pending_actions, d.admin_actions)


def _member_status(m: Any) -> str:
    flags = [
        "replaced" if m.replaced else "",
        "withdrawn" if m.withdrawn else "",
        "not taking part" if m.non_participating else "",
        m.certificate or "",
    ]
    return ", ".join(f for f in flags if f) or "active"


def _print_participant(d: ParticipantDetail) -> None:
    rows = [
        ("group", d.group_workflow_id),
        ("sector", d.sector),
        ("track", d.track.value),
        ("attendance", f"{d.attendance_days} day(s) {' '.join(d.attendance)}".rstrip()),
        ("requirements approved", str(d.requirements_approved)),
        ("exam", "eligible" if d.exam_eligible else f"not eligible ({d.ineligible_reason})"),
        ("written grade", d.written_grade.value if d.written_grade else "-"),
        ("oral adjustment", f"{d.oral_adjustment:+d}" if d.oral_adjustment is not None else "-"),
        ("final grade", d.final_grade.value if d.final_grade else "-"),
        ("credits", str(d.credits)),
        ("certificate", d.certificate or "-"),
        ("withdrawn", "yes" if d.withdrawn else "no"),
        ("taking part", "no" if d.non_participating else "yes"),
        ("ended", f"yes ({d.end_reason})" if d.ended and d.end_reason else "yes" if d.ended else "no"),
    ]
    print(f"Participant {d.participant_workflow_id}")
    for label, value in rows:
        print(f"  {label + ':':<23}{value}")


def _table(headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        print("  (none)")
        return
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _pending(actions: list[str], recorded: int) -> None:
    print("Pending: " + ("; ".join(actions) or "nothing"))
    print(f"Admin actions recorded: {recorded}")


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")
