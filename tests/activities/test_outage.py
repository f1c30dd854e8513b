"""A mail server down never holds up a workflow: a reminder timer fires and an admin action is handled while the
letters they queue wait in the outbox; once the server is back each letter goes out exactly once.

The workflow here is the smallest one that does what a group does around a notice (a timer, then an update, each
queuing a notice through the effects write the worker registers); the worker and the relay are wired as in
worker.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.worker import Worker

from activities.effects import EffectsActivities
from activities.models import SendNoticeInput, WriteEffectsInput, WriteEffectsResult
from runtime.wiring import relay_running
from tests.activities.outbox_helpers import KARI, OLA, Sessions, mailer_for, people, relay_for, rows
from tests.activities.samples import PLAN, samples
from tests.smtp_server import MailServer
from tests.workflows.helpers import eventually
from workflows.notices import GatheringAhead


@workflow.defn(sandboxed=False)
class ReminderThenApproval:
    def __init__(self) -> None:
        self.approved = False

    @workflow.run
    async def run(self, readers: list[str]) -> int:
        await workflow.sleep(timedelta(seconds=1))  # the reminder's timer
        reminder = GatheringAhead.of("2022", 1, PLAN.gatherings[0], seconds_before=86400)
        queued = await self._notice("gathering:1:ahead:86400", reminder, readers)
        await workflow.wait_condition(lambda: self.approved)
        return queued + await self._notice("requirement:1:approved", samples()["requirement_approved"], readers)

    async def _notice(self, event: str, notice: object, readers: list[str]) -> int:
        key = f"{workflow.info().workflow_id}:{event}"
        notice_input = SendNoticeInput.model_validate({"key": key, "notice": notice, "recipients": readers})
        result: WriteEffectsResult = await workflow.execute_activity_method(
            EffectsActivities.write,
            WriteEffectsInput(notices=[notice_input]),
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
        return result.queued

    @workflow.update
    async def approve(self) -> str:
        self.approved = True
        return "approved"


async def test_a_workflow_goes_on_while_the_mail_server_is_down(
    client: Client, session_factory: Sessions, mail_server: MailServer
) -> None:
    register, kari, ola = people()
    relay = relay_for(
        session_factory,
        register,
        mailer_for(mail_server.inbox),
        max_attempts=2,
        retry=timedelta(seconds=0.1),
        outage_max=timedelta(seconds=0.3),
    )
    queue = f"tq-{uuid.uuid4().hex[:10]}"
    activities = EffectsActivities(session_factory, wake=relay.wake)
    async with (
        Worker(client, task_queue=queue, workflows=[ReminderThenApproval], activities=[activities.write]),
        relay_running(relay),
    ):
        handle = await client.start_workflow(
            ReminderThenApproval.run, [kari, ola], id=f"outage-{uuid.uuid4().hex}", task_queue=queue
        )
        await eventually(lambda: _kinds_queued(session_factory, {"gathering_ahead"}), timeout=15)
        assert await handle.execute_update(ReminderThenApproval.approve) == "approved"
        assert await handle.result() == 4  # the workflow finished with the server still down
        assert mail_server.inbox.messages == []
        assert {(r.status, r.attempts) for r in await rows(session_factory)} == {("queued", 0)}

        mail_server.start()
        await eventually(lambda: _all_sent(session_factory), timeout=15)
    sent = sorted((m["To"], m["Subject"]) for m in mail_server.inbox.messages)
    assert sent == sorted(
        [
            (KARI[1], "Påminnelse: samling 1 på kull 2022 starter i morgen"),
            (OLA[1], "Påminnelse: samling 1 på kull 2022 starter i morgen"),
            (KARI[1], "Arbeidskrav 2 «Innsikt og brukerinvolvering» er godkjent"),
            (OLA[1], "Arbeidskrav 2 «Innsikt og brukerinvolvering» er godkjent"),
        ]
    )


async def _kinds_queued(sessions: Sessions, kinds: set[str]) -> None:
    assert {r.kind for r in await rows(sessions)} == kinds


async def _all_sent(sessions: Sessions) -> None:
    stored = await rows(sessions)
    assert len(stored) == 4 and all(r.status == "sent" and r.attempts == 1 for r in stored)
