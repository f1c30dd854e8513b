"""The codec on the dev server: an unencrypted signal is refused by the workflow, and a key rotation mid-year
leaves running workflows and the register readable."""

from __future__ import annotations

import os
from typing import Any

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.common import RawValue
from temporalio.contrib.pydantic import pydantic_data_converter

from runtime.codec import key_id
from tests.conftest import TEST_KEY, Harness
from tests.workflows.helpers import eventually
from tests.workflows.test_participant import start_admitted_group
from workflows.messages import FinalSignal, ParticipantDetail, WithdrawParticipantInput
from workflows.participant import ParticipantWorkflow


def plain_client(client: Client) -> Client:
    """What anyone reaching the Temporal UI or API holds: the service, without the codec."""
    return Client(**(client.config() | {"data_converter": pydantic_data_converter}))


async def handled(handle: WorkflowHandle[Any, Any], signal: str) -> None:
    """The workflow has taken a workflow task since the signal arrived: the worker has seen it."""
    seen = False
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            seen = seen or event.workflow_execution_signaled_event_attributes.signal_name == signal
        elif seen and event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            return
    raise AssertionError(f"the signal {signal} is not handled yet")


def dropped_signal(caplog: pytest.LogCaptureFixture, signal: str) -> str:
    """Why the SDK dropped the signal: its one log record's "Failed decoding arguments", from the refusal."""
    [record] = [r for r in caplog.records if f"Failed deserializing signal input for {signal}" in r.getMessage()]
    assert record.exc_info and record.exc_info[1]
    return str(record.exc_info[1].__cause__)


async def test_an_unencrypted_signal_is_refused_and_changes_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    _, ids = await start_admitted_group(harness)
    handle = harness.client.get_workflow_handle(ids[2])
    before: ParticipantDetail = await eventually(lambda: handle.query(ParticipantWorkflow.detail))
    assert not before.ended and before.final_grade is None
    forged = FinalSignal(final_grade="A", oral_adjustment=None, credits=30, certificate="transcript", end_reason=None)
    plain = plain_client(harness.client).get_workflow_handle(ids[2])
    await plain.signal("final", forged)
    await eventually(lambda: handled(handle, "final"))
    after = await handle.query(ParticipantWorkflow.detail)
    assert after == before and not after.ended and after.final_grade is None and after.credits == 0
    assert "payload er ikke kryptert (encoding 'json/plain')" in dropped_signal(caplog, "final")
    with pytest.raises(WorkflowUpdateFailedError) as update:  # an unencrypted update is rejected to its sender
        await plain.execute_update("withdraw", WithdrawParticipantInput(actor="kari.admin", reason="forfalsket"))
    assert str(update.value.cause) == "RuntimeError: Encoded failure"  # why is sealed: the sender has no key
    assert not (await handle.query(ParticipantWorkflow.detail)).withdrawn
    withdrawn = await handle.execute_update(  # the workflow is not stuck: the engine's own action goes through
        ParticipantWorkflow.withdraw, WithdrawParticipantInput(actor="kari.admin", reason="Ny jobb")
    )
    assert withdrawn.withdrawn


async def test_a_forged_encrypted_signal_under_the_real_key_id_is_refused(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """The key ID is in every payload's metadata, so anyone can claim it: the data must open under that key."""
    _, ids = await start_admitted_group(harness)
    handle = harness.client.get_workflow_handle(ids[2])
    before: ParticipantDetail = await eventually(lambda: handle.query(ParticipantWorkflow.detail))
    forged = Payload(metadata={"encoding": b"binary/encrypted", "encryption-key-id": key_id(TEST_KEY).encode()})
    forged.data = os.urandom(64)
    await plain_client(harness.client).get_workflow_handle(ids[2]).signal("final", RawValue(forged))
    await eventually(lambda: handled(handle, "final"))
    assert await handle.query(ParticipantWorkflow.detail) == before
    assert "endret eller forfalsket" in dropped_signal(caplog, "final")
