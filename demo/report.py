"""The demo's JSON report and results table, read from the workflows' queries and the read model."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from demo import end_of_year
from domain.municipalities import UnknownMunicipality
from domain.selection import entry_for
from gateway.admin import Admin
from store.accounts import AccountRecord, Role
from store.db import under_workflow
from store.tables import AuditRecord, OutboxRecord, ParticipantRecord
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id, group_workflow_id
from workflows.messages import ApplicationRecord, CohortOverview, GroupDetail, MemberView

IN_PROGRAMME = ("admitted", "moved_up")
REPORTED_OUTCOME = {"not_selected": "waitlist"}  # on the waiting list when it closed: never moved up


async def build_report(
    admin: Admin, sessions: async_sessionmaker[AsyncSession], cohort: str, seconds: float
) -> dict[str, Any]:
    overview: CohortOverview = await admin.query(cohort_workflow_id(cohort), CohortWorkflow.overview)
    rows = await _participant_rows(sessions, cohort)
    participants, orals, supervision = [], [], []
    for record in overview.applications:
        if record.outcome.value in IN_PROGRAMME:
            group: GroupDetail = await admin.query(group_workflow_id(cohort, record.id), GroupWorkflow.detail)
            participants += [
                _participant(record.id, group, member, rows[member.participant_workflow_id])
                for member in group.members
                if not member.replaced
            ]
            if group.oral_slot is not None:  # the oral timetable: the time and place the administration set
                slot = group.oral_slot
                orals.append({"application": record.id, "start": slot.start.isoformat(), "place": slot.place})
            supervision += [
                {"application": record.id, "day": m.day.isoformat(), "present": len(m.present)}
                for m in group.supervision
            ]
    notices, accepted, refused = await _counts(sessions, cohort_workflow_id(cohort))
    after_publish = await end_of_year.report_sections(admin, sessions, cohort, participants)  # appeals, documents
    return {
        "cohort": cohort,
        "seed": overview.seed,
        "places": overview.places,
        "applications": [_application(record) for record in overview.applications],
        "participants": participants,
        "orals": orals,
        "supervision": supervision,
        "notices_sent": notices,
        "admin_actions": accepted,
        "refused_actions": refused,
        "applications_via_web": await _via_web(sessions, cohort_workflow_id(cohort)),
        "offers": await _offers(sessions, cohort_workflow_id(cohort)),
        "seconds": round(seconds, 1),
    } | after_publish


def _application(record: ApplicationRecord) -> dict[str, Any]:
    region, size = record.region, record.size
    if region is None or size is None:  # a refused application was never placed; its municipalities still tell
        try:
            entry = entry_for(record.municipalities)
            region, size = entry.region, entry.size
        except UnknownMunicipality:
            pass
    return {
        "id": record.id,
        "municipalities": record.municipalities,
        "region": region.value if region else None,
        "size": size.value if size else None,
        "outcome": REPORTED_OUTCOME.get(record.outcome.value, record.outcome.value),
        "errors": [problem.text for problem in record.problems],  # in Norwegian, as the cohort page shows them
    }


def _participant(application_id: str, group: GroupDetail, member: MemberView, row: ParticipantRecord) -> dict[str, Any]:
    """Membership and exam facts from the group's detail; the person's own track and approvals from the row their
    participant workflow projected (one query for the cohort rather than one workflow query each)."""
    return {
        "id": member.participant_workflow_id,
        "application": application_id,
        "sector": member.sector,
        "track": row.track,
        "requirements_approved": row.requirements_approved,
        "attendance_days": member.attendance_days,
        "withdrawn": member.withdrawn,
        "exam_eligible": member.exam_eligible,
        "written_grade": group.written_grade.value if group.written_grade and member.exam_eligible else None,
        "oral_adjustment": member.oral_adjustment,
        "final_grade": member.final_grade.value if member.final_grade else None,
        "credits": member.credits,
        "certificate": member.certificate,
        "ineligible_reason": str(member.ineligible_reason) if member.ineligible_reason else None,
    }


async def _participant_rows(sessions: async_sessionmaker[AsyncSession], cohort: str) -> dict[str, ParticipantRecord]:
    async with sessions() as session:
        rows = await session.scalars(select(ParticipantRecord).where(ParticipantRecord.cohort == cohort))
        return {row.participant_id: row for row in rows}


async def _via_web(sessions: async_sessionmaker[AsyncSession], root: str) -> int:
    """The applications the cohort accepted from a municipality contact's account (the web app's form or API): the
    command line's are handed in by the administration."""
    contacts = select(AccountRecord.username).where(AccountRecord.role == Role.MUNICIPALITY.value)
    async with sessions() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(
                AuditRecord.workflow_id == root,
                AuditRecord.action == "apply",
                AuditRecord.outcome == "accepted",
                AuditRecord.actor.in_(contacts),
            )
        )
    return int(found or 0)


