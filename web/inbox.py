"""The task inbox: what waits on the signed-in account across the running cohorts, soonest due first.

Built from the read model: the groups' rows carry their stage, requirements (status and deadline), the written
assignment and what is pending, so a view is a few SQL queries whatever the number of groups, and no group workflow
is queried (at national size that was ~360 queries per view). Only "Publiser resultatene" asks the cohort workflow,
and only when the rows say every group in the programme has its grades.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel
from sqlalchemy import select

from domain.municipalities import names
from domain.requirements import AWAITING_SUBMISSION, RequirementStatus
from gateway.accounts import Account, Role
from gateway.messages import CohortStage, GroupStage, Outcome
from gateway.storage import AppealRecord, CohortRecord, GroupRecord
from web.state import STAFF, Web

IN_PROGRAMME = {Outcome.ADMITTED, Outcome.MOVED_UP}
OPEN_STAGES = {GroupStage.PROGRAMME, GroupStage.WRITTEN, GroupStage.GRADING}


class Task(BaseModel):
    title: str
    where: str  # the cohort and group it belongs to, as the page names them
    link: str
    due: datetime | None = None


class _Requirement(BaseModel):
    number: int
    status: RequirementStatus
    deadline: AwareDatetime


async def tasks(web: Web, account: Account) -> list[Task]:
    found: list[Task] = []
    in_programme = [o.value for o in IN_PROGRAMME]
    visible = await web.visible_groups(account)  # before the session: SQLite's pool has one connection
    async with web.sessions() as session:
        cohorts = list(
            (
                await session.scalars(
                    select(CohortRecord)
                    .where(CohortRecord.stage != CohortStage.CLOSED.value)
                    .order_by(CohortRecord.cohort)
                )
            ).all()
        )
        groups: list[GroupRecord] = []
        if cohorts:
            groups = list(
                (
                    await session.scalars(
                        select(GroupRecord)
                        .where(GroupRecord.cohort.in_([c.cohort for c in cohorts]))
                        .where(GroupRecord.outcome.in_(in_programme))
                        .where(visible)
                        .order_by(GroupRecord.group_id)
                    )
                ).all()
            )
    for cohort in cohorts:
        found += await cohort_tasks(web, account, cohort, [g for g in groups if g.cohort == cohort.cohort])
    for row in groups:
        found += group_tasks(account, row)
    found += await commission_tasks(web, account)
    return sorted(found, key=lambda task: (task.due is None, task.due or datetime.max))


async def cohort_tasks(web: Web, account: Account, cohort: CohortRecord, groups: list[GroupRecord]) -> list[Task]:
    if account.role != Role.ADMIN:
        return []
    link = f"/kull/{cohort.cohort}"
    where = f"Kull {cohort.cohort}"
    if cohort.stage == CohortStage.SELECTION_DRAWN:
        return [Task(title="Bekreft utvalget", where=where, link=link + "#bekreft-utvalg")]
    # the admin sees every group: once no row is open, the cohort itself says whether all are ready to publish
    if cohort.stage == CohortStage.RUNNING and groups and all(g.stage not in OPEN_STAGES for g in groups):
        overview = await web.overview(cohort.cohort)
        if any(p.code == "pending.publish_results" for p in overview.pending_actions):
            return [Task(title="Publiser resultatene", where=where, link=link + "#publiser")]
    return []


def group_tasks(account: Account, row: GroupRecord) -> list[Task]:
    if row.stage not in OPEN_STAGES:
        return []
    link = f"/kull/{row.cohort}/grupper/{row.application_id}"
    role = account.role
    where = f"Kull {row.cohort}, gruppe {names(row.application_id, numbered=role in STAFF)}"
    found: list[Task] = []
    for r in (_Requirement.model_validate(cell) for cell in row.requirements or []):
        if r.status == RequirementStatus.SUBMITTED and role in (Role.ADMIN, Role.TEACHER):
            found.append(
                Task(
                    title=f"Vurder arbeidskrav {r.number}", where=where, link=f"{link}#krav-{r.number}", due=r.deadline
                )
            )
        if r.status in AWAITING_SUBMISSION and role == Role.MUNICIPALITY:
            found.append(
                Task(title=f"Lever arbeidskrav {r.number}", where=where, link=f"{link}#krav-{r.number}", due=r.deadline)
            )
    if role == Role.MUNICIPALITY and row.stage == GroupStage.WRITTEN and not row.written_submitted:
        found.append(Task(title="Lever den skriftlige oppgaven", where=where, link=link + "#skriftlig"))
    if role in (Role.ADMIN, Role.EXAMINER):
        if row.written_submitted and row.written_grade is None:
            found.append(Task(title="Sett karakter på den skriftlige oppgaven", where=where, link=link + "#skriftlig"))
        if row.stage == GroupStage.GRADING:
            found.append(Task(title="Registrer de muntlige justeringene", where=where, link=link + "#muntlig"))
    if role == Role.ADMIN:
        found += [
            Task(title="Avgjør individuell vurdering", where=where, link=f"/deltaker/{_param(p, 'participant')}")
            for p in row.pending or []
            if p.get("code") == "pending.assessment"
        ]
    return found


async def commission_tasks(web: Web, account: Account) -> list[Task]:
    """The undecided appeals whose commission the examiner sits on, each to its blind page (/klage/...)."""
    if account.role != Role.EXAMINER:
        return []
    async with web.sessions() as session:
        rows = await session.scalars(
            select(AppealRecord)
            .where(AppealRecord.examiners.contains(f",{account.username},", autoescape=True))
            .where(AppealRecord.decided_at.is_(None), AppealRecord.withdrawn_at.is_(None))
            .order_by(AppealRecord.registered_at)
        )
        return [
            Task(title="Klage til ny sensur", where=f"Kull {r.cohort}", link=f"/klage/{r.participant_id}")
            for r in rows.all()
        ]


def _param(pending: dict[str, Any], name: str) -> str:
    return str((pending.get("params") or {}).get(name, ""))
