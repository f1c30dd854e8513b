"""The plan a cohort runs on, for its pages and the application door: the plan it was opened with (the input of its
workflow's first event) until an amendment, then the plan its workflow holds now (the query `current_plan`). Which
one is known from the read model's audit trail (how many amendments were accepted), so a page asks Temporal only
when the plan changed, whichever process (the web app, the command line) amended it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from domain.models import CohortPlan
from gateway.messages import CohortInput, GroupInput
from gateway.queries import CURRENT_PLAN
from gateway.storage import AuditRecord

AMEND = "amend_plan"


class NoSuchCohort(LookupError):
    """The workflow has no start event to read the plan from."""


@dataclass
class PlanCache:
    """Each cohort's plan by its workflow ID, with the number of amendments it includes."""

    plans: dict[str, tuple[CohortPlan, int]] = field(default_factory=dict)

    async def get(self, client: Client, sessions: async_sessionmaker[AsyncSession], workflow_id: str) -> CohortPlan:
        """The plan; RPCError when Temporal does not answer (NOT_FOUND: no such workflow), NoSuchCohort."""
        amendments = await amendments_of(sessions, workflow_id)
        cached = self.plans.get(workflow_id)
        if cached is not None and cached[1] >= amendments:
            return cached[0]
        plan = await (_current(client, workflow_id) if amendments else _started(client, workflow_id))
        self.plans[workflow_id] = (plan, amendments)
        return plan

    def amended(self, workflow_id: str, plan: CohortPlan, before: int) -> None:
        """The plan an amendment just gave, the one after the `before` amendments the audit trail held then (its own
        audit row is written a moment later)."""
        self.plans[workflow_id] = (plan, before + 1)


async def amendments_of(sessions: async_sessionmaker[AsyncSession], workflow_id: str) -> int:
    query = select(func.count()).select_from(AuditRecord)
    query = query.where(AuditRecord.workflow_id == workflow_id, AuditRecord.action == AMEND)
    async with sessions() as session:
        return int(await session.scalar(query.where(AuditRecord.outcome == "accepted")) or 0)


async def _current(client: Client, workflow_id: str) -> CohortPlan:
    plan: CohortPlan = await client.get_workflow_handle(workflow_id).query(CURRENT_PLAN)
    return plan


async def _started(client: Client, workflow_id: str, kind: type[CohortInput | GroupInput] = CohortInput) -> CohortPlan:
    """The plan in the input of the workflow's first event (a cohort's, or a group's)."""
    handle = client.get_workflow_handle(workflow_id)
    async for event in handle.fetch_history_events(page_size=1):
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            payloads = event.workflow_execution_started_event_attributes.input.payloads
            [start] = await client.data_converter.decode(payloads, [kind])
            assert isinstance(start, kind)
            return start.plan
        break
    raise NoSuchCohort(workflow_id)


async def group_plan(
    cache: PlanCache, client: Client, sessions: async_sessionmaker[AsyncSession], group: str, cohort: str
) -> CohortPlan:
    """The plan a group runs on: its cohort's, as amended (the cohort passes amendments to its groups); a group
    started without a cohort workflow (a test's, or one whose cohort's history is gone) by its own input."""
    try:
        return await cache.get(client, sessions, cohort)
    except NoSuchCohort:
        pass
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
    if group not in cache.plans:
        cache.plans[group] = (await _started(client, group, GroupInput), 0)
    return cache.plans[group][0]
