"""The largest values the bounds allow, sent many times, keep a group's workflow far below Temporal's limits.

A group with the longest names, roles and e-mail addresses, then 50 admin actions with the longest actor, the
longest feedback on every return and a resubmission of each work requirement, on a dev server that suggests
continue-as-new after a few dozen events. Every payload in every run's history, above all the state carried into
each new run, must stay under 256 KB (the server refuses 2 MB). Text is in 4-byte characters: the worst case.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from demo.embedded import venv_binary
from domain.models import Application
from domain.text import ACTOR_MAX, EMAIL_MAX, FEEDBACK_MAX, NAME_MAX, ROLE_MAX
from runtime.codec import data_converter
from tests.conftest import TEST_KEY, Harness
from tests.factories import application, facts
from tests.workflows.helpers import audit, eventually
from tests.workflows.plans import DAYS, running_plan
from tests.workflows.test_group import members
from workflows import search
from workflows.group import GroupWorkflow
from workflows.ids import group_workflow_id
from workflows.messages import (
    AttendanceInput,
    DayAttendance,
    ExtensionInput,
    GroupInput,
    Outcome,
    OutcomeSignal,
    RequirementInput,
    ReturnRequirementInput,
)

KB = 1024
PAYLOAD_LIMIT = 256 * KB
SUGGEST_AFTER_EVENTS = 60
WIDE = "😀"  # one character, four bytes in UTF-8
ACTOR = WIDE * ACTOR_MAX


def widest(prefix: str, length: int) -> str:
    return prefix + WIDE * (length - len(prefix))


def largest_application(cohort: str) -> Application:
    data = application(["5001"], participants=4) | {"cohort": cohort}
    data["contact"] |= {"name": widest("Kontakt ", NAME_MAX)}
    for n, person in enumerate(data["participants"]):
        domain = f"@k{n}.no"
        person |= {
            "name": widest(f"Deltaker {n} ", NAME_MAX),
            "role": widest("rådgiver ", ROLE_MAX),
            "email": "p" * (EMAIL_MAX - len(domain)) + domain,
        }
    return Application.model_validate(data)


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


class Carried(NamedTuple):
    """One continue-as-new input: its size as stored (encrypted), and the part its state's audit list takes."""

    stored: int
    audit: int


async def history_sizes(client: Client, workflow_id: str) -> tuple[int, int, list[Carried]]:
    """(runs, largest event, continue-as-new inputs) over every run of the workflow as the server stores them,
    walking back from the latest run through each run's predecessor."""
    run_id = (await client.get_workflow_handle(workflow_id).describe()).run_id
    runs, largest, carried = 0, 0, []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        runs += 1
        for event in history.events:
            largest = max(largest, event.ByteSize())
            if event.HasField("workflow_execution_continued_as_new_event_attributes"):
                carried.append(await _carried(event))
        run_id = history.events[0].workflow_execution_started_event_attributes.continued_execution_run_id
    return runs, largest, carried


async def _carried(event: HistoryEvent) -> Carried:
    payloads = list(event.workflow_execution_continued_as_new_event_attributes.input.payloads)
    codec = data_converter(TEST_KEY).payload_codec
    assert codec is not None
    state = json.loads((await codec.decode(payloads))[0].data).get("state") or {}
    audit = len(json.dumps(state.get("audit", []), ensure_ascii=False).encode())
    return Carried(stored=sum(p.ByteSize() for p in payloads), audit=audit)


async def test_fifty_actions_with_the_largest_values_stay_far_below_the_payload_limit(
    short_history_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    async with Harness(short_history_env.client, tmp_path) as harness:
        plan = running_plan(resubmission_seconds=600)
        app = largest_application(plan.cohort)
        handle = await harness.client.start_workflow(
            GroupWorkflow.run,
            GroupInput(
                cohort_workflow_id=f"absent-{plan.cohort}",
                application_id=app.id,
                application=facts(app.model_dump()),
                plan=plan,
            ),
            id=group_workflow_id(plan.cohort, app.id),
            task_queue=harness.task_queue,
        )
        await handle.signal(GroupWorkflow.outcome, OutcomeSignal(outcome=Outcome.ADMITTED))
        ids = await members(handle)

        days = [(g, d) for g, count in enumerate(DAYS, 1) for d in range(1, count + 1)]
        for g, d in (days * 3)[:30]:  # 30 registrations: every day twice, two days three times
            await handle.execute_update(
                GroupWorkflow.register_attendance,
                AttendanceInput(actor=ACTOR, gathering=g, days=[DayAttendance(day=d, present=ids[: 1 + (g + d) % 4])]),
            )
        for number in range(1, 5):  # 20 actions: each requirement returned twice with the longest feedback
            feedback = widest(f"Arbeidskrav {number}:\n\t", FEEDBACK_MAX)
            later = datetime.now(UTC) + timedelta(seconds=1200)
            steps: list[tuple[Any, RequirementInput]] = [
                (GroupWorkflow.submit_requirement, RequirementInput(actor=ACTOR, number=number)),
                (
                    GroupWorkflow.return_requirement,
                    ReturnRequirementInput(actor=ACTOR, number=number, feedback=feedback),
                ),
                (GroupWorkflow.grant_extension, ExtensionInput(actor=ACTOR, number=number, deadline=later)),
                (GroupWorkflow.submit_requirement, RequirementInput(actor=ACTOR, number=number)),
                (
                    GroupWorkflow.return_requirement,
                    ReturnRequirementInput(actor=ACTOR, number=number, feedback=feedback),
                ),
            ]
            for update, action in steps:
                await handle.execute_update(update, action)

        async def all_recorded() -> None:
            assert len([a for a in await audit(harness.sessions) if a.workflow_id == handle.id]) == 50
            detail = await harness.client.get_workflow_handle(handle.id).query(GroupWorkflow.detail)
            assert (detail.admin_actions, [r.status for r in detail.requirements]) == (50, ["failed"] * 4)

        await eventually(all_recorded, timeout=60)

        async def continued() -> None:  # once the actions stop, the group drains its effects and continues as new
            assert (
                await harness.client.get_workflow_handle(handle.id).describe()
            ).run_id != handle.first_execution_run_id

        await eventually(continued, timeout=60)

        runs, largest, carried = await history_sizes(harness.client, handle.id)
        print(
            f"\ngroup: {runs} runs, largest event {largest / KB:.1f} KB, continue-as-new inputs "
            + ", ".join(f"{c.stored / KB:.1f} KB (audit list {c.audit / KB:.1f} KB)" for c in carried)
        )
        assert runs > 1 and carried  # the state did go through continue-as-new, so its size was measured
        assert largest < PAYLOAD_LIMIT and max(c.stored for c in carried) < PAYLOAD_LIMIT / 2
        assert max(c.audit for c in carried) <= len("[]")  # the audit trail is in the database, not carried along
        for pid in ids:
            runs, largest, carried = await history_sizes(harness.client, pid)
            assert largest < PAYLOAD_LIMIT and max((c.stored for c in carried), default=0) < PAYLOAD_LIMIT
        await harness.client.get_workflow_handle(handle.id).terminate("test done")
        for pid in ids:
            await harness.client.get_workflow_handle(pid).terminate("test done")
