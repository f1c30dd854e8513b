"""One timer for the next due item of a workflow's calendar (domain/calendar.py), shared by the group and the cohort.

The timer outlives a wake-up for other work (one timer per due item, not one per pass of the main loop), and there
is always a timer, even for an overdue item, so a replay makes the same commands. When it fires, the items due are
decided by the item whose timer fired, never by re-reading the clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.calendar import DueItem, due_with

MINIMUM_TIMER = timedelta(milliseconds=1)


class DueTimer:
    def __init__(self) -> None:
        self.timer: asyncio.Future[None] | None = None  # workflow memory, not state: a replay makes it again
        self.timer_for: tuple[str, datetime] | None = None

    async def wait(self, items: list[DueItem], wake: Callable[[], bool]) -> list[DueItem]:
        """Wait for `wake` or for the first of `items` (earliest first) to be due. Returns the items due when its
        timer fired, or nothing when woken for other work."""
        first = items[0] if items else None
        due = (first.key, first.at) if first else None
        if self.timer is not None and self.timer_for != due:  # the next item is another: its timer, not this one
            self.timer.cancel()
            self.timer = None
        if first is None:
            await workflow.wait_condition(wake)
            return []
        if self.timer is None:
            seconds = max(first.at - workflow.now(), MINIMUM_TIMER).total_seconds()
            self.timer, self.timer_for = asyncio.ensure_future(asyncio.sleep(seconds)), due
        timer = self.timer
        await workflow.wait_condition(lambda: wake() or timer.done())
        if not timer.done():
            return []
        self.timer = None
        return due_with(first, items)
