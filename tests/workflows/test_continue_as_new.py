"""Bounded histories: on a dev server that suggests continue-as-new after a few dozen events, a group and its
participants continue as new mid-year and carry their whole state into the new run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from gateway.queries import participant_detail
from runtime.codec import data_converter
from tests.conftest import TEST_KEY, Harness
from tests.workflows.helpers import eventually
from tests.workflows.plans import DAYS
from tests.workflows.test_group import ACTOR, approve_all, members, start_group
from workflows import search
from workflows.group import GroupWorkflow
from workflows.messages import AttendanceInput, DayAttendance

SUGGEST_AFTER_EVENTS = 60


@pytest.fixture(scope="module")
async def short_history_env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(venv_binary("temporal")),
        data_converter=data_converter(TEST_KEY),
        search_attributes=[search.COHORT, search.STAGE, search.KOMMUNENUMMER],
        dev_server_log_level="error",
        dev_server_extra_args=[
            "--dynamic-config-value",
            f"limit.historyCount.suggestContinueAsNew={SUGGEST_AFTER_EVENTS}",
        ],
    )
    yield environment
    await environment.shutdown()


async def test_a_group_and_its_participants_continue_as_new_with_their_state(
    short_history_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    async with Harness(short_history_env.client, tmp_path) as harness:
        handle = await start_group(harness)
        first_run = handle.first_execution_run_id
        ids = await members(handle)
        for gathering, days in enumerate(DAYS, 1):
            for day in range(1, days + 1):
                await handle.execute_update(
                    GroupWorkflow.register_attendance,
                    AttendanceInput(actor=ACTOR, gathering=gathering, days=[DayAttendance(day=day, present=ids[:2])]),
                )
        await approve_all(handle)

        async def carried_over() -> None:
            latest = harness.client.get_workflow_handle(handle.id)
            assert (await latest.describe()).run_id != first_run  # the group continued as new at least once
            detail = await latest.query(GroupWorkflow.detail)
            assert [r.status for r in detail.requirements] == ["approved"] * 4
            assert [m.attendance_days for m in detail.members] == [14, 14, 0, 0]
            assert detail.admin_actions == sum(DAYS) + 8  # every action's audit entry came along
            # the participant's detail shows what its group registered (the group owns it; no signal per day)
            shown = await participant_detail(ask, ids[0])
            assert shown is not None and (shown.attendance_days, shown.requirements_approved) == (14, 4)
            assert shown.attendance == sorted(f"{g}:{d}" for g, days in enumerate(DAYS, 1) for d in range(1, days + 1))

        async def ask(workflow_id: str, query: Any) -> Any:
            return await harness.client.get_workflow_handle(workflow_id).query(query)

        await eventually(carried_over, timeout=60)
        await harness.client.get_workflow_handle(handle.id).terminate("test done")
        for workflow_id in ids:
            await harness.client.get_workflow_handle(workflow_id).terminate("test done")
