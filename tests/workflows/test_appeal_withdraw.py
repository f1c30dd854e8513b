"""An appeal registered with the day it was received, and withdrawn, on the dev server through the gateway: in time
however late registered, a received day in the future or before the release refused; the person withdraws their
own before the decision and gets a letter, the grade stays; after the decision it is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from activities.letters import NOTICE, Contact, date, render_letter
from domain.end_of_year.appeals import appeal_deadline, oslo_date
from domain.ids import AppealId
from domain.models import Grade
from gateway.end_of_year.appeal import register_appeal, withdraw_appeal
from store.accounts import Account, Role
from store.end_of_year import AppealRecord
from store.tables import AuditRecord
from tests.conftest import Harness
from tests.workflows.commission import OFFICE, commission_decides
from tests.workflows.helpers import eventually, only_letter, outbox
from tests.workflows.test_appeal import acting, admin, graded_group, publish, refused
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.group import GroupWorkflow
from workflows.notices import ResultPublished
from workflows.participant import ParticipantWorkflow

THREE_WEEKS = 21 * 86400


def own(participant: str) -> Account:
    return Account(username="deltaker.selv", role=Role.PARTICIPANT, participant=participant)


async def test_received_in_time_registered_late_then_withdrawn_by_the_person(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    gateway = admin(harness)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    deadline = appeal_deadline(released, THREE_WEEKS)
    today = oslo_date(released)
    await refused(
        register_appeal(gateway, ids[0], acting(OFFICE), received=today + timedelta(days=1)),
        f"Mottatt-datoen {today + timedelta(days=1):%d.%m.%Y} er fram i tid",
    )
    await refused(
        register_appeal(gateway, ids[0], acting(OFFICE), received=today - timedelta(days=1)),
        "er før resultatet ble publisert",
    )
    later = deadline + timedelta(days=3)  # registered three days after the deadline, received on its last day
    late = await refused(
        register_appeal(gateway, ids[0], acting(OFFICE), now=later, received=deadline.date() + timedelta(days=1)),
        f"etter klagefristen {deadline:%d.%m.%Y} kl. 23:59",
    )
    assert late.code == "appeal.received_late"
    appeal = await register_appeal(gateway, ids[0], acting(OFFICE), now=later, received=deadline.date())
    assert (appeal.stage, appeal.received, appeal.deadline) == ("awaiting_examiners", deadline.date(), deadline)

    appeal_id = AppealId.parse(appeal.appeal_workflow_id)
    await refused(withdraw_appeal(gateway, appeal_id, own(ids[1])), "En deltaker kan bare klage, og trekke en klage")
    withdrawn = await withdraw_appeal(gateway, appeal_id, own(ids[0]))
    assert withdrawn.stage == "withdrawn"
    result = await harness.client.get_workflow_handle_for(AppealWorkflow.run, appeal_id.workflow_id).result()
    assert result.detail.withdrawn_at is not None and result.detail.final_after is None

    body = await only_letter(harness.sessions, "appeal_withdrawn")
    assert "Bekreftelse: klagen din på karakteren på kull" in body
    assert "Vi bekrefter at du har trukket tilbake klagen din" in body
    assert "karakteren din blir stående slik den var: B." in body
    member = await harness.client.get_workflow_handle(ids[0]).query(ParticipantWorkflow.detail)
    assert member.final_grade == Grade.B  # the grade stays

    async def recorded() -> AppealRecord:
        async with harness.sessions() as session:
            row = await session.get(AppealRecord, appeal_id.workflow_id)
        assert row is not None and row.stage == "withdrawn"
        return row

    row = await eventually(recorded)
    assert (row.received, row.final_after, row.decided_at) == (deadline.date(), None, None)
    assert row.withdrawn_at is not None
    async with harness.sessions() as session:
        audit = (
            await session.scalars(
                select(AuditRecord).where(AuditRecord.workflow_id == appeal_id.workflow_id).order_by(AuditRecord.id)
            )
        ).all()
    accepted = [a for a in audit if a.outcome == "accepted"]
    assert [(a.action, a.actor) for a in accepted] == [
        ("register_appeal", OFFICE),
        ("withdraw_appeal", "deltaker.selv"),
    ]
    assert accepted[0].params is not None and accepted[0].params["received"] == deadline.date().isoformat()
    refusals = [a.action for a in audit if a.outcome == "refused"]
    assert refusals == ["register_appeal"] * 3 + ["withdraw_appeal"]  # the received days, the other person


async def test_a_decided_appeal_can_not_be_withdrawn(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    gateway = admin(harness)
    appeal = await register_appeal(gateway, ids[1], own(ids[1]))  # the person's own, on their page: received today
    assert appeal.received == oslo_date(datetime.now(UTC))
    appeal_id = AppealId.parse(appeal.appeal_workflow_id)
    assert (await commission_decides(gateway, appeal_id, Grade.C)).stage == "decided"  # the same: decided at once
    refusal = await refused(
        withdraw_appeal(gateway, appeal_id, acting(OFFICE)), "Klagen er avgjort og kan ikke lenger trekkes tilbake"
    )
    assert refusal.code == "appeal.decided_not_withdrawable"


async def test_the_release_letter_states_the_deadline_the_rule_uses(harness: Harness) -> None:
    handle, _ = await graded_group(harness)
    await publish(handle)
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    deadline = appeal_deadline(released, THREE_WEEKS)

    async def letters() -> list[str]:
        rows = await outbox(harness.sessions, "result_published")
        assert len(rows) == 2, rows  # the two members with a grade
        return [row.notice for row in rows]

    for notice in await eventually(letters):
        published = NOTICE.validate_json(notice)
        assert isinstance(published, ResultPublished) and published.appeal_deadline == deadline
        body = render_letter(published, "Kari", Contact("kari@example.no")).body
        assert f"Klagefristen er {date(deadline)}." in body and "innen utgangen av den dagen" in body
