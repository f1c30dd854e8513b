"""The group's own timers on the dev server, in real seconds: reminders ahead of its deadlines, a missed
work-requirement deadline, its failed resubmission, a missed written deadline, and the staff's approval reminder.
A gathering's reminders are the cohort's (tests/workflows/test_cohort_reminders.py): the group sends none.
Delivery from the outbox to a real SMTP server, once per letter, is tested in tests/activities/test_outbox.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError

from domain.calendar import DueItem, DueKind
from domain.models import CohortPlan
from store.tables import OutboxRecord
from tests.conftest import Harness
from tests.workflows.helpers import eventually, outbox
from tests.workflows.plans import plan_from
from tests.workflows.test_group import ACTOR, start_group
from workflows.group import GroupWorkflow
from workflows.messages import SubmitRequirementInput, SubmitWrittenInput

HOUR = 3600.0
LATE = 0.5  # a timer fires on the server's clock and runs on a busy worker: this much after its moment is fine


def reminders_plan(now: datetime) -> CohortPlan:
    """Relative to now: gathering 2 in 8 s (its reminders are not the group's), work requirement 1 due in 24 s with
    6 s to resubmit, reminders 4 s and 2 s ahead; everything else an hour or more away or already behind."""
    t0 = now - timedelta(seconds=60)
    return plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": 4 * HOUR,
            "oral_start": 4 * HOUR + 10,
            "oral_end": 4 * HOUR + 20,
        },
        gathering_starts=[10, 68, HOUR, HOUR + 10, HOUR + 20, HOUR + 30],
        requirement_deadlines=[84, 2 * HOUR, 2 * HOUR + 1, 2 * HOUR + 2],
        reminder_seconds_before=[4.0, 2.0],
        resubmission_seconds=6.0,
        approval_reminder_seconds=3.0,
    )


def by_event(rows: list[OutboxRecord], workflow_id: str) -> dict[str, list[OutboxRecord]]:
    """Outbox rows grouped by the event part of their key (`<workflow id>:<event>:<recipient hash>`)."""
    events: dict[str, list[OutboxRecord]] = {}
    for row in rows:
        if row.idempotency_key.startswith(workflow_id + ":"):
            events.setdefault(row.idempotency_key[len(workflow_id) + 1 :].rpartition(":")[0], []).append(row)
    return events


def item(kind: DueKind, event_at: datetime, number: int = 0, seconds_before: float = 0, revision: int = 0) -> str:
    """The outbox event of a calendar item: its key, as the domain makes it."""
    return DueItem(
        kind=kind, at=event_at, event_at=event_at, number=number, seconds_before=seconds_before, revision=revision
    ).key


def created(rows: list[OutboxRecord]) -> datetime:
    moments = {row.created_at for row in rows}
    return min(moments).astimezone(UTC)


async def test_reminders_and_a_missed_deadline_come_at_their_moments_and_once_each(
    client: Client, tmp_path: Path
) -> None:
    async with Harness(client, tmp_path) as harness:
        now = datetime.now(UTC)
        plan = reminders_plan(now)
        handle = await start_group(harness, plan=plan)
        submitted = await handle.execute_update(
            GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=2)
        )
        assert submitted.status == "submitted"
        submitted_2 = (await handle.query(GroupWorkflow.detail)).requirements[1].submitted_at
        assert submitted_2 is not None

        async def staff_reminded() -> None:
            waiting = item(DueKind.APPROVAL_WAITING, submitted_2, 2, revision=1)
            assert waiting in by_event(await outbox(harness.sessions), handle.id)

        await eventually(staff_reminded, timeout=15)
        # The rest of the year runs on a worker that remembers nothing and replays from history. A workflow task the
        # old worker held when it stopped is retried after the task timeout (10 s): the plan leaves 16 s quiet here.
        await harness.restart_worker()

        async def failed() -> None:
            detail = await handle.query(GroupWorkflow.detail)
            assert (detail.requirements[0].status, detail.stage) == ("failed", "no_exam")

        await eventually(failed, timeout=45)

        async def all_queued() -> list[OutboxRecord]:
            rows = await outbox(harness.sessions)
            assert {row.kind for row in rows} >= {"requirement_failed", "approval_waiting"}
            return rows

        rows = await eventually(all_queued)

    events = by_event(rows, handle.id)
    deadline_1 = plan.work_requirements[0].deadline
    resubmission = deadline_1 + timedelta(seconds=plan.resubmission_seconds)
    ahead, deadline = DueKind.REQUIREMENT_AHEAD, DueKind.REQUIREMENT_DEADLINE
    waiting = item(DueKind.APPROVAL_WAITING, submitted_2, 2, revision=1)
    expected = {  # event -> the moment its timer is due
        item(ahead, deadline_1, 1, 4): deadline_1 - timedelta(seconds=4),
        item(ahead, deadline_1, 1, 2): deadline_1 - timedelta(seconds=2),
        item(deadline, deadline_1, 1): deadline_1,
        item(ahead, resubmission, 1, 4): resubmission - timedelta(seconds=4),
        item(ahead, resubmission, 1, 2): resubmission - timedelta(seconds=2),
        item(deadline, resubmission, 1): resubmission,
        waiting: submitted_2 + timedelta(seconds=plan.approval_reminder_seconds),
    }
    reminders = {event: rows for event, rows in events.items() if event not in ("received", "outcome:admitted")}
    assert set(reminders) == set(expected)  # nothing for the gatherings (the cohort's) or the far-off events
    for event, due in expected.items():
        assert due <= created(reminders[event]) <= due + timedelta(seconds=LATE + 3), event
    templates = {event: {row.kind for row in rows} for event, rows in reminders.items()}
    assert templates[item(deadline, deadline_1, 1)] == {"requirement_deadline_passed"}
    assert templates[item(deadline, resubmission, 1)] == {"requirement_failed"}
    assert templates[waiting] == {"approval_waiting"}
    assert [row.person_id for row in reminders[waiting]] == ["staff"]
    assert len(reminders[item(ahead, deadline_1, 1, 4)]) == 5  # the contact and the four members

    # each event queued its letters once, through a worker restart (the outbox key is the event and the reader)
    assert len({row.idempotency_key for row in rows}) == len(rows)


async def test_a_missed_written_deadline_means_no_exam_and_no_late_submission(harness: Harness) -> None:
    t0 = datetime.now(UTC) - timedelta(seconds=HOUR)
    plan = plan_from(
        t0,
        {
            "application_deadline": 1,
            "selection_date": 2,
            "written_deadline": HOUR + 4,
            "oral_start": HOUR + 60,
            "oral_end": HOUR + 70,
        },
        gathering_starts=[10 + i for i in range(6)],
        requirement_deadlines=[100 + i for i in range(4)],
        resubmission_seconds=4 * HOUR,
    )  # the four requirements were missed but may still be resubmitted
    handle = await start_group(harness, plan=plan)

    async def missed() -> None:
        detail = await handle.query(GroupWorkflow.detail)
        assert detail.written_missed and detail.stage == "no_exam"
        assert all(not m.exam_eligible for m in detail.members)

    await eventually(missed, timeout=20)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    assert "Gruppen har ikke eksamen: den skriftlige oppgaven ble ikke levert innen fristen" in str(refused.value.cause)

    async def told() -> None:
        notices = by_event(await outbox(harness.sessions), handle.id)
        written = item(DueKind.WRITTEN_DEADLINE, plan.written_deadline)
        assert {row.kind for row in notices.get(written, [])} == {"written_deadline_missed"}
        first_deadline = item(DueKind.REQUIREMENT_DEADLINE, plan.work_requirements[0].deadline, 1)
        assert {row.kind for row in notices.get(first_deadline, [])} == {"requirement_deadline_passed"}

    await eventually(told)
