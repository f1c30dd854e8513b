"""The relay's metrics: letters sent and undelivered by kind (and reason), and the backlog it counts each pass;
read from the SDK's metric buffer, the same meter the worker's Prometheus endpoint serves."""

from __future__ import annotations

from datetime import timedelta

from temporalio.runtime import MetricBuffer, Runtime, TelemetryConfig

from activities.letters import Contact
from activities.relay import BACKLOG, SENT, UNDELIVERED, OutboxRelay, RelayPolicy
from tests.activities.outbox_helpers import OLA, STAFF_EMAIL, Sessions, mailer_for, people, queue_letters, returned
from tests.smtp_server import Inbox


async def test_the_relay_counts_what_it_sent_and_gave_up_and_the_backlog(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    register, kari, ola = people()
    smtp_server.refuse.add(OLA[1])  # refused for good: undelivered at once
    buffer = MetricBuffer(1000)
    runtime = Runtime(telemetry=TelemetryConfig(metrics=buffer, attach_service_name=False))
    contact, policy = Contact(STAFF_EMAIL), RelayPolicy(retry=timedelta(0))
    relay = OutboxRelay(session_factory, register, mailer_for(smtp_server), contact, policy, meter=runtime.metric_meter)
    await queue_letters(session_factory, returned(kari, ola, staff=True))
    await relay.deliver_due()
    await relay.deliver_due()  # nothing left: the backlog it counts is 0
    seen = [(u.metric.name, u.value, dict(u.attributes)) for u in buffer.retrieve_updates()]
    assert [(v, a) for name, v, a in seen if name == SENT] == [(1, {"kind": "requirement_returned"})] * 2
    reason = "SMTPRecipientsRefused 550"
    assert [(v, a) for name, v, a in seen if name == UNDELIVERED] == [
        (1, {"kind": "requirement_returned", "reason": reason})
    ]
    assert [v for name, v, _ in seen if name == BACKLOG] == [3, 0]
