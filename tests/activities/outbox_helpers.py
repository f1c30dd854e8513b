"""What the outbox tests share: a notice to two people of the register, a mailer for the test server, a relay
that retries at once, and the rows as stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.effects import EffectsActivities
from activities.letters import Contact
from activities.mailer import Mailer
from activities.models import SendNoticeInput, WriteEffectsInput
from activities.relay import OutboxRelay, RelayPolicy
from store.tables import OutboxRecord
from tests.activities.register import Register
from tests.activities.samples import samples
from tests.smtp_server import Inbox

Sessions = async_sessionmaker[AsyncSession]
STAFF_EMAIL = "stab@example.no"
KARI = ("Kari Nordmann", "kari@kommune.no")
OLA = ("Ola Nordmann", "ola@kommune.no")


def people() -> tuple[Register, str, str]:
    register = Register()
    return register, register.add(*KARI), register.add(*OLA)


def returned(
    *recipients: str, staff: bool = False, key: str = "kull-2022.gruppe-1804:requirement:2:returned:1", **overrides: Any
) -> SendNoticeInput:
    return SendNoticeInput(
        key=key, notice=samples()["requirement_returned"], recipients=list(recipients), staff=staff, **overrides
    )


def mailer_for(inbox: Inbox, **overrides: Any) -> Mailer:
    values: dict[str, Any] = {
        "host": inbox.host,
        "port": inbox.port,
        "sender": "innovasjonsskolen@example.no",
        "sender_name": "Nasjonal innovasjonsskole for kommunesektoren",
        "reply_to": STAFF_EMAIL,
        "timeout": 5.0,
    }
    return Mailer(**(values | overrides))


def relay_for(sessions: Sessions, register: Register, mailer: Mailer, **policy: Any) -> OutboxRelay:
    settings: dict[str, Any] = {"retry": timedelta(0), "poll": timedelta(seconds=0.05)}
    return OutboxRelay(sessions, register, mailer, Contact(STAFF_EMAIL), RelayPolicy(**(settings | policy)))


async def rows(sessions: Sessions) -> list[OutboxRecord]:
    async with sessions() as session:
        query = select(OutboxRecord).order_by(OutboxRecord.idempotency_key)
        return list((await session.scalars(query)).all())


async def queue_letters(sessions: Sessions, notice: SendNoticeInput) -> int:
    """A workflow task's effects write with this one notice, as the worker runs it: the letters it queued."""
    written = await ActivityEnvironment().run(EffectsActivities(sessions).write, WriteEffectsInput(notices=[notice]))
    return written.queued
