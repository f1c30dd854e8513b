"""Polling and read-model helpers for workflow tests (no fixed sleeps)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.service import RPCError

from activities.letters import NOTICE, Contact, render_letter
from store.tables import AuditRecord, OutboxRecord

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 30.0, interval: float = 0.2) -> T:
    """Return check()'s value once it stops raising AssertionError (or RPCError: a workflow not started yet)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await check()
        except (AssertionError, RPCError):
            if asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(interval)


async def histories_of(client: Client, workflow_id: str, first_run: str | None) -> list[WorkflowHistory]:
    """Each run's history, from the first run through each continue-as-new to the run open (or ended) now: a group
    continues as new every RUN_EVENTS events (workflows/group.py)."""
    histories, run_id = [], first_run
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        histories.append(history)
        last = history.events[-1]
        ended = last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
        run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id if ended else None
    return histories


async def outbox(sessions: async_sessionmaker[AsyncSession], kind: str | None = None) -> list[OutboxRecord]:
    async with sessions() as session:
        query = select(OutboxRecord).order_by(OutboxRecord.idempotency_key)
        if kind:
            query = query.where(OutboxRecord.kind == kind)
        return list((await session.scalars(query)).all())


async def audit(sessions: async_sessionmaker[AsyncSession]) -> list[AuditRecord]:
    async with sessions() as session:
        return list((await session.scalars(select(AuditRecord).order_by(AuditRecord.id))).all())


async def only_letter(sessions: async_sessionmaker[AsyncSession], kind: str) -> str:
    """The one letter of `kind` in the outbox, once it is there, rendered as its reader gets it (subject and body)."""

    async def rendered() -> str:
        rows = await outbox(sessions, kind)
        assert len(rows) == 1, rows
        letter = render_letter(NOTICE.validate_json(rows[0].notice), "Kari", Contact("stab@example.no"))
        return f"{letter.subject}\n{letter.body}"

    return await eventually(rendered)
