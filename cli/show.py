"""starter.py's `show cohort|group|participant`: a workflow's live state as a table in Norwegian (codes said from the
catalogue), or as JSON with --json (codes as they are)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cli.admin import cohort_id, group_id, guarded, participant_id
from cli.output import emit
from domain.catalogue import label, when
from domain.municipalities import names
from gateway.admin import Admin
from gateway.messages import CohortOverview, GroupDetail, ParticipantDetail, Pending
from gateway.queries import COHORT_OVERVIEW, GROUP_DETAIL, participant_detail


@guarded
async def show_cohort(admin: Admin, args: argparse.Namespace) -> int:
    overview: CohortOverview = await admin.query(cohort_id(args.cohort).workflow_id, COHORT_OVERVIEW)
    return _shown(args, overview, _print_cohort)


@guarded
async def show_group(admin: Admin, args: argparse.Namespace) -> int:
    detail: GroupDetail = await admin.query(group_id(args).workflow_id, GROUP_DETAIL)
    return _shown(args, detail, _print_group)


@guarded
async def show_participant(admin: Admin, args: argparse.Namespace) -> int:
    target = participant_id(args.participant)
    detail = await participant_detail(admin.query, target.workflow_id)  # Admin.query refuses a missing one
    return _shown(args, detail, _print_participant)


def _shown(args: argparse.Namespace, view: Any, printer: Callable[[Any], None]) -> int:
    if args.json:
        emit(view.model_dump(mode="json"))
    else:
        printer(view)
    return 0


def _print_cohort(o: CohortOverview) -> None:
    print(f"Kull {o.cohort}: {_said(o.stage)}, {o.places} plasser" + (f", frø {o.seed}" if o.seed else ""))
    print("Utfall: " + (", ".join(f"{_said(k)} {v}" for k, v in o.outcomes.items()) or "ingen søknader ennå"))
    _table(
        ["søknad", "region", "størrelse", "utfall", "gruppens fase"],
        [
            [
                a.id,
                a.region.value if a.region else "-",
                _said(a.size) if a.size else "-",
                _said(a.outcome),
                _said(a.group_stage) if a.group_stage else "-",
            ]
            for a in o.applications
        ],
    )
    _pending(o.pending_actions, o.admin_actions)


def _print_group(d: GroupDetail) -> None:
    named = names(d.application_id, numbered=True)  # `Gol, Hemsedal og Ål (3324+3326+3328)`, as the pages say it
    print(f"Gruppe {named}, {d.group_workflow_id}: fase {_said(d.stage)}, utfall {_said(d.outcome)}")
    print("Arbeidskrav:")
    _table(
        ["nr", "status", "frist", "innleveringer", "tilbakemelding"],
        [
            [str(r.number), _said(r.status), when(r.deadline), str(r.submissions), r.feedback or ""]
            for r in d.requirements
        ],
    )
    written = "ikke levert innen fristen" if d.written_missed else "levert" if d.written_submitted else "ikke levert"
    print(f"Skriftlig oppgave: {written}" + (f", karakter {d.written_grade.value}" if d.written_grade else ""))
    print("Deltakere:")
    _table(
        ["deltaker", "sektor", "spor", "dager", "eksamen", "muntlig", "karakter", "studiepoeng", "status"],
        [
            [
                m.participant_workflow_id,
                _said(m.sector),
                _said(m.track),
                str(m.attendance_days),
                "ja" if m.exam_eligible else f"nei ({m.ineligible_reason})",
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
        "erstattet" if m.replaced else "",
        "trukket" if m.withdrawn else "",
        "deltar ikke" if m.non_participating else "",
        _said(m.certificate) if m.certificate else "",
    ]
    return ", ".join(f for f in flags if f) or "aktiv"


def _print_participant(d: ParticipantDetail) -> None:
    rows = [
        ("gruppe", d.group_workflow_id),
        ("sektor", _said(d.sector)),
        ("spor", _said(d.track)),
        ("oppmøte", f"{d.attendance_days} dag(er) {' '.join(d.attendance)}".rstrip()),
        ("godkjente arbeidskrav", str(d.requirements_approved)),
        ("eksamen", "kan gå opp" if d.exam_eligible else f"kan ikke gå opp ({d.ineligible_reason})"),
        ("skriftlig karakter", d.written_grade.value if d.written_grade else "-"),
        ("muntlig justering", f"{d.oral_adjustment:+d}" if d.oral_adjustment is not None else "-"),
        ("endelig karakter", d.final_grade.value if d.final_grade else "-"),
        ("studiepoeng", str(d.credits)),
        ("dokument", _said(d.certificate) if d.certificate else "-"),
        ("trukket", "ja" if d.withdrawn else "nei"),
        ("deltar", "nei" if d.non_participating else "ja"),
        ("avsluttet", f"ja ({d.end_reason})" if d.ended and d.end_reason else "ja" if d.ended else "nei"),
    ]
    print(f"Deltaker {d.participant_workflow_id}")
    for name, value in rows:
        print(f"  {name + ':':<23}{value}")


def _table(headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        print("  (ingen)")
        return
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _pending(actions: list[Pending], recorded: int) -> None:
    print("Venter på: " + ("; ".join(action.text for action in actions) or "ingenting"))
    print(f"Registrerte handlinger: {recorded}")


def _said(code: object) -> str:
    """A code (a stage, an outcome, a track, a status) in words, in lower case as inside a sentence."""
    return label(code).lower()
