"""The staff reminders' schedule on the dev server: made (and made again) as the worker makes it at boot, it starts
the sweep by itself, and the sweep's letter reaches the outbox (the test waits for the row, not the clock)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from temporalio.client import Client, ScheduleIntervalSpec

from gateway.accounts import Account, Accounts, Role
from runtime.reminders import ensure_reminder_schedule
from runtime.settings import Settings
from store.explanations import ExplanationRecord
from tests.conftest import Harness
from tests.workflows.helpers import eventually, only_letter, outbox

PARTICIPANT = "kull-2022.gruppe-1804.deltaker-2"


async def _a_begrunnelse_overdue_for(harness: Harness, examiner: str) -> None:
    """A begrunnelse the examiner was asked for, past its due date (the inbox's task needs no cohort plan)."""
    now = datetime.now(UTC)
    await Accounts(harness.sessions).add(
        Account(username=examiner, role=Role.EXAMINER), "passordpassord", email="sensor@example.no"
    )
    async with harness.sessions() as session, session.begin():
        session.add(
            ExplanationRecord(
                explanation_id=f"{PARTICIPANT}.begrunnelse",
                participant_id=PARTICIPANT,
                group_id="kull-2022.gruppe-1804",
                cohort="2022",
                person_id="p" + "0" * 20,
                examiners=[examiner],
                received=date.today(),
                requested_at=now - timedelta(days=10),
                due=now - timedelta(days=1),
                updated_at=now,
            )
        )


async def test_the_schedule_fires_the_sweep_and_its_letter_is_queued(client: Client, harness: Harness) -> None:
    await _a_begrunnelse_overdue_for(harness, "sigurd")
    settings = Settings(staff_reminder_interval_seconds=1, web_url="https://nis.example.no")
    schedule_id = f"staff-reminders-{uuid.uuid4().hex[:8]}"
    await ensure_reminder_schedule(client, settings, schedule_id=schedule_id, task_queue=harness.task_queue)
    await ensure_reminder_schedule(client, settings, schedule_id=schedule_id, task_queue=harness.task_queue)  # again
    handle = client.get_schedule_handle(schedule_id)
    try:
        described = await handle.describe()
        assert described.schedule.spec.intervals == [ScheduleIntervalSpec(every=timedelta(seconds=1))]
        letter = await only_letter(harness.sessions, "staff_reminder")
        assert "Påminnelse: oppgaver med frist" in letter
        assert "- Skriv begrunnelse for karakteren (Kull 2022, Bodø (1804), deltaker 2), frist " in letter
        assert "(fristen er passert)" in letter and "https://nis.example.no/oppgaver" in letter

        async def swept_again() -> None:  # later sweeps ran, and none queued the same task again
            assert (await handle.describe()).info.num_actions >= 3

        await eventually(swept_again)
        assert len(await outbox(harness.sessions, "staff_reminder")) == 1
    finally:
        await handle.delete()
