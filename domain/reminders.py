"""Which of a staff account's tasks to remind it of: those due within the notice period or overdue, each once for
each state (due soon, then overdue), whatever was sent before. Pure: the sweep (activities/staff_reminders.py)
reads the tasks and what was sent, and records what this chooses."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Task(BaseModel):
    """One task of the inbox, as the inbox page shows it."""

    title: str
    where: str  # the cohort and group it belongs to, as the page names them
    link: str  # a path of the web app: it names workflows, never a person
    due: datetime | None = None
    overdue: bool = False  # past its due date: the inbox marks it
    cohort: str = ""  # the cohort it belongs to (the outbox files a reminder under its first task's)

    @property
    def key(self) -> str:
        """The task's identity across sweeps: its page and what to do there (a group's tasks share a page)."""
        return f"{self.link}|{self.title}"


class DueState(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class Reminder(BaseModel):
    model_config = ConfigDict(frozen=True)

    task: Task
    state: DueState


def due_state(task: Task, now: datetime, ahead: timedelta) -> DueState | None:
    """Overdue past its due date, due soon within `ahead` of it; None for a task without a date or further off."""
    if task.due is None:
        return None
    if task.due < now:
        return DueState.OVERDUE
    return DueState.DUE_SOON if task.due - now <= ahead else None


def to_remind(
    tasks: Iterable[Task], sent: Collection[tuple[str, str]], now: datetime, ahead: timedelta
) -> list[Reminder]:
    """The reminders one account gets now, soonest due first: each task in a state it was not reminded of (`sent`
    holds (task key, state) pairs). A task that fell overdue after its due-soon reminder is reminded again."""
    chosen: dict[str, Reminder] = {}
    for task in tasks:
        state = due_state(task, now, ahead)
        if state is not None and (task.key, state.value) not in sent and task.key not in chosen:
            marked = task.model_copy(update={"overdue": state == DueState.OVERDUE})
            chosen[task.key] = Reminder(task=marked, state=state)
    return sorted(chosen.values(), key=lambda r: (r.task.due or now, r.task.title))
