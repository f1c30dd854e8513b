"""Determinism: the recorded histories of a whole cohort (tests/histories, made by `python -m tests.histories.record`)
replay against today's workflow code. A change that would break running workflows fails here, not in production."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

from temporalio.client import WorkflowHistory

from runtime.codec import data_converter
from runtime.wiring import WORKFLOWS, replayer
from tests.histories.record import RECORDING_KEY

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json.gz"))


def load(path: Path) -> WorkflowHistory:
    workflow_id = path.name.removesuffix(".json.gz").rsplit("~", 1)[0]
    return WorkflowHistory.from_json(workflow_id, gzip.decompress(path.read_bytes()).decode())


def test_the_recorded_cohort_covers_every_kind_of_workflow() -> None:
    kinds = {load(path).events[0].workflow_execution_started_event_attributes.workflow_type.name for path in HISTORIES}
    assert kinds == {workflow.__name__ for workflow in WORKFLOWS}
    assert len(HISTORIES) > 40  # the whole kull-2022 cohort: one cohort, its groups, their participants


async def test_every_recorded_history_replays_on_the_current_code() -> None:
    replaying = replayer(data_converter(RECORDING_KEY))
    failures = []

    async def histories() -> AsyncIterator[WorkflowHistory]:
        for path in HISTORIES:
            yield load(path)

    async with replaying.workflow_replay_iterator(histories()) as results:
        async for result in results:
            if result.replay_failure is not None:
                failures.append(f"{result.history.workflow_id}: {result.replay_failure}")
    assert not failures, "\n".join(failures)


async def test_a_changed_workflow_is_caught() -> None:
    """The guard itself works: a history whose first activity differs from what the code schedules fails to replay,
    just as it would after a change that reorders or renames the activities of a running workflow."""
    history = load(HISTORIES[0])
    scheduled = next(e for e in history.events if e.HasField("activity_task_scheduled_event_attributes"))
    activity = scheduled.activity_task_scheduled_event_attributes.activity_type
    activity.name = "compute_grades" if activity.name != "compute_grades" else "project"
    replaying = replayer(data_converter(RECORDING_KEY))
    result = await replaying.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is not None and "nondetermin" in str(result.replay_failure).lower()
