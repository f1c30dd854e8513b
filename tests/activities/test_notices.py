from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.models import NoticeKind, Recipient, SendNoticeInput
from activities.notices import TEMPLATES, Mailer, NoticeActivities, render_notice
from store.tables import OutboxRecord
from tests.smtp_server import Inbox, free_port

Sessions = async_sessionmaker[AsyncSession]
KARI = Recipient(name="Kari Nordmann", email="kari@kommune.no")
OLA = Recipient(name="Ola Nordmann", email="ola@kommune.no")


def returned(**overrides: Any) -> SendNoticeInput:
    values: dict[str, Any] = {
        "key": "group-2022-0301:requirement-2:returned",
        "kind": NoticeKind.REQUIREMENT_RETURNED,
        "recipients": [KARI, OLA],
        "context": {"requirement": "Arbeidskrav 2", "feedback": "Beskriv gevinstene tydeligere.",
                    "deadline": "1. mars 2023"},
    }
    return SendNoticeInput(**(values | overrides))


def mailer_for(inbox: Inbox) -> Mailer:
    return Mailer(inbox.host, inbox.port, "innovasjonsskolen@example.no", timeout=5)


async def outbox_rows(sessions: Sessions) -> list[OutboxRecord]:
    async with sessions() as session:
        return list((await session.scalars(select(OutboxRecord).order_by(OutboxRecord.recipient))).all())


def test_notice_is_norwegian_text_filled_from_context() -> None:
    subject, body = render_notice(NoticeKind.REQUIREMENT_RETURNED, "Kari", returned().context)
    assert subject == "Arbeidskrav «Arbeidskrav 2» er ikke godkjent"
    assert body.startswith("Hei Kari,\n")
    assert "Beskriv gevinstene tydeligere." in body
    assert "levere på nytt én gang, innen 1. mars 2023" in body


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_renders_without_context(kind: NoticeKind) -> None:
    subject, body = render_notice(kind, "Kari", {})
    assert subject and "Hei Kari," in body
    assert "{" not in subject + body and "}" not in subject + body
    assert kind in TEMPLATES


def test_a_missing_context_key_shows_a_fallback() -> None:
    _, body = render_notice(NoticeKind.WRITTEN_DEADLINE_AHEAD, "Kari", {})
    assert "gruppeoppgaven er (ikke oppgitt)." in body


async def test_sending_twice_writes_each_row_once(session_factory: Sessions) -> None:
    activities = NoticeActivities(session_factory, mailer=None)
    env = ActivityEnvironment()
    first = await env.run(activities.send_notice, returned(recipients=[KARI, OLA, KARI]))
    second = await env.run(activities.send_notice, returned())
    rows = await outbox_rows(session_factory)
    assert (first.created, first.sent, second.created, second.sent) == (2, 0, 0, 0)
    assert [(r.recipient, r.template, r.sent_at) for r in rows] == [
        ("kari@kommune.no", "requirement_returned", None),
        ("ola@kommune.no", "requirement_returned", None),
    ]
    assert rows[0].body.startswith("Hei Kari Nordmann,")
    assert all(r.idempotency_key.startswith("group-2022-0301:requirement-2:returned:") for r in rows)


async def test_a_notice_is_delivered_once_when_the_activity_runs_twice(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    activities = NoticeActivities(session_factory, mailer_for(smtp_server))
    env = ActivityEnvironment()
    first = await env.run(activities.send_notice, returned())
    second = await env.run(activities.send_notice, returned())
    assert (first.created, first.sent, second.created, second.sent) == (2, 2, 0, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == ["kari@kommune.no", "ola@kommune.no"]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Arbeidskrav «Arbeidskrav 2» er ikke godkjent"
    assert "Beskriv gevinstene tydeligere." in message.get_content()
    assert all(r.sent_at is not None and r.attempts == 1 for r in await outbox_rows(session_factory))


async def test_a_cancelled_delivery_is_not_sent_again_by_the_retry(session_factory: Sessions, smtp_server: Inbox) -> None:
    """Cancelled (worker stopping, timeout) while the SMTP server is still taking the first message: that message
    arrives all the same, so it must be recorded as sent and the retry must send only the rest."""
    smtp_server.delay = 1.0
    activities = NoticeActivities(session_factory, mailer_for(smtp_server))
    env = ActivityEnvironment()
    first = asyncio.create_task(env.run(activities.send_notice, returned()))
    await asyncio.sleep(0.5)  # the first message is being handed over
    env.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    smtp_server.delay = 0.0
    retry = await ActivityEnvironment().run(activities.send_notice, returned())
    assert (retry.created, retry.sent) == (0, 1)
    assert sorted(m["To"] for m in smtp_server.messages) == ["kari@kommune.no", "ola@kommune.no"]


async def test_a_failed_delivery_is_sent_by_the_retry_and_only_then(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    env = ActivityEnvironment()
    down = NoticeActivities(session_factory, Mailer("127.0.0.1", free_port(), timeout=5))
    with pytest.raises(ApplicationError) as failure:
        await env.run(down.send_notice, returned())
    assert not failure.value.non_retryable
    retry = await env.run(NoticeActivities(session_factory, mailer_for(smtp_server)).send_notice, returned())
    assert (retry.created, retry.sent, len(smtp_server.messages)) == (0, 2, 2)
    assert [r.attempts for r in await outbox_rows(session_factory)] == [2, 2]


async def test_a_refused_address_fails_for_good_without_naming_it(
    session_factory: Sessions, smtp_server: Inbox
) -> None:
    smtp_server.refuse.add("ola@kommune.no")
    activities = NoticeActivities(session_factory, mailer_for(smtp_server))
    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(activities.send_notice, returned())
    assert failure.value.non_retryable
    assert "ola" not in str(failure.value) and "SMTPRecipientsRefused" in str(failure.value)
    assert [m["To"] for m in smtp_server.messages] == ["kari@kommune.no"]


async def test_logs_name_the_notice_but_no_person(
    session_factory: Sessions, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await ActivityEnvironment().run(NoticeActivities(session_factory, None).send_notice, returned())
    assert "requirement_returned" in caplog.text
    assert "Nordmann" not in caplog.text and "@kommune.no" not in caplog.text
