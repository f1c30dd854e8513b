"""The task inbox: what waits on the signed-in account across the running cohorts, soonest due first.

Built from the read model: the groups' rows carry their stage, requirements (status and deadline), the written
assignment and what is pending, so a view is a few SQL queries whatever the number of groups, and no group workflow
is queried (at national size that was ~360 queries per view). Only "Publiser resultatene" asks the cohort workflow,
and only when the rows say every group in the programme has its grades.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import AwareDatetime, BaseModel
from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from domain.due import appeal_due, approval_due, assessment_due, grading_due, orals_due, overdue, release_due
from domain.ids import CohortId, GroupId, ParticipantId
from domain.models import CohortPlan
from domain.places import said_group, said_place
from domain.refusals import Refusal
from domain.reminders import Task
from domain.requirements import AWAITING_SUBMISSION, RequirementStatus
from gateway import plans
from gateway.accounts import Account, Accounts, Role
from gateway.messages import CohortOverview, CohortStage, GroupStage, Outcome
from gateway.queries import COHORT_OVERVIEW
from gateway.storage import AppealRecord, CohortRecord, GroupRecord, ResitRecord, explanations_store

__all__ = ["InboxReads", "ReadModelInbox", "Task", "group_tasks", "tasks", "visible_groups"]

STAFF = (Role.ADMIN, Role.TEACHER, Role.EXAMINER)

IN_PROGRAMME = {Outcome.ADMITTED, Outcome.MOVED_UP}
PUBLISH = "pending.publish_results"
OPEN_STAGES = {GroupStage.PROGRAMME, GroupStage.WRITTEN, GroupStage.GRADING}
TO_RELEASE = {GroupStage.GRADED, GroupStage.NO_EXAM}  # results computed, not yet released
WITH_TASKS = OPEN_STAGES | TO_RELEASE
SUBMITTED = RequirementStatus.SUBMITTED.value
AWAITING = {status.value for status in AWAITING_SUBMISSION}


class GroupRow(Protocol):
    """The columns of a group's row the inbox reads (a GroupRecord has them)."""

    cohort: str
    group_id: str
    application_id: str
    stage: str
    requirements: list[dict[str, Any]] | None
    written_submitted: bool
    written_grade: str | None
    pending: list[dict[str, Any]] | None


ROW_COLUMNS = (
    GroupRecord.cohort,
    GroupRecord.group_id,
    GroupRecord.application_id,
    GroupRecord.stage,
    GroupRecord.requirements,
    GroupRecord.written_submitted,
    GroupRecord.written_grade,
    GroupRecord.pending,
)


class InboxReads(Protocol):
    """What the inbox reads: the read model, an examiner's groups, a cohort's plan and (to publish) its overview.
    The web app's state fits (web/state.py Web); the staff reminders' sweep reads through ReadModelInbox."""

    sessions: async_sessionmaker[AsyncSession]
    accounts: Accounts

    async def visible_groups(self, account: Account) -> ColumnElement[bool]: ...
    async def plan(self, group_workflow_id: str) -> CohortPlan: ...
    async def overview(self, cohort: str) -> CohortOverview: ...


class _Requirement(BaseModel):
    number: int
    status: RequirementStatus
    deadline: AwareDatetime
    submitted_at: AwareDatetime | None = None


