"""The staff reminders' schedule: a Temporal Schedule that starts one StaffReminderWorkflow (a sweep) every
`NIS_STAFF_REMINDER_INTERVAL_SECONDS`. The worker makes it at boot, or brings it to the settings when it exists (a
new interval, task queue or web address), so every worker may do so and the last one's settings hold.

A schedule rather than a workflow that sleeps and continues as new: the server keeps the timetable, a sweep that
overruns is skipped rather than piled up (overlap SKIP), and `temporal schedule describe/trigger` shows and runs it
by hand. No personal data is in it: its input is the inbox's address and the notice period."""

from __future__ import annotations

from datetime import timedelta

import structlog
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from activities.staff_notices import SweepInput
from runtime.settings import Settings
from workflows.staff_reminders import StaffReminderWorkflow

SCHEDULE_ID = "nis-staff-reminders"
log = structlog.get_logger()


def reminder_schedule(settings: Settings, task_queue: str | None = None) -> Schedule:
    """Every interval, one sweep (its workflow ID is the schedule's, with the time appended by Temporal)."""
    sweep = SweepInput(link=f"{settings.public_web_url}/oppgaver", ahead_seconds=settings.staff_reminder_ahead_seconds)
    return Schedule(
        action=ScheduleActionStartWorkflow(
            StaffReminderWorkflow.run,
            sweep,
            id=f"{SCHEDULE_ID}-sweep",
            task_queue=task_queue or settings.task_queue,
            task_timeout=timedelta(seconds=settings.workflow_task_timeout_seconds),
        ),
        spec=ScheduleSpec(
            intervals=[ScheduleIntervalSpec(every=timedelta(seconds=settings.staff_reminder_interval_seconds))]
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_reminder_schedule(
    client: Client, settings: Settings, *, schedule_id: str = SCHEDULE_ID, task_queue: str | None = None
) -> None:
    """Create the schedule, or update the one there to these settings (idempotent)."""
    schedule = reminder_schedule(settings, task_queue)
    try:
        await client.create_schedule(schedule_id, schedule)
        log.debug("staff reminder schedule created", every_seconds=settings.staff_reminder_interval_seconds)
    except ScheduleAlreadyRunningError:

        def to_settings(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(schedule_id).update(to_settings)
        log.debug("staff reminder schedule updated", every_seconds=settings.staff_reminder_interval_seconds)
