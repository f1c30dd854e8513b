"""Effects a workflow asks for while handling a message, carried out by its main loop through activities.

Handlers only change state and queue effects here; the loop flushes them, so an update returns at once and every
effect runs with a timeout and a retry policy, from one place. Activities are called by method reference, so their
argument and result types are checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.models import AuditEntry, ProjectInput, RecordAuditInput, SendNoticeInput
    from activities.notices import NoticeActivities
    from activities.projection import ProjectionActivities
    from workflows.notices import Notice

SHORT = timedelta(seconds=30)


class Effects:
    def __init__(self, actions_recorded: int = 0) -> None:
        self.notices: list[SendNoticeInput] = []
        self.audit: list[AuditEntry] = []
        self.projection_due = True
        self.actions = actions_recorded  # numbers the audit entries across continue-as-new

    @property
    def pending(self) -> bool:
        return bool(self.notices or self.audit or self.projection_due)

    def notice(self, event: str, notice: Notice, recipients: list[str], *, staff: bool = False) -> None:
        """`event` is unique within this workflow; with its ID it keys the outbox, so a notice is sent once."""
        if recipients or staff:
            key = f"{workflow.info().workflow_id}:{event}"
            self.notices.append(SendNoticeInput(key=key, notice=notice, recipients=recipients, staff=staff))

    def accepted(
        self, actor: str, action: str, detail: str = "", params: Mapping[str, str | int | None] | None = None
    ) -> None:
        """Record an accepted action: its code (`action`) and what it was about (`params`, said by the catalogue).
        `detail` is free text, for callers not yet giving parameters; it is kept as it is."""
        self.actions += 1
        workflow_id = workflow.info().workflow_id
        self.audit.append(
            AuditEntry(
                key=f"{workflow_id}:audit:{self.actions}",
                workflow_id=workflow_id,
                actor=actor,
                action=action,
                outcome="accepted",
                reason=detail or None,
                at=workflow.now(),
                params=dict(params or {}),
            )
        )
        self.projection_due = True

    def changed(self) -> None:
        self.projection_due = True

    async def flush(self, projection: ProjectInput) -> None:
        """Run the queued effects concurrently: each is idempotent, and none depends on another's result."""
        notices, self.notices = self.notices, []
        entries, self.audit = self.audit, []
        calls: list[Awaitable[Any]] = [_send(notice) for notice in notices]
        if entries:
            calls.append(
                workflow.execute_activity_method(
                    ProjectionActivities.record_audit, RecordAuditInput(entries=entries), start_to_close_timeout=SHORT
                )
            )
        if self.projection_due:
            self.projection_due = False
            calls.append(
                workflow.execute_activity_method(ProjectionActivities.project, projection, start_to_close_timeout=SHORT)
            )
        await asyncio.gather(*calls)


async def drain(flush: Callable[[], Awaitable[None]], pending: Callable[[], bool]) -> None:
    """Flush until a pass finds nothing new to do. Handlers that run while a flush awaits its activities queue more
    work, and whatever is still queued when a run ends (continue-as-new or return) would be lost."""
    await workflow.wait_condition(workflow.all_handlers_finished)
    await flush()
    while pending():
        await flush()


async def _send(notice: SendNoticeInput) -> None:
    try:
        await workflow.execute_activity_method(NoticeActivities.send_notice, notice, start_to_close_timeout=SHORT)
    except ActivityError as error:
        # Queuing a letter only writes to the outbox; should even that fail for good, nobody's study stops for it.
        workflow.logger.warning("notice %s not queued: %s", notice.notice.kind, type(error.cause).__name__)


async def signal_quietly(send: Awaitable[None], target: str) -> None:
    """Signal another workflow of this cohort; one that has already closed has nothing more to learn."""
    try:
        await send
    except Exception as error:  # noqa: BLE001 - a closed or missing target is logged, not fatal
        workflow.logger.warning("signal to %s not delivered: %s", target, type(error).__name__)


class Signals:
    """Signals queued by handlers and sent by the loop, each by the receiving workflow's own signal method."""

    def __init__(self) -> None:
        self.queued: list[tuple[str, Any, Any]] = []

    def __bool__(self) -> bool:
        return bool(self.queued)

    def add(self, workflow_id: str, signal: Any, arg: Any) -> None:
        self.queued.append((workflow_id, signal, arg))

    async def send(self) -> None:
        queued, self.queued = self.queued, []
        await asyncio.gather(
            *(
                signal_quietly(workflow.get_external_workflow_handle(target).signal(signal, arg), target)
                for target, signal, arg in queued
            )
        )
