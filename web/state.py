"""What every route shares (the gateway, accounts, signer, templates) and the reads behind the pages and the API.

Access to a group is decided here once: a municipality asking for a group that is not theirs gets the same
404 as for a group that does not exist, so it cannot learn which groups exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from ipaddress import IPv4Network, IPv6Network
from typing import Any, Protocol, runtime_checkable

import structlog
from fastapi import HTTPException, status
from fastapi.templating import Jinja2Templates
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.service import RPCError, RPCStatusCode

from domain.ids import CohortId, GroupId, ParticipantId, WorkflowRef
from domain.lifecycle import IN_PROGRAMME
from domain.models import CohortPlan
from domain.refusals import Refusal
from gateway.accounts import Account, Accounts, Role, Sessions
from gateway.admin import Admin
from gateway.inbox import visible_groups
from gateway.messages import (
    CohortOverview,
    CohortStage,
    GroupDetail,
    GroupStage,
    MemberView,
    ParticipantDetail,
    Pending,
    cohort_workflow_id,
)
from gateway.privacy import PersonExport, Privacy, open_drafts
from gateway.queries import (
    COHORT_OVERVIEW,
    GROUP_DETAIL,
    OfferState,
    participant_detail,
    written_group_detail,
    written_offer,
)
from gateway.storage import AuditRecord, Documents, GroupRecord, LetterView, Uploads, person_letters
from runtime.codec import EncryptionCodec
from runtime.settings import Settings
from runtime.wiring import contact
from web.auth import LoginLimiter, Signer
from web.chart_figures import ChartFigures
from web.cohort_rows import cohort_rows
from web.oidc import OpenIdSignIn
from web.pages import unnamed
from web.plans import PlanCache


@runtime_checkable
class NamesApplication(Protocol):
    """A cohort's action about one application (an answer to its offer, its release, its withdrawal)."""

    application_id: str


def _last_sent(marks: dict[str, datetime], group: GroupId) -> datetime | None:
    """When this app last sent an action to the group or to its whole cohort, by `marks` (Web.sent)."""
    return max((marks[key] for key in (group.workflow_id, group.cohort.workflow_id) if key in marks), default=None)


NOT_FOUND = "Fant ikke gruppen"
UNAVAILABLE = "Temporal svarer ikke nå. Prøv igjen om litt."
log = structlog.get_logger()
STAFF = (Role.ADMIN, Role.TEACHER, Role.EXAMINER)
OPEN = {GroupStage.PROGRAMME, GroupStage.WRITTEN, GroupStage.GRADING}  # a group whose grades are not yet computed


