"""Effects a workflow asks for while handling a message, carried out by its main loop in one write.

Handlers only change state and queue effects here; the loop flushes them, so an update returns at once and every
effect runs with a timeout and a retry policy, from one place. A flush is one call (activities/effects.py) that
writes the notices, the audit entries and the read-model rows that changed, in one transaction; a flush with
nothing new makes no call at all.

The call is an ordinary activity, not a local one. A local activity measured fewer events (one marker instead of three
events and a workflow task: 138 against 172 per participant-year in the demo), but an update that arrived while it ran
replayed in another order, and the cohort's history failed to replay (nondeterminism): not a risk to run a year on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.effects import EffectsActivities
    from activities.models import AuditEntry, ProjectInput, SendNoticeInput, WriteEffectsInput
    from workflows.notices import Notice

SHORT = timedelta(seconds=30)


class Effects:
    def __init__(self, actions_recorded: int = 0) -> None:
        self.notices: list[SendNoticeInput] = []
        self.audit: list[AuditEntry] = []
        self.projection_due = True
        self.actions = actions_recorded  # numbers the audit entries across continue-as-new
        # the rows last written, by table and key: workflow memory, not state. After a restart (or eviction) it is
        # empty and the rows are written once more, harmlessly.
        self.written: dict[tuple[str, str], BaseModel] = {}

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

    def changed_rows(self, projection: ProjectInput) -> ProjectInput:
        """The rows of `projection` that differ from those last written."""

        def new(table: str, key: str, row: BaseModel) -> bool:
            return self.written.get((table, key)) != row

        return ProjectInput(
            cohort=projection.cohort
            if projection.cohort and new("cohort", projection.cohort.cohort, projection.cohort)
            else None,
            groups=[g for g in projection.groups if new("group", g.group_id, g)],
            participants=[p for p in projection.participants if new("participant", p.participant_id, p)],
            innovations=[i for i in projection.innovations if new("innovation", i.group_id, i)],
            details=[d for d in projection.details if new("detail", d.group_id, d.detail)],  # not by its time
            offers=[o for o in projection.offers if new("offer", o.group_id, o.offer)],
        )

    def remember(self, rows: ProjectInput) -> None:
        if rows.cohort is not None:
            self.written[("cohort", rows.cohort.cohort)] = rows.cohort
        self.written.update({("group", g.group_id): g for g in rows.groups})
        self.written.update({("participant", p.participant_id): p for p in rows.participants})
        self.written.update({("innovation", i.group_id): i for i in rows.innovations})
        self.written.update({("detail", d.group_id): d.detail for d in rows.details})
        self.written.update({("offer", o.group_id): o.offer for o in rows.offers})

    async def flush(self, projection: ProjectInput) -> None:
        """One write of what is new since the last: nothing at all when nothing is."""
        notices, self.notices = self.notices, []
        entries, self.audit = self.audit, []
        self.projection_due = False
        rows = self.changed_rows(projection)
        if not (notices or entries or _any_row(rows)):
            return
        write = WriteEffectsInput(notices=notices, audit=entries, rows=rows)
        await workflow.execute_activity_method(EffectsActivities.write, write, start_to_close_timeout=SHORT)
        self.remember(rows)


def _any_row(rows: ProjectInput) -> bool:
    return bool(rows.cohort or rows.groups or rows.participants or rows.innovations or rows.details or rows.offers)


async def drain(flush: Callable[[], Awaitable[None]], pending: Callable[[], bool]) -> None:
    """Flush until a pass finds nothing new to do. Handlers that run while a flush awaits its activities queue more
    work, and whatever is still queued when a run ends (continue-as-new or return) would be lost."""
    await workflow.wait_condition(workflow.all_handlers_finished)
    await flush()
    while pending():
        await flush()


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
        self.last: dict[tuple[str, str], Any] = {}  # the last sent to each workflow by each signal (memory only)

    def __bool__(self) -> bool:
        return bool(self.queued)

    def add(self, workflow_id: str, signal: Any, arg: Any) -> None:
        """Queue the signal unless it repeats the last one sent to that workflow: it would teach it nothing."""
        key = (workflow_id, str(getattr(signal, "__name__", signal)))
        if self.last.get(key) == arg:
            return
        self.last[key] = arg
        self.queued.append((workflow_id, signal, arg))

    async def send(self) -> None:
        """Concurrently to different workflows, in order to each: a group told `waitlist` and then `moved_up` in one
        flush must not hear them the other way round (seen on a busy machine)."""
        queued, self.queued = self.queued, []
        by_target: dict[str, list[tuple[Any, Any]]] = {}
        for target, signal, arg in queued:
            by_target.setdefault(target, []).append((signal, arg))

        async def in_order(target: str, signals: list[tuple[Any, Any]]) -> None:
            for signal, arg in signals:
                await signal_quietly(workflow.get_external_workflow_handle(target).signal(signal, arg), target)

        await asyncio.gather(*(in_order(target, signals) for target, signals in by_target.items()))