async def tasks(web: InboxReads, account: Account) -> list[Task]:
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
        groups: list[GroupRow] = []
        if cohorts:  # the columns the tasks need, not whole rows: no ORM objects for ~360 groups a view
            query = (
                select(*ROW_COLUMNS)
                .where(GroupRecord.cohort.in_([c.cohort for c in cohorts]))
                .where(GroupRecord.outcome.in_(in_programme))
                .where(visible)
                .order_by(GroupRecord.group_id)
            )
            groups = list((await session.execute(query)).all())
    for cohort in cohorts:
        theirs = [g for g in groups if g.cohort == cohort.cohort]
        found += await cohort_tasks(web, account, cohort, theirs)
        # the plan dates the staff's exam tasks: one history read per cohort and web process (cached)
        plan = await web.plan(theirs[0].group_id) if any(g.stage in WITH_TASKS for g in theirs) else None
        for row in theirs:
            found += group_tasks(account, row, plan)
    found += await resit_tasks(web, account)
    found += await explanation_tasks(web, account)
    found += await commission_tasks(web, account)
    now = datetime.now(UTC)
    # each task was made here for this view: marked in place (a copy each was an eighth of a national view's profile)
    for task in found:
        task.overdue = overdue(task.due, now)
    return sorted(found, key=lambda task: (task.due is None, task.due or datetime.max))


async def cohort_tasks(web: InboxReads, account: Account, cohort: CohortRecord, groups: list[GroupRow]) -> list[Task]:
    if account.role != Role.ADMIN:
        return []
    link = f"/kull/{cohort.cohort}"
    where = f"Kull {cohort.cohort}"
    if cohort.stage == CohortStage.SELECTION_DRAWN:
        return [Task(title="Bekreft utvalget", where=where, link=link + "#bekreft-utvalg", cohort=cohort.cohort)]
    if groups and await _publish_pending(web, cohort, groups):
        due = release_due(await web.plan(groups[0].group_id))
        return [Task(title="Publiser resultatene", where=where, link=link + "#publiser", cohort=cohort.cohort, due=due)]
    return []


async def _publish_pending(web: InboxReads, cohort: CohortRecord, groups: list[GroupRow]) -> bool:
    """Whether the cohort waits for its results to be published, as its workflow decided it in its row; a row written
    before it held that (an older database) has the workflow asked, once no group's row is open."""
    if cohort.pending is not None:
        return any(p.get("code") == PUBLISH for p in cohort.pending)
    if cohort.stage == CohortStage.RUNNING and groups and all(g.stage not in OPEN_STAGES for g in groups):
        overview = await web.overview(cohort.cohort)
        return any(p.code == PUBLISH for p in overview.pending_actions)
    return False


def group_tasks(account: Account, row: GroupRow, plan: CohortPlan | None) -> list[Task]:
    """What waits on `account` in one group; `plan` (the cohort's) dates the written grade and the orals. Most groups
    have nothing for the account: the group is named (said_group, cached) and a requirement read into its model only
    for a task."""
    found = _group_tasks(account, row, plan)
    for task in found:  # made just now for this row: filed under its cohort in place
        task.cohort = row.cohort
    return found


