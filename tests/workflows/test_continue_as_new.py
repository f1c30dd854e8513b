"""Bounded histories: on a dev server that suggests continue-as-new after a few dozen events, a group and its
participants continue as new mid-year and carry their whole state into the new run; on one that suggests nothing, a
group's run ends after RUN_EVENTS events all the same, and an update is applied once over all the runs."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from domain.lifecycle import GroupStage
from gateway.queries import participant_detail
from runtime.codec import data_converter
from tests.conftest import TEST_KEY, Harness
from tests.workflows.helpers import eventually, histories_of
from tests.workflows.plans import DAYS
from tests.workflows.test_group import ACTOR, approve_all, members, start_group
from workflows import search
from workflows.answered import KEPT, UpdateAnswers
from workflows.group import RUN_EVENTS, GroupWorkflow
from workflows.messages import (
    GROUP_REPORT_SIGNAL,
    ActionResult,
    AttendanceInput,
    DayAttendance,
    GroupReport,
    RequirementInput,
    SubmitRequirementInput,
)

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


async def register_every_day(handle: Any, present: list[str]) -> None:
    for gathering, days in enumerate(DAYS, 1):
        for day in range(1, days + 1):
            await handle.execute_update(
                GroupWorkflow.register_attendance,
                AttendanceInput(actor=ACTOR, gathering=gathering, days=[DayAttendance(day=day, present=present)]),
            )


async def end_group(client: Client, group_id: str, members: list[str]) -> None:
    """The test's group and its participants, whichever run each is in."""
    for workflow_id in [group_id, *members]:
        await client.get_workflow_handle(workflow_id).terminate("test done")


async def runs_of(client: Client, workflow_id: str, first_run: str | None) -> list[list[Any]]:
    """Each run's events, from the first run through each continue-as-new to the run open now."""
    return [list(history.events) for history in await histories_of(client, workflow_id, first_run)]


async def stages_reported(client: Client, runs: list[list[Any]]) -> list[str]:
    """The stages the group told its cohort, in order, over all its runs."""
    told = []
    for events in runs:
        for event in events:
            attributes = event.signal_external_workflow_execution_initiated_event_attributes
            if attributes.signal_name == GROUP_REPORT_SIGNAL:
                [report] = await client.data_converter.decode(attributes.input.payloads, [GroupReport])
                told.append(report.stage)
    return told


async def test_a_group_and_its_participants_continue_as_new_with_their_state(
    short_history_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    async with Harness(short_history_env.client, tmp_path) as harness:
        handle = await start_group(harness)
        first_run = handle.first_execution_run_id
        ids = await members(handle)
        await register_every_day(handle, ids[:2])
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
        await end_group(harness.client, handle.id, ids)


async def test_a_group_run_ends_after_its_run_events_and_the_next_run_tells_the_cohort_nothing_again(
    harness: Harness,
) -> None:
    """The server suggests nothing here (its threshold is thousands of events): the group's own bound ends its runs,
    which keeps what the worker holds of a cached group small (workflows/group.py)."""
    handle = await start_group(harness)
    ids = await members(handle)
    await register_every_day(handle, ids[:3])
    await approve_all(handle)

    async def carried_over() -> list[list[Any]]:
        detail = await harness.client.get_workflow_handle(handle.id).query(GroupWorkflow.detail)
        assert [r.status for r in detail.requirements] == ["approved"] * 4
        assert detail.admin_actions == sum(DAYS) + 8
        runs = await runs_of(harness.client, handle.id, handle.first_execution_run_id)
        assert len(runs) >= 2
        return runs

    runs = await eventually(carried_over, timeout=60)
    # the run noticed its bound past RUN_EVENTS events (the patch's marker), and ended once the work that came while
    # it flushed its last effects was done (this test sends its updates back to back: there was more)
    marked = [e.event_id for e in runs[0] if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    assert len(marked) == 1 and marked[0] > RUN_EVENTS, marked
    told = await stages_reported(harness.client, runs)
    assert told and all(a != b for a, b in itertools.pairwise(told)), told  # each stage once, however many runs
    await end_group(harness.client, handle.id, ids)


async def test_updates_sent_while_a_group_continues_as_new_all_land_once(harness: Harness) -> None:
    """Many at once, as a busy administration's, while the group's runs turn over: each is answered, and each is in
    the group's state once (the same days registered again replace, never add)."""
    handle = await start_group(harness)
    ids = await members(handle)
    days = [(gathering, day) for gathering, count in enumerate(DAYS, 1) for day in range(1, count + 1)]
    for round_ in range(3):  # the same days each round, one more member present
        await asyncio.gather(
            *(
                handle.execute_update(
                    GroupWorkflow.register_attendance,
                    AttendanceInput(actor=ACTOR, gathering=g, days=[DayAttendance(day=d, present=ids[: 1 + round_])]),
                )
                for g, d in days
            )
        )
    runs = await runs_of(harness.client, handle.id, handle.first_execution_run_id)
    assert len(runs) >= 2, [len(events) for events in runs]
    detail = await harness.client.get_workflow_handle(handle.id).query(GroupWorkflow.detail)
    assert [m.attendance_days for m in detail.members] == [14, 14, 14, 0]
    assert detail.admin_actions == 3 * len(days)
    await end_group(harness.client, handle.id, ids)


async def test_an_update_sent_again_with_its_id_after_the_group_continued_as_new_is_answered_not_applied(
    harness: Harness,
) -> None:
    """As the client does when it did not hear the first answer (its call's deadline passed): the repeat reaches the
    next run, which answers it from the state its predecessor carried (workflows/answered.py). Applied again, its
    validator would refuse it ("already approved") or its handler audit it twice."""
    handle = await start_group(harness)
    current = harness.client.get_workflow_handle(handle.id)  # the run open now, whichever it is
    ids = await members(handle)
    approve = RequirementInput(actor=ACTOR, number=1)
    await current.execute_update(GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=1))
    first = await current.execute_update(GroupWorkflow.approve_requirement, approve, id="approve-1")
    await register_every_day(current, ids[:2])

    async def continued() -> int:
        runs = await runs_of(harness.client, handle.id, handle.first_execution_run_id)
        assert len(runs) >= 2
        return (await current.query(GroupWorkflow.detail)).admin_actions

    actions = await eventually(continued, timeout=60)
    assert actions == 2 + sum(DAYS)
    again = await current.execute_update(GroupWorkflow.approve_requirement, approve, id="approve-1")
    assert again == first
    assert (await current.query(GroupWorkflow.detail)).admin_actions == actions
    with pytest.raises(WorkflowUpdateFailedError) as refused:  # a new ID is a new action, checked as one
        await current.execute_update(GroupWorkflow.approve_requirement, approve, id="approve-1-again")
    assert (
        isinstance(refused.value.cause, ApplicationError)
        and refused.value.cause.type == "requirement.not_submitted_to_approve"
    )
    await end_group(harness.client, handle.id, ids)


def test_a_workflow_keeps_the_answers_to_its_latest_updates_only() -> None:
    answers = UpdateAnswers()
    for number in range(KEPT + 6):
        answers.remember(f"update-{number}", ActionResult(stage=GroupStage.PROGRAMME))
    assert len(answers.answers) == KEPT
    assert answers.get("update-5") == (False, None)
    assert answers.get(f"update-{KEPT + 5}") == (True, {"stage": "programme"})
