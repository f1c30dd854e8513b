"""An appeal's new oral on the dev server: after the commission changes the written grade the administration sets
its time and place, the person gets a letter the plan's notice ahead (at once when that has passed; a new one when it
is moved), and the new oral adjustment waits until the oral has a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from activities.letters import date_time
from domain.ids import AppealId
from domain.models import Grade
from domain.orals import OralSlot
from gateway import commands
from gateway.end_of_year.appeal import register_appeal
from store.end_of_year import AppealRecord
from tests.conftest import Harness
from tests.workflows.commission import EXAMINER, OFFICE, appoint, commission_decides, schedule_new_oral
from tests.workflows.helpers import eventually, only_letter, outbox
from tests.workflows.test_appeal import acting, admin, graded_group, publish, refused
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import NewOralAdjustmentInput, ScheduleNewOralInput

PLACE = "Auditoriet, Storgata 3"


async def test_the_new_oral_is_scheduled_told_by_letter_and_only_then_adjusted(harness: Harness) -> None:
    handle, ids = await graded_group(harness)  # written C, member 2 -1: D
    await publish(handle)
    gateway = admin(harness)
    appeal = AppealId.parse((await register_appeal(gateway, ids[1], acting(OFFICE))).appeal_workflow_id)
    await appoint(gateway, appeal)
    await refused(schedule_new_oral(gateway, appeal), "Klagen venter ikke på en ny muntlig eksamen")
    await commission_decides(gateway, appeal, Grade.B)  # a changed grade: a new oral
    appeal_handle = harness.client.get_workflow_handle(appeal.workflow_id)
    detail = await appeal_handle.query(AppealWorkflow.detail)
    assert (detail.stage, str(detail.pending_action)) == ("awaiting_oral", "Sett tid for ny muntlig eksamen")

    oral = NewOralAdjustmentInput(actor=EXAMINER, adjustment=1)
    before = await refused(
        gateway.perform(commands.APPEAL_ORAL, appeal, oral, acting(EXAMINER)),
        "Tid og sted for den nye muntlige eksamenen er ikke satt; justeringen kan registreres når den er satt",
    )
    assert before.code == "appeal.new_oral_not_scheduled"
    past = ScheduleNewOralInput(actor=OFFICE, slot=OralSlot(start=datetime.now(UTC) - timedelta(hours=1), place=PLACE))
    await refused(gateway.perform(commands.APPEAL_ORAL_SCHEDULE, appeal, past, acting(OFFICE)), "har allerede vært")
    await refused(schedule_new_oral(gateway, appeal, place=" "), "Stedet for den muntlige eksamenen mangler")

    # a month ahead: the letter waits for the plan's notice (a week ahead); the row says the oral has a time
    await schedule_new_oral(gateway, appeal, ahead=timedelta(days=30), place="Rom 101, Storgata 1")

    async def recorded() -> None:
        async with harness.sessions() as session:
            row = await session.get(AppealRecord, appeal.workflow_id)
            assert row is not None and row.new_oral_place == "Rom 101, Storgata 1"

    await eventually(recorded)
    assert await outbox(harness.sessions, "appeal_oral_scheduled") == []

    # moved to three hours ahead, within the notice: the letter goes at once, with the new time and place
    await schedule_new_oral(gateway, appeal, ahead=timedelta(hours=3), place=PLACE)
    detail = await appeal_handle.query(AppealWorkflow.detail)
    assert detail.new_oral is not None and detail.new_oral.place == PLACE
    assert str(detail.pending_action) == "Registrer ny muntlig justering"
    letter = await only_letter(harness.sessions, "appeal_oral_scheduled")
    assert "Ny muntlig eksamen etter klagen din på kull" in letter
    assert "skriftlige delen av eksamen din på kull" in letter and ": B. Fordi karakteren er endret" in letter
    assert f"Tid: {date_time(detail.new_oral.start)}" in letter and f"Sted: {PLACE}" in letter
    assert "Rom 101" not in letter  # the first time's letter never went out: it was moved before its notice

    # moved again after its letter went out: a new letter, the last one holding
    await schedule_new_oral(gateway, appeal, ahead=timedelta(hours=4), place="Rom 202, Storgata 3")

    async def two_letters() -> None:
        assert len(await outbox(harness.sessions, "appeal_oral_scheduled")) == 2

    await eventually(two_letters)

    assert (await gateway.perform(commands.APPEAL_ORAL, appeal, oral, acting(EXAMINER))).stage == "decided"
    result = await harness.client.get_workflow_handle_for(AppealWorkflow.run, appeal.workflow_id).result()
    assert (result.detail.written_after, result.detail.final_after) == (Grade.B, Grade.A)
    async with harness.sessions() as session:
        stored = await session.scalars(
            select(AppealRecord.new_oral_at).where(AppealRecord.appeal_id == appeal.workflow_id)
        )
        assert list(stored) == [result.detail.new_oral.start if result.detail.new_oral else None]