@dataclass
class Web:
    settings: Settings
    admin: Admin
    accounts: Accounts
    sessions: async_sessionmaker[AsyncSession]
    signer: Signer
    limiter: LoginLimiter
    codec: EncryptionCodec
    templates: Jinja2Templates
    documents: Documents
    uploads: Uploads
    web_sessions: Sessions
    oidc: OpenIdSignIn | None = None  # sign-in through an OpenID provider, when NIS_OIDC_ISSUER is set
    proxies: list[IPv4Network | IPv6Network] = field(default_factory=list)  # whose X-Forwarded-For is believed
    plans: PlanCache = field(default_factory=PlanCache)  # each cohort's plan, as amended
    statistics: ChartFigures = field(default_factory=ChartFigures)  # the cohort page's charts, per change
    # when this app last sent an action that may change a group (by group or cohort workflow ID): its page reads the
    # group's row only once the row is newer, so whoever looks next sees the action, the actor or anyone else
    acted: dict[str, datetime] = field(default_factory=dict)
    # the same for the actions sent to a cohort alone (by group or cohort workflow ID): only they change an offer
    cohort_acted: dict[str, datetime] = field(default_factory=dict)

    async def overview(self, cohort: str) -> CohortOverview:
        try:
            workflow_id = CohortId.parse(cohort).workflow_id
        except Refusal:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet") from None
        result: CohortOverview | None = await self._query(workflow_id, COHORT_OVERVIEW)
        if result is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet")
        return result

    async def cohort_page(self, cohort: str) -> CohortOverview:
        """The cohort page's overview from the read model (the cohort's row, its groups' rows, its audit entries),
        in three queries and no workflow query, however many groups the cohort has. While some application has no
        group row (the intake, a refused or waitlisted application) the list needs the cohort workflow: then its
        overview. The administration's pending actions as the cohort workflow decides them (cohort_views), from the
        row it writes; a row written before it held them (an older database) has the workflow asked, once the rows
        say every group is closed."""
        try:
            workflow_id = CohortId.parse(cohort).workflow_id
        except Refusal:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet") from None
        rows = await cohort_rows(self.sessions, cohort, workflow_id)
        # more rows than the cohort's count is a group written after the cohort's row was read (the intake, each read
        # its own moment): listed; fewer is an application without a row the audit does not list (refused): asked
        if rows is None or len(rows.groups) < rows.cohort.applications:
            return await self.overview(cohort)
        record, groups = rows.cohort, rows.groups
        in_programme = [g for g in groups if g.outcome in IN_PROGRAMME]
        pending: list[Pending] = []
        if record.pending is not None:
            pending = [Pending.model_validate(p) for p in record.pending]
        elif record.stage == CohortStage.SELECTION_DRAWN:
            pending = [Pending.of("pending.confirm_selection")]
        elif record.stage == CohortStage.RUNNING and in_programme and not any(g.stage in OPEN for g in in_programme):
            pending = (await self.overview(cohort)).pending_actions
        applications = [
            {
                "id": g.application_id,
                "municipalities": g.application_id.split("+"),
                "region": g.region or None,
                "size": g.size or None,
                "outcome": g.outcome,
                "group_workflow_id": GroupId.of(cohort, g.application_id).workflow_id,
                "group_stage": g.stage,
                "problems": [],  # given, not defaulted: a default list is deep-copied per record (357 a view)
                "errors": [],
            }
            for g in groups
        ]
        return CohortOverview.model_validate(
            {
                "cohort": cohort,
                "stage": record.stage,
                "seed": record.seed,
                "places": record.places,
                "applications": applications,  # validated into the workflow's own records
                "groups_per_stage": dict(Counter(g.stage for g in groups)),
                "outcomes": dict(Counter(g.outcome for g in groups)),
                "pending_actions": pending,
                "admin_actions": rows.actions,
            }
        )

    async def _query(self, workflow_id: str, query: Any) -> Any:
        """A workflow's live state; None when there is no such workflow, 503 when Temporal does not answer."""
        try:
            return await self.admin.client.get_workflow_handle(workflow_id).query(query)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return None
            log.warning("query failed", workflow_id=workflow_id, status=error.status.name)
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE) from None
        except RuntimeError as error:  # the client's connection itself failed (a lazy or lost connection)
            log.warning("query failed", workflow_id=workflow_id, error=str(error))
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE) from None

    async def group_id(self, account: Account, cohort: str, application_id: str) -> str:
        """The group's workflow id, if this account may see the group at all (404 otherwise, as for no group)."""
        try:
            workflow_id = GroupId.of(cohort, application_id).workflow_id
        except Refusal:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
        if not await self.may_see(account, workflow_id, application_id):
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
        return workflow_id

    async def may_see(self, account: Account, group_workflow_id: str, application_id: str) -> bool:
        if account.role == Role.EXAMINER:
            return group_workflow_id in await self.accounts.assigned(account.username)
        if account.role == Role.MUNICIPALITY:
            return account.municipality in application_id.split("+")
        return account.role in (Role.ADMIN, Role.TEACHER)

    async def visible_groups(self, account: Account) -> ColumnElement[bool]:
        """may_see as a filter on the groups' rows: one query (an examiner's assignments) at most, not one per group."""
        return await visible_groups(self.accounts, account)

    async def visible_applications(self, account: Account, cohort: str) -> set[str]:
        """The application IDs of the cohort's groups this account may open, in one query."""
        where = await self.visible_groups(account)
        async with self.sessions() as session:
            rows = await session.scalars(
                select(GroupRecord.application_id).where(GroupRecord.cohort == cohort).where(where)
            )
            return set(rows.all())

    async def group(self, account: Account, cohort: str, application_id: str, *, fresh: bool = True) -> GroupDetail:
        """The group as it stands: asked of its workflow. `fresh=False` (a page that only shows it) reads the row the
        workflow wrote last instead, unless the row is older than an action this app sent it: then it asks."""
        workflow_id = await self.group_id(account, cohort, application_id)
        detail = await self._query(workflow_id, GROUP_DETAIL) if fresh else await self._shown_group(workflow_id)
        if detail is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
        return detail

    async def _shown_group(self, group_workflow_id: str) -> GroupDetail | None:
        """The group for a page that shows it: the row it wrote, or its query while the row is older than an action
        this app sent it (the group writes just after it answers)."""
        changed_at = _last_sent(self.acted, GroupId.parse(group_workflow_id))
        detail = await written_group_detail(self.sessions, group_workflow_id, changed_at)
        return detail if detail is not None else await self._query(group_workflow_id, GROUP_DETAIL)

    def sent(self, target: WorkflowRef, action: object, at: datetime) -> None:
        """An action sent at `at` to `target`: the group it may change reads as changed from then on. A cohort's
        action names its group (release, withdrawal) or may change them all (confirmation, release of all)."""
        if isinstance(target, ParticipantId):
            key = target.group.workflow_id
        elif isinstance(target, GroupId):
            key = target.workflow_id
        elif isinstance(target, CohortId):
            if isinstance(action, NamesApplication):
                key = GroupId.of(target.cohort, action.application_id).workflow_id
            else:
                key = target.workflow_id
            self.cohort_acted[key] = max(at, self.cohort_acted.get(key, at))
        else:
            return  # an appeal's or a re-sit's own workflow: not the group's page
        self.acted[key] = max(at, self.acted.get(key, at))

    async def offer(self, detail: GroupDetail) -> OfferState | None:
        """The group's offer of a place as its cohort decides it: the row the cohort wrote, or the cohort's overview
        while the row is older than an action this app sent the cohort. None when the cohort knows no such
        application."""
        group = GroupId.parse(detail.group_workflow_id)
        written = await written_offer(self.sessions, group.workflow_id, _last_sent(self.cohort_acted, group))
        if written is not None:
            return written
        overview = await self.overview(group.cohort.cohort)
        record = next((r for r in overview.applications if r.id == detail.application_id), None)
        if record is None:
            return None
        return OfferState(outcome=record.outcome, answer_by=record.answer_by, answered=record.answered)

    async def names(self, detail: GroupDetail) -> dict[str, str]:
        """Each member's name from the register of people, by participant workflow ID; one the register no longer
        holds (erased) is said by their place (`Deltaker 2 i gruppe Kristiansand`)."""
        people = self.admin.people
        found = await people.get_many([m.person_id for m in detail.members]) if people is not None else {}
        return {
            m.participant_workflow_id: found[m.person_id].name
            if m.person_id in found
            else unnamed(m.participant_workflow_id)
            for m in detail.members
        }

    async def participant_name(self, member: ParticipantId) -> str:
        """One participant's name (their group's view names their person ID), for a page its reader may see."""
        detail = await self._shown_group(member.group.workflow_id)
        if detail is None:
            return unnamed(member.workflow_id)
        return (await self.names(detail)).get(member.workflow_id, unnamed(member.workflow_id))

    async def member_of(self, member: ParticipantId) -> tuple[GroupDetail, MemberView] | None:
        """The participant's group as it stands and their own row in it (their person ID); None when either is gone."""
        detail = await self._shown_group(member.group.workflow_id)
        found = [m for m in detail.members if m.participant_workflow_id == member.workflow_id] if detail else []
        return (detail, found[0]) if detail and found else None

    async def letters_to(self, person_id: str) -> list[LetterView]:
        """The letters to one person as they got them (rendered now, as the letters page renders them), newest
        first; none without a register of people."""
        people = self.admin.people
        if people is None:
            return []
        return list(reversed(await person_letters(self.sessions, people, contact(self.settings), person_id)))

    async def export_of(self, person_id: str, actor: str) -> PersonExport:
        """What the register, letters, audit and results hold about the person, as `starter.py privacy export`
        gives it (the privacy log records who asked); Refused when nothing is held (erased)."""
        if self.admin.people is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Registeret over personer er ikke tilgjengelig")
        drafts = open_drafts(self.settings, self.sessions)
        return await Privacy(self.admin.client, self.sessions, self.admin.people, drafts=drafts).export(
            person_id, actor
        )

    async def participant_access(self, account: Account, participant_id: str) -> ParticipantId:
        """The participant's typed ID, if this account may see them (404 for everyone else's, as for a group)."""
        try:
            member = ParticipantId.parse(participant_id)
        except Refusal:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren") from None
        if account.role == Role.PARTICIPANT:
            allowed = account.participant == participant_id
        else:
            allowed = await self.may_see(account, member.group.workflow_id, member.group.application_id)
        if not allowed:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren")
        return member

    async def audit(self, group_workflow_id: str, limit: int = 100) -> list[AuditRecord]:
        """The group's and its participants' audit trail from the read model, newest first."""
        async with self.sessions() as session:
            rows = await session.scalars(
                select(AuditRecord).where(of_group(group_workflow_id)).order_by(AuditRecord.at.desc()).limit(limit)
            )
            return list(rows.all())

    async def audit_log(
        self, cohort: str | None, action: str | None, outcome: str | None, limit: int = 200
    ) -> list[AuditRecord]:
        """The audit trail of every workflow, newest first, narrowed by cohort, action and outcome."""
        query = select(AuditRecord).order_by(AuditRecord.at.desc(), AuditRecord.id.desc()).limit(limit)
        if cohort:
            top = cohort_workflow_id(cohort)
            query = query.where(or_(AuditRecord.workflow_id == top, AuditRecord.workflow_id.startswith(top + ".")))
        if action:
            query = query.where(AuditRecord.action == action)
        if outcome:
            query = query.where(AuditRecord.outcome == outcome)
        async with self.sessions() as session:
            return list((await session.scalars(query)).all())

    async def participant(self, workflow_id: str) -> ParticipantDetail | None:
        return await participant_detail(self._query, workflow_id)  # None: not started yet, or gone

    async def plan(self, group_workflow_id: str) -> CohortPlan:
        """The cohort plan the group runs on: its cohort's, as amended (the cohort passes amendments to its groups)."""
        try:
            cohort = GroupId.parse(group_workflow_id).cohort.workflow_id
        except Refusal:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
        return await self.plans.of_group(self.admin.client, self.sessions, group_workflow_id, cohort)


def of_group(group_workflow_id: str) -> ColumnElement[bool]:
    """The audit entries of a group and of the workflows under it (members, appeals, re-sits). Their IDs lie between
    "<group>." and "<group>/" ('/' follows '.'): a range the index on workflow_id answers, where LIKE 'group.%' read
    every entry of the log (~20,000 at national size) on each view of the group page."""
    members = (AuditRecord.workflow_id >= group_workflow_id + ".") & (AuditRecord.workflow_id < group_workflow_id + "/")
    return or_(AuditRecord.workflow_id == group_workflow_id, members)


def dump(model: Any) -> Any:
    return model.model_dump(mode="json")
