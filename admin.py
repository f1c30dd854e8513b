"""The study administration's gateway: every admin action as a workflow update, refusals kept in the audit trail.

An update refused by its validator leaves no trace in workflow history, so the gateway records it here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.service import RPCError

from activities.models import AuditEntry
from domain.models import CohortPlan
from store.db import record_audit
from workflows import search
from workflows.cohort import CohortWorkflow
from workflows.ids import cohort_workflow_id
from workflows.messages import AdminAction, CohortInput

R = TypeVar("R")


class Refused(Exception):
    """The workflow refused the action, or there is no workflow to take it; the reason is for the user."""


class Admin:
    def __init__(self, client: Client, sessions: async_sessionmaker[AsyncSession] | None, task_queue: str) -> None:
        self.client = client
        self.sessions = sessions
        self.task_queue = task_queue

    async def open_cohort(self, plan: CohortPlan, seed: str | None = None, staff_email: str | None = None) -> WorkflowHandle[Any, Any]:
        """Start the cohort's workflow; opening a cohort that is already open returns the running one."""
        extra = {"staff_email": staff_email} if staff_email else {}
        return await self.client.start_workflow(
            CohortWorkflow.run, CohortInput(plan=plan, seed=seed, **extra),
            id=cohort_workflow_id(plan.cohort), task_queue=self.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            search_attributes=TypedSearchAttributes([
                SearchAttributePair(search.COHORT, plan.cohort), SearchAttributePair(search.STAGE, "intake")]))

    async def perform(self, workflow_id: str, update: Any, action: AdminAction) -> Any:
        """Run one admin update; a refusal raises Refused with the workflow's reason and is audited."""
        handle = self.client.get_workflow_handle(workflow_id)
        try:
            return await handle.execute_update(update, action)
        except WorkflowUpdateFailedError as failed:
            reason = str(failed.cause.message if hasattr(failed.cause, "message") else failed.cause)
        except RPCError as error:
            reason = _rpc_reason(workflow_id, error)
        await self._audit_refusal(workflow_id, action, update.__name__, reason)
        raise Refused(reason)

    async def query(self, workflow_id: str, query: Any) -> Any:
        try:
            return await self.client.get_workflow_handle(workflow_id).query(query)
        except RPCError as error:
            raise Refused(_rpc_reason(workflow_id, error)) from None

    async def _audit_refusal(self, workflow_id: str, action: AdminAction, name: str, reason: str) -> None:
        if self.sessions is None:
            return
        entry = AuditEntry(workflow_id=workflow_id, actor=action.actor, action=name, outcome="refused",
                           reason=reason, at=datetime.now(UTC))
        async with self.sessions() as session, session.begin():
            await record_audit(session, entry)


def _rpc_reason(workflow_id: str, error: RPCError) -> str:
    text = str(error)
    if "not found" in text.lower():
        return f"no workflow {workflow_id}"
    if "completed" in text.lower() or "closed" in text.lower():
        return f"{workflow_id} has ended; it takes no more actions"
    return f"{workflow_id}: {text}"
