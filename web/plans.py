"""The plan a cohort runs on, for its pages (gateway/plans.py), with Temporal's silence said as a page does."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field

import structlog
from fastapi import HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.service import RPCError

from domain.models import CohortPlan
from gateway import plans
from gateway.plans import amendments_of

__all__ = ["PlanCache", "amendments_of"]

log = structlog.get_logger(__name__)
UNAVAILABLE = "Kullets plan er ikke tilgjengelig akkurat nå. Prøv igjen om litt."


@dataclass
class PlanCache:
    """The gateway's cache; a plan Temporal cannot give is 503, a cohort without one 404."""

    cache: plans.PlanCache = field(default_factory=plans.PlanCache)

    async def get(self, client: Client, sessions: async_sessionmaker[AsyncSession], workflow_id: str) -> CohortPlan:
        return await self._answered(self.cache.get(client, sessions, workflow_id), workflow_id)

    async def of_group(
        self, client: Client, sessions: async_sessionmaker[AsyncSession], group: str, cohort: str
    ) -> CohortPlan:
        return await self._answered(plans.group_plan(self.cache, client, sessions, group, cohort), group)

    async def _answered(self, asked: Awaitable[CohortPlan], workflow_id: str) -> CohortPlan:
        try:
            return await asked
        except plans.NoSuchCohort:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet") from None
        except RPCError as error:
            log.warning("plan not read", workflow_id=workflow_id, status=error.status.name)
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE) from None
        except RuntimeError as error:  # the client's connection itself failed (a lazy or lost connection)
            log.warning("plan not read", workflow_id=workflow_id, error=str(error))
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE) from None

    def amended(self, workflow_id: str, plan: CohortPlan, before: int) -> None:
        self.cache.amended(workflow_id, plan, before)
