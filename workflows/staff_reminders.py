"""One sweep of the staff reminders, started by the schedule `nis-staff-reminders` (runtime/reminders.py) at each
interval: a workflow of one activity, since the sweep reads the read model and writes the outbox."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.staff_notices import SweepInput, SweepResult
    from activities.staff_reminders import StaffReminderActivities

SWEEP_TIMEOUT = timedelta(minutes=5)  # a national year's staff inboxes, read one account at a time
# the next interval sweeps again anyway: a few tries, not the default's forever
SWEEP_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_attempts=3)


@workflow.defn
class StaffReminderWorkflow:
    """Sweeps once: the staff accounts' due and overdue tasks, a letter to each that has new ones. No messages."""

    @workflow.run
    async def run(self, input: SweepInput) -> SweepResult:
        return await workflow.execute_activity_method(
            StaffReminderActivities.sweep, input, start_to_close_timeout=SWEEP_TIMEOUT, retry_policy=SWEEP_RETRY
        )
