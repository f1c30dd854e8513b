"""Supervision meetings on the group's record, on the dev server: recorded with who came and a note, the same date
recorded again corrects it, and a meeting not yet held, before the admission, with nobody or with a stranger is
refused with its reason in Norwegian and nothing changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.catalogue.labels import OSLO
from domain.supervision import SupervisionMeeting
from tests.conftest import Harness
from tests.workflows.test_group import ACTOR, members, start_group
from workflows.group import GroupWorkflow
from workflows.group_supervision import RecordSupervisionInput


def meeting(day: date, present: list[str], note: str | None = None) -> RecordSupervisionInput:
    return RecordSupervisionInput(actor=ACTOR, meeting=SupervisionMeeting(day=day, present=present, note=note))


async def test_a_meeting_is_recorded_corrected_and_refused_when_it_cannot_be(harness: Harness) -> None:
    handle = await start_group(harness)
    ids = await members(handle)
    today = datetime.now(OSLO).date()
    await handle.execute_update(
        GroupWorkflow.record_supervision, meeting(today, ids[:2], "Vi drøftet problemstillingen.")
    )
    await handle.execute_update(GroupWorkflow.record_supervision, meeting(today, ids[:3], "Vi drøftet problemet."))
    detail = await handle.query(GroupWorkflow.detail)
    assert [(m.day, m.present, m.note) for m in detail.supervision] == [(today, ids[:3], "Vi drøftet problemet.")]

    for day, present, said in [
        (
            today + timedelta(days=1),
            ids[:1],
            f"Veiledningsmøtet {today + timedelta(days=1):%d.%m.%Y} har ikke funnet sted ennå",
        ),
        (
            today - timedelta(days=2),
            ids[:1],
            f"Veiledningsmøtet {today - timedelta(days=2):%d.%m.%Y} er før gruppen ble tatt opp",
        ),
        (today, [], "Kryss av minst én deltaker som var til stede på veiledningsmøtet"),
        (today, [handle.id + ".deltaker-9"], f"Ikke aktive medlemmer av gruppen: {handle.id}.deltaker-9"),
    ]:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(GroupWorkflow.record_supervision, meeting(day, present))
        assert said in str(refused.value.cause)
    assert (await handle.query(GroupWorkflow.detail)).supervision == detail.supervision  # nothing changed
