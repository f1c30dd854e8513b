"""What the recorded histories of a run say: events per workflow type, timer lateness, the span of the run, and each
workflow's shape for the bare-Temporal baseline (its start, the signals and updates it received, its timers and
the activities and local activities each of those set off, with their times relative to the run's start)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from temporalio.api.enums.v1 import EventType, TaskQueueKind, TimeoutType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

LOCAL_ACTIVITY_MARKER = "core_local_activity"
FETCH_AT_ONCE = 16


@dataclass
class Shape:
    """One workflow as the baseline replays it. `start`, each timer and each message carry the activities and local
    activities that followed them in the history before the next of these."""

    workflow_id: str
    workflow_type: str
    started_at: datetime
    started: float = 0.0  # seconds after the run's first event
    start: list[int] = field(default_factory=lambda: [0, 0])
    timers: list[list[float]] = field(default_factory=list)  # [fires after the workflow's start, activities, local]
    messages: list[list[Any]] = field(default_factory=list)  # [kind, seconds after the run's first event, acts, local]

    def plan(self) -> dict[str, Any]:
        """The trivial workflow's input."""
        return {"start": self.start, "timers": self.timers, "messages": [m[2:] for m in self.messages]}


@dataclass
class Run:
    """A fetched run: its histories summarised."""

    events: Counter[str] = field(default_factory=Counter)  # history events by workflow type
    workflows: Counter[str] = field(default_factory=Counter)
    lateness_ms: list[float] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None
    shapes: list[Shape] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # starts, signals, updates, timers, activities, local
    lengths: Counter[str] = field(default_factory=Counter)  # history events by workflow ID, over its runs
    kinds: dict[str, str] = field(default_factory=dict)  # each workflow ID's type
    # workflow tasks' waits in ms from scheduled to started, by queue ("sticky", "shared"), and for the tasks that
    # accepted an update: their wait and their run (started to completed), the parts of an update's answer
    task_waits: dict[str, list[float]] = field(default_factory=lambda: {"sticky": [], "shared": []})
    updates: list[tuple[str, float, float, datetime]] = field(default_factory=list)  # workflow ID, wait, run, when
    sticky_timeouts: int = 0  # tasks that waited out the sticky queue's schedule-to-start timeout

    @property
    def span(self) -> float:
        return (self.last - self.first).total_seconds() if self.first and self.last else 0.0


def _time(event: HistoryEvent) -> datetime:
    return event.event_time.ToDatetime()


def _ms(delta: Any) -> float:
    return float(delta.total_seconds() * 1000)


def _shape(workflow_id: str, workflow_type: str, events: list[HistoryEvent], run: Run) -> Shape:
    started_at = _time(events[0])
    shape = Shape(workflow_id, workflow_type, started_at)
    current: list[Any] = shape.start  # the step the next activities belong to
    timers: dict[int, HistoryEvent] = {}
    scheduled: HistoryEvent | None = None
    task: tuple[float, float] = (0.0, 0.0)  # the last completed workflow task's wait and run, in ms
    started_task: HistoryEvent | None = None
    for event in events:
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            scheduled = event
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED and scheduled is not None:
            queue = scheduled.workflow_task_scheduled_event_attributes.task_queue.kind
            waited = _ms(_time(event) - _time(scheduled))
            run.task_waits["sticky" if queue == TaskQueueKind.TASK_QUEUE_KIND_STICKY else "shared"].append(waited)
            started_task = event
            task = (waited, 0.0)
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED and started_task is not None:
            task = (task[0], _ms(_time(event) - _time(started_task)))
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT and (
            event.workflow_task_timed_out_event_attributes.timeout_type == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START
        ):
            run.sticky_timeouts += 1
        if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            run.counts["starts"] += 1
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            shape.messages.append(["signal", _time(event), 0, 0])
            current = shape.messages[-1]
            run.counts["signals"] += 1
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            shape.messages.append(["update", _time(event), 0, 0])
            current = shape.messages[-1]
            run.counts["updates"] += 1
            run.updates.append((workflow_id, task[0], task[1], _time(event)))
        elif kind == EventType.EVENT_TYPE_TIMER_STARTED:
            timers[event.event_id] = event
        elif kind == EventType.EVENT_TYPE_TIMER_FIRED:
            started = timers[event.timer_fired_event_attributes.started_event_id]
            duration = started.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
            due = _time(started) + duration
            run.lateness_ms.append((_time(event) - due).total_seconds() * 1000)
            shape.timers.append([(due - started_at).total_seconds(), 0, 0])
            current = shape.timers[-1]
            run.counts["timers"] += 1
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            current[-2] += 1
            run.counts["activities"] += 1
        elif kind == EventType.EVENT_TYPE_MARKER_RECORDED and (
            event.marker_recorded_event_attributes.marker_name == LOCAL_ACTIVITY_MARKER
        ):
            current[-1] += 1
            run.counts["local activities"] += 1
    return shape


async def fetch(client: Client, query: str = "") -> Run:
    """Every workflow the server lists (a fresh server holds only the run's), with its whole history."""
    run = Run()
    listed = [w async for w in client.list_workflows(query or None)]
    slots = asyncio.Semaphore(FETCH_AT_ONCE)

    async def one(workflow_id: str, run_id: str | None, workflow_type: str, length: int) -> None:
        async with slots:
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        events = list(history.events)
        run.events[workflow_type] += len(events) or length
        run.lengths[workflow_id] += len(events) or length
        run.kinds[workflow_id] = workflow_type
        run.workflows[workflow_type] += 1
        run.first = min(filter(None, [run.first, _time(events[0])]))
        run.last = max(filter(None, [run.last, _time(events[-1])]))
        run.shapes.append(_shape(workflow_id, workflow_type, events, run))

    await asyncio.gather(*(one(w.id, w.run_id, w.workflow_type, w.history_length) for w in listed))
    origin = run.first
    assert origin is not None, "the server lists no workflows"
    for shape in run.shapes:  # times relative to the run's first event
        shape.started = (shape.started_at - origin).total_seconds()
        for message in shape.messages:
            message[1] = (message[1] - origin).total_seconds()
    return run