def _group_tasks(account: Account, row: GroupRow, plan: CohortPlan | None) -> list[Task]:
    if row.stage not in WITH_TASKS:
        return []
    link = f"/kull/{row.cohort}/grupper/{row.application_id}"
    role = account.role
    where = said_group(row.cohort, row.application_id, numbered=role in STAFF)
    if row.stage in TO_RELEASE and role == Role.ADMIN:  # each group's results may be checked and released alone
        due = release_due(plan) if plan else None
        return [Task(title="Kontroller og frigi resultatene", where=where, link=link + "#publisering", due=due)]
    if row.stage not in OPEN_STAGES:
        return []
    found: list[Task] = []
    wanted = {SUBMITTED} if role in (Role.ADMIN, Role.TEACHER) else AWAITING if role == Role.MUNICIPALITY else set()
    cells = [cell for cell in row.requirements or [] if cell.get("status") in wanted]
    for r in (_Requirement.model_validate(cell) for cell in cells):
        if r.status == RequirementStatus.SUBMITTED and role in (Role.ADMIN, Role.TEACHER):
            due = approval_due(plan, r.submitted_at) if plan and r.submitted_at else r.deadline
            title = f"Vurder arbeidskrav {r.number}"
            found.append(Task(title=title, where=where, link=f"{link}#krav-{r.number}", due=due))
        if r.status in AWAITING_SUBMISSION and role == Role.MUNICIPALITY:
            found.append(
                Task(title=f"Lever arbeidskrav {r.number}", where=where, link=f"{link}#krav-{r.number}", due=r.deadline)
            )
    if role == Role.MUNICIPALITY and row.stage == GroupStage.WRITTEN and not row.written_submitted:
        found.append(Task(title="Lever den skriftlige oppgaven", where=where, link=link + "#skriftlig"))
    if role in (Role.ADMIN, Role.EXAMINER):
        if row.written_submitted and row.written_grade is None:
            title, due = "Sett karakter på den skriftlige oppgaven", grading_due(plan) if plan else None
            found.append(Task(title=title, where=where, link=link + "#skriftlig", due=due))
        if row.stage == GroupStage.GRADING:
            title, due = "Registrer de muntlige justeringene", orals_due(plan) if plan else None
            found.append(Task(title=title, where=where, link=link + "#muntlig", due=due))
    if role == Role.ADMIN:
        due = assessment_due(plan) if plan else None
        found += [
            Task(
                title="Avgjør individuell vurdering",
                where=where,
                link=f"/deltaker/{_param(p, 'participant')}",
                due=due,
            )
            for p in row.pending or []
            if p.get("code") == "pending.assessment"
        ]
    return found


RESIT_TITLES = {"awaiting_written": "Sett karakter på ny eksamen", "awaiting_oral": "Registrer muntlig, ny eksamen"}


async def resit_tasks(web: InboxReads, account: Account) -> list[Task]:
    """Re-sits waiting for a grade, due by the end of their period: the administration's, and an examiner's of the
    groups they are assigned to (a re-sit is graded on the person's page). From the re-sits' rows, in any cohort:
    a re-sit runs on after its cohort has ended."""
    if account.role not in (Role.ADMIN, Role.EXAMINER):
        return []
    query = select(ResitRecord).where(ResitRecord.decided_at.is_(None)).order_by(ResitRecord.resit_id)
    if account.role == Role.EXAMINER:
        query = query.where(ResitRecord.group_id.in_(await web.accounts.assigned(account.username)))
    async with web.sessions() as session:
        rows = list((await session.scalars(query)).all())
    return [
        Task(
            title=RESIT_TITLES.get(row.stage, "Ny eksamen"),
            cohort=_cohort_of(row.participant_id),
            where=said_place(row.resit_id),
            link=f"/deltaker/{row.participant_id}#klage-og-ny-eksamen",
            due=row.period_end,
        )
        for row in rows
    ]


async def explanation_tasks(web: InboxReads, account: Account) -> list[Task]:
    """A begrunnelse asked for and not given: the group's examiners write it; the administration sees it wait."""
    if account.role not in (Role.ADMIN, Role.EXAMINER):
        return []
    async with web.sessions() as session:
        rows = await explanations_store.waiting(session)
    return [
        Task(
            title="Skriv begrunnelse for karakteren",
            cohort=_cohort_of(row.participant_id),
            where=said_place(row.participant_id),
            link=f"/deltaker/{row.participant_id}#begrunnelse",
            due=row.due,
        )
        for row in rows
        if account.role == Role.ADMIN or account.username in row.examiners
    ]


ADMIN_APPEAL_TITLES = {  # what an undecided appeal waits on the administration for, by its stage
    "awaiting_examiners": "Oppnevn klagekommisjon",
    "further_assessment": "Avgjør videre vurdering av klagen",
}
NEW_ORAL = "Sett tid for ny muntlig eksamen"  # a changed written grade: the new oral has no time yet


