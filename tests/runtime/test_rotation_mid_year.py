"""A key rotation in the middle of a group's year, on the dev server: the worker restarted with the new key list
takes the running workflow on (its history is under the old key), new payloads are written under the new key, the
group ends with the grades it would have had, and the register, re-wrapped, reads under the new key alone."""

from __future__ import annotations

import base64
import os
from collections import Counter
from typing import Any

from temporalio.client import Client, WorkflowHandle

from domain.models import Grade, Sector
from runtime.codec import CodecKeys, data_converter, key_id
from runtime.wiring import register_with
from store.people import PersonData
from tests.conftest import TEST_KEY, Harness
from tests.workflows.helpers import eventually, histories_of
from tests.workflows.test_group import ACTOR, members, start_group
from workflows.group import GroupWorkflow
from workflows.messages import (
    OralAdjustment,
    OralInput,
    PublishSignal,
    RequirementInput,
    SubmitRequirementInput,
    SubmitWrittenInput,
    WrittenGradeInput,
)

NEW_KEY = os.urandom(32)
BEFORE = CodecKeys(keys=(TEST_KEY,), identity=TEST_KEY, source="test")
AFTER = CodecKeys(keys=(NEW_KEY, TEST_KEY), identity=TEST_KEY, source="test")
KARI = PersonData(name="Kari Nordmann", email="kari@bodo.kommune.no", kind="contact", sector=Sector.HELSE_OMSORG)


async def requirements(handle: WorkflowHandle[Any, Any], numbers: range) -> None:
    for number in numbers:
        await handle.execute_update(
            GroupWorkflow.submit_requirement, SubmitRequirementInput(actor=ACTOR, number=number)
        )
        await handle.execute_update(GroupWorkflow.approve_requirement, RequirementInput(actor=ACTOR, number=number))


async def key_ids_in_history(client: Client, handle: WorkflowHandle[Any, Any]) -> Counter[str]:
    """How many of the payloads each key encrypted (by the key ID in their metadata), over every run of the workflow:
    the group continues as new on its way through the year."""
    found: Counter[str] = Counter()
    for history in await histories_of(client, handle.id, handle.first_execution_run_id):
        for payload in _payloads(history.to_json_dict()):
            found[base64.b64decode(payload["metadata"]["encryption-key-id"]).decode()] += 1
    return found


def _payloads(node: object) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if "encryption-key-id" in node.get("metadata", {}):
            return [node]
        return [found for value in node.values() for found in _payloads(value)]
    if isinstance(node, list):
        return [found for value in node for found in _payloads(value)]
    return []


async def test_a_rotation_mid_year_and_the_group_ends_as_if_nothing_happened(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    await requirements(handle, range(1, 3))  # half the coursework under the old key
    person_id = await register_with(BEFORE, harness.sessions).register("2022", KARI, confirmed=True)

    rewrapped = await register_with(AFTER, harness.sessions).rewrap()  # what `starter.py keys rotate` does
    assert (rewrapped.rewrapped, rewrapped.unreadable) == (1, 0)
    harness.client = Client(**(harness.client.config() | {"data_converter": data_converter(AFTER.keys)}))
    await harness.restart_worker()  # the new key list; no cached workflow, the history replays under the old key

    rotated = harness.client.get_workflow_handle_for(GroupWorkflow.run, handle.id)
    await requirements(rotated, range(3, 5))
    await rotated.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await rotated.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.C))
    oral = [
        OralAdjustment(participant_workflow_id=i, adjustment=step) for i, step in zip(ids, (1, -1, 0), strict=False)
    ]
    await rotated.execute_update(GroupWorkflow.register_oral, OralInput(actor=ACTOR, adjustments=oral))

    async def graded() -> None:
        assert (await rotated.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(graded)
    await rotated.signal(GroupWorkflow.publish, PublishSignal())
    by_id = {m.participant_workflow_id: m for m in (await rotated.result()).detail.members}
    assert (by_id[ids[0]].final_grade, by_id[ids[0]].credits) == (Grade.B, 30)
    assert (by_id[ids[1]].final_grade, by_id[ids[2]].final_grade) == (Grade.D, Grade.C)
    assert by_id[ids[3]].certificate == "course_certificate"

    used = await key_ids_in_history(harness.client, handle)
    assert used[key_id(TEST_KEY)] > 0 and used[key_id(NEW_KEY)] > 0 and set(used) == {key_id(TEST_KEY), key_id(NEW_KEY)}
    new_only = CodecKeys(keys=(NEW_KEY,), identity=TEST_KEY, source="test")
    register = register_with(new_only, harness.sessions)
    assert register.person_id("2022", KARI.email) == person_id and await register.get(person_id) == KARI
