"""Effects a workflow asks for while handling a message, carried out by its main loop through activities.

Handlers only change state and queue effects here; the loop flushes them, so an update returns at once and
every effect runs with a timeout and a retry policy, from one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.models import (
        AuditEntry,
        NoticeKind,
        ProjectInput,
        ProjectResult,
        Recipient,
        RecordAuditInput,
        RecordAuditResult,
        SendNoticeInput,
        SendNoticeResult,
    )
    from domain.models import Participant

SHORT = timedelta(seconds=30)


def recipient(person: Participant) -> Recipient:
    return Recipient(name=person.name, email=person.email)


class Effects:
    def __init__(self) -> None:
        self.notices: list[SendNoticeInput] = []
        self.audit: list[AuditEntry] = []
        self.projection_due = True
        self.notices_requested = 0

    @property
    def pending(self) -> bool:
        return bool(self.notices or self.audit or self.projection_due)

    def notice(self, event: str, kind: NoticeKind, recipients: list[Recipient], **context: str) -> None:
        """`event` is unique within this workflow; with its ID it keys the outbox, so a notice is sent once."""
        if recipients:
            key = f"{workflow.info().workflow_id}:{event}"
            self.notices.append(SendNoticeInput(key=key, kind=kind, recipients=recipients, context=context))
            self.notices_requested += len(recipients)

    def accepted(self, actor: str, action: str, detail: str = "") -> None:
        self.audit.append(AuditEntry(
            workflow_id=workflow.info().workflow_id, actor=actor, action=action, outcome="accepted",
            reason=detail or None, at=workflow.now()))
        self.projection_due = True

    def changed(self) -> None:
        self.projection_due = True

    async def flush(self, projection: ProjectInput) -> None:
        """Run the queued effects concurrently: each is idempotent, and none depends on another's result."""
        notices, self.notices = self.notices, []
        entries, self.audit = self.audit, []
        calls = [_send(notice) for notice in notices]
        if entries:
            calls.append(workflow.execute_activity(
                "record_audit", RecordAuditInput(entries=entries), result_type=RecordAuditResult,
                start_to_close_timeout=SHORT))
        if self.projection_due:
            self.projection_due = False
            calls.append(workflow.execute_activity(
                "project", projection, result_type=ProjectResult, start_to_close_timeout=SHORT))
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
        await workflow.execute_activity("send_notice", notice, result_type=SendNoticeResult, start_to_close_timeout=SHORT)
    except ActivityError as error:
        # An address the mail server refuses fails for good. The outbox keeps the unsent row for the staff to see;
        # a bounced notice must not stop anyone's study.
        workflow.logger.warning("notice %s not delivered: %s", notice.kind.value, type(error.cause).__name__)


async def signal_all(signals: list[tuple[str, str, object]]) -> None:
    await asyncio.gather(*(signal_quietly(target, name, arg) for target, name, arg in signals))


async def signal_quietly(workflow_id: str, signal: str, arg: object) -> None:
    """Signal another workflow of this cohort; one that has already closed has nothing more to learn."""
    try:
        await workflow.get_external_workflow_handle(workflow_id).signal(signal, arg)
    except Exception as error:  # noqa: BLE001 - a closed or missing target is logged, not fatal
        workflow.logger.warning("signal %s to %s not delivered: %s", signal, workflow_id, type(error).__name__)