async def commission_tasks(web: InboxReads, account: Account) -> list[Task]:
    """Undecided appeals, due by the plan's grading time after registration: those whose commission an examiner sits
    on, each to its blind page (/klage/...); the administration's while it names the commission or (two grades from
    the first) assesses further, each to the person's page, and while a new oral after a changed grade has no time
    (the new oral adjustment is refused until then), to the appeal's page with its form."""
    if account.role not in (Role.ADMIN, Role.EXAMINER):
        return []
    query = (
        select(AppealRecord)
        .where(AppealRecord.decided_at.is_(None), AppealRecord.withdrawn_at.is_(None))
        .order_by(AppealRecord.registered_at)
    )
    if account.role == Role.EXAMINER:
        query = query.where(AppealRecord.examiners.contains(f",{account.username},", autoescape=True))
    else:
        unscheduled = and_(AppealRecord.stage == "awaiting_oral", AppealRecord.new_oral_at.is_(None))
        query = query.where(or_(AppealRecord.stage.in_(ADMIN_APPEAL_TITLES), unscheduled))
    async with web.sessions() as session:
        rows = list((await session.scalars(query)).all())
    found = []
    for r in rows:
        due = appeal_due(await web.plan(r.group_id), r.registered_at)  # the plan: cached per cohort
        if account.role == Role.EXAMINER:  # the cohort only, as before: the blind page says what the member needs
            title, where, link = "Klage til ny sensur", f"Kull {r.cohort}", f"/klage/{r.participant_id}"
        elif r.stage == "awaiting_oral":
            title, where, link = NEW_ORAL, said_place(r.participant_id), f"/klage/{r.participant_id}#ny-muntlig"
        else:
            title, where = ADMIN_APPEAL_TITLES[r.stage], said_place(r.participant_id)
            link = f"/deltaker/{r.participant_id}#klage-og-ny-eksamen"
        found.append(Task(title=title, where=where, link=link, cohort=r.cohort, due=due))
    return found


def _cohort_of(participant_id: str) -> str:
    try:
        return ParticipantId.parse(participant_id).group.cohort.cohort
    except Refusal:
        return ""


async def visible_groups(accounts: Accounts, account: Account) -> ColumnElement[bool]:
    """Which groups' rows an account may see, as a filter: one query (an examiner's assignments) at most."""
    if account.role == Role.EXAMINER:
        return GroupRecord.group_id.in_(await accounts.assigned(account.username))
    if account.role == Role.MUNICIPALITY and account.municipality:
        # application_id is kommunenumre joined by '+': this one alone, first, last or between
        m = account.municipality
        a = GroupRecord.application_id
        return or_(a == m, a.startswith(m + "+"), a.endswith("+" + m), a.contains("+" + m + "+"))
    return true() if account.role in (Role.ADMIN, Role.TEACHER) else false()


@dataclass
class ReadModelInbox:
    """The inbox read outside the web app (the staff reminders' sweep, in the worker): the same tasks, with a
    Temporal error raised as it comes (the activity is retried) rather than said as a page."""

    client: Client
    sessions: async_sessionmaker[AsyncSession]
    accounts: Accounts = field(init=False)
    plans: plans.PlanCache = field(default_factory=plans.PlanCache)

    def __post_init__(self) -> None:
        self.accounts = Accounts(self.sessions)

    async def visible_groups(self, account: Account) -> ColumnElement[bool]:
        return await visible_groups(self.accounts, account)

    async def plan(self, group_workflow_id: str) -> CohortPlan:
        cohort = GroupId.parse(group_workflow_id).cohort.workflow_id
        return await plans.group_plan(self.plans, self.client, self.sessions, group_workflow_id, cohort)

    async def overview(self, cohort: str) -> CohortOverview:
        workflow_id = CohortId.parse(cohort).workflow_id
        overview: CohortOverview = await self.client.get_workflow_handle(workflow_id).query(COHORT_OVERVIEW)
        return overview

    async def tasks(self, account: Account) -> list[Task]:
        return await tasks(self, account)


def _param(pending: dict[str, Any], name: str) -> str:
    return str((pending.get("params") or {}).get(name, ""))
