"""The task inbox: what waits on the signed-in account across the running cohorts, soonest due first.

Built from the workflows' live state (overview and group detail queries), like Camunda's Tasklist lists the
user tasks of running processes; lists of cohorts come from the read model.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from domain.models import Track
from domain.requirements import AWAITING_SUBMISSION, RequirementStatus
from gateway.accounts import Account, Role
from gateway.messages import CohortOverview, CohortStage, GroupDetail, GroupStage, Outcome
from gateway.storage import CohortRecord
from web.state import Web

IN_PROGRAMME = {Outcome.ADMITTED, Outcome.MOVED_UP}
OPEN_STAGES = {GroupStage.PROGRAMME, GroupStage.WRITTEN, GroupStage.GRADING}


class Task(BaseModel):
    title: str
    where: str  # the cohort and group it belongs to, as the page names them
    link: str
    due: datetime | None = None


async def running_cohorts(web: Web) -> list[str]:
    async with web.sessions() as session:
        rows = await session.scalars(
            select(CohortRecord.cohort)
            .where(CohortRecord.stage != CohortStage.CLOSED.value)
            .order_by(CohortRecord.cohort)
        )
        return list(rows.all())


async def tasks(web: Web, account: Account) -> list[Task]:
    found: list[Task] = []
    for cohort in await running_cohorts(web):
        overview = await web.overview(cohort)
        found += cohort_tasks(account, overview)
        mine = [
            a.id
            for a in overview.applications
            if a.outcome in IN_PROGRAMME
            and a.group_workflow_id
            and await web.may_see(account, a.group_workflow_id, a.id)
        ]
        # the groups' queries at once: each is a round trip to a worker
        for detail in await asyncio.gather(*(web.group(account, cohort, application_id) for application_id in mine)):
            found += group_tasks(account, cohort, detail)
    return sorted(found, key=lambda task: (task.due is None, task.due or datetime.max))


def cohort_tasks(account: Account, overview: CohortOverview) -> list[Task]:
    if account.role != Role.ADMIN:
        return []
    link = f"/kull/{overview.cohort}"
    where = f"Kull {overview.cohort}"
    if overview.stage == CohortStage.SELECTION_DRAWN:
        return [Task(title="Bekreft utvalget", where=where, link=link + "#bekreft-utvalg")]
    if any(p.code == "pending.publish_results" for p in overview.pending_actions):
        return [Task(title="Publiser resultatene", where=where, link=link + "#publiser")]
    return []


def group_tasks(account: Account, cohort: str, detail: GroupDetail) -> list[Task]:
    if detail.stage not in OPEN_STAGES:
        return []
    link = f"/kull/{cohort}/grupper/{detail.application_id}"
    where = f"Kull {cohort}, gruppe {detail.application_id}"
    found: list[Task] = []
    role = account.role
    for r in detail.requirements:
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
    if role == Role.MUNICIPALITY and detail.stage == GroupStage.WRITTEN and not detail.written_submitted:
        found.append(Task(title="Lever den skriftlige oppgaven", where=where, link=link + "#skriftlig"))
    if role in (Role.ADMIN, Role.EXAMINER):
        if detail.written_submitted and detail.written_grade is None:
            found.append(Task(title="Sett karakter på den skriftlige oppgaven", where=where, link=link + "#skriftlig"))
        if detail.stage == GroupStage.GRADING:
            found.append(Task(title="Registrer de muntlige justeringene", where=where, link=link + "#muntlig"))
    if role == Role.ADMIN:
        found += [
            Task(title="Avgjør individuell vurdering", where=where, link=f"/deltaker/{m.participant_workflow_id}")
            for m in detail.members
            if m.track == Track.ASSESSMENT and not m.withdrawn
        ]
    return found