async def _offers(sessions: async_sessionmaker[AsyncSession], root: str) -> list[dict[str, Any]]:
    """Who answered their offer of a place what, in the order answered, and how: on the web (a municipality
    contact's account) or at the office (the administration, as the municipality told it)."""
    contacts = select(AccountRecord.username).where(AccountRecord.role == Role.MUNICIPALITY.value)
    async with sessions() as session:
        rows = await session.execute(
            select(AuditRecord.params, AuditRecord.actor.in_(contacts))
            .where(AuditRecord.workflow_id == root, AuditRecord.action == "answer_offer")
            .where(AuditRecord.outcome == "accepted")
            .order_by(AuditRecord.at, AuditRecord.id)
        )
        return [
            {"application": params["application"], "answer": params["answer"], "by": "web" if web else "office"}
            for params, web in rows.all()
            if params
        ]


async def _counts(sessions: async_sessionmaker[AsyncSession], root: str) -> tuple[int, int, int]:
    async with sessions() as session:
        notices = await session.scalar(
            select(func.count()).select_from(OutboxRecord).where(under_workflow(OutboxRecord.idempotency_key, root))
        )
        audit = dict(
            (
                await session.execute(
                    select(AuditRecord.outcome, func.count())
                    .where(under_workflow(AuditRecord.workflow_id, root))
                    .group_by(AuditRecord.outcome)
                )
            ).all()
        )
    return int(notices or 0), int(audit.get("accepted", 0)), int(audit.get("refused", 0))


def results_table(report: dict[str, Any]) -> str:
    lines = [
        f"{'participant':<44} {'track':<8} {'krav':>4} {'dager':>5} {'skriftlig':>9} {'muntlig':>7} {'karakter':>8} "
        f"{'sp':>3}  bevis"
    ]
    for p in report["participants"]:
        oral = "" if p["oral_adjustment"] is None else f"{p['oral_adjustment']:+d}"
        lines.append(
            f"{p['id']:<44} {p['track']:<8} {p['requirements_approved']:>4} {p['attendance_days']:>5} "
            f"{p['written_grade'] or '':>9} {oral:>7} {p['final_grade'] or '':>8} {p['credits']:>3}  "
            f"{p['certificate'] or p['ineligible_reason'] or ''}"
        )
    outcomes = Counter(a["outcome"] for a in report["applications"])
    grades = Counter(p["final_grade"] for p in report["participants"] if p["final_grade"])
    lines.append("")
    lines.append("Applications: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    lines.append(
        "Grades: "
        + ", ".join(f"{k} {v}" for k, v in sorted(grades.items()))
        + f"; course certificates: {sum(p['certificate'] == 'course_certificate' for p in report['participants'])}"
    )
    lines.append(f"Oral timetable: {len(report['orals'])} groups; supervision meetings: {len(report['supervision'])}")
    lines.append(
        f"Applications on the web: {report.get('applications_via_web', 0)}; offers answered on the web: "
        f"{sum(offer['by'] == 'web' for offer in report.get('offers', []))}; "
        f"notices: {report['notices_sent']}; admin actions: {report['admin_actions']} accepted, "
        f"{report['refused_actions']} refused; {report['seconds']} s"
    )
    return "\n".join(lines)
