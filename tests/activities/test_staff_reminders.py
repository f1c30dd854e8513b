"""The staff reminders' sweep on a real SQLite read model: an examiner with an e-mail address and a written
assignment past its sensurfrist gets one letter in Norwegian, once; the relay sends it to the account's address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.letters import NOTICE, Contact, date_time, render_letter
from activities.staff_notices import SweepInput
from activities.staff_reminders import StaffReaders, StaffReminderActivities
from domain.due import grading_due
from domain.plan import load_plan
from gateway.inbox import ReadModelInbox
from store.accounts import Account, Accounts, ExaminerRecord, Role
from store.db import create_schema, make_engine, make_session_factory
from store.staff_reminders import StaffReminderRecord
from store.tables import GroupRecord, OutboxRecord
from tests.activities.outbox_helpers import mailer_for, relay_for
from tests.activities.register import Register
from tests.factories import cohort_record
from tests.smtp_server import Inbox, body

PLAN = load_plan("demo/plans/kull-2022.json")  # its sensurfrist (2023) is long past
GROUP = "kull-2022.gruppe-1804"
SWEEP = SweepInput(link="https://nis.example.no/oppgaver", ahead_seconds=86_400)
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[Sessions]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    factory = make_session_factory(engine)
    accounts = Accounts(factory)
    await accounts.add(Account(username="sigurd", role=Role.EXAMINER), "passordpassord", email="Sigurd@Example.no")
    await accounts.add(Account(username="eva", role=Role.EXAMINER), "passordpassord")  # no address: no letter
    async with factory() as session, session.begin():
        session.add(cohort_record("2022", applications=1, admitted=1))
        session.add(_written_ungraded())
        session.add_all([ExaminerRecord(username=u, group_workflow_id=GROUP) for u in ("sigurd", "eva")])
    yield factory
    await engine.dispose()


def _written_ungraded() -> GroupRecord:
    return GroupRecord(
        group_id=GROUP,
        cohort="2022",
        application_id="1804",
        municipalities="1804",
        region="Nord-Norge",
        size="large",
        outcome="admitted",
        stage="written",
        requirements_approved=4,
        written_grade=None,
        written_submitted=True,
        requirements=[],
        pending=[],
        updated_at=datetime.now(UTC),
    )


def sweeper(sessions: Sessions) -> StaffReminderActivities:
    """The sweep as the worker builds it, its cohort's plan already read (no Temporal needed for the plan)."""
    inbox = ReadModelInbox(cast(Client, None), sessions)
    inbox.plans.plans["kull-2022"] = (PLAN, 0)
    return StaffReminderActivities(sessions, inbox)


async def outbox_rows(sessions: Sessions) -> list[OutboxRecord]:
    async with sessions() as session:
        return list((await session.scalars(select(OutboxRecord))).all())


async def test_an_overdue_grading_task_is_lettered_to_its_examiner_once(sessions: Sessions) -> None:
    result = await ActivityEnvironment().run(sweeper(sessions).sweep, SWEEP)
    assert (result.accounts, result.letters, result.tasks) == (1, 1, 1)
    [row] = await outbox_rows(sessions)
    assert (row.kind, row.person_id, row.cohort, row.status) == ("staff_reminder", "account:sigurd", "2022", "queued")
    assert "sigurd" not in row.idempotency_key and "sigurd@" not in row.notice.lower()  # no account, no address
    letter = render_letter(NOTICE.validate_json(row.notice), None, Contact("stab@example.no"))
    assert letter.subject == "Påminnelse: oppgaver med frist"
    due = date_time(grading_due(PLAN))
    task = "- Sett karakter på den skriftlige oppgaven (Kull 2022, gruppe Bodø (1804))"
    assert f"{task}, frist {due} (fristen er passert)" in letter.body
    assert "Se alle oppgavene dine i innboksen: https://nis.example.no/oppgaver" in letter.body
    assert letter.body.startswith("Hei,\n")

    again = await ActivityEnvironment().run(sweeper(sessions).sweep, SWEEP)
    assert (again.letters, again.tasks, len(await outbox_rows(sessions))) == (0, 0, 1)
    async with sessions() as session:
        [said] = (await session.scalars(select(StaffReminderRecord))).all()
    assert (said.username, said.state, said.letter) == ("sigurd", "overdue", row.idempotency_key)


async def test_the_relay_sends_the_reminder_to_the_accounts_address(sessions: Sessions, smtp_server: Inbox) -> None:
    await ActivityEnvironment().run(sweeper(sessions).sweep, SWEEP)
    relay = relay_for(sessions, cast(Register, StaffReaders(Register(), sessions)), mailer_for(smtp_server))
    assert await relay.deliver_due() == 1
    [message] = smtp_server.to("sigurd@example.no")
    assert message["Subject"] == "Påminnelse: oppgaver med frist"
    assert "(fristen er passert)" in body(message)


async def test_an_account_whose_address_was_taken_away_is_not_found_by_the_relay(sessions: Sessions) -> None:
    readers = StaffReaders(Register(), sessions)
    assert (await readers.get_many(["account:sigurd"]))["account:sigurd"].email == "sigurd@example.no"
    await Accounts(sessions).set_email("sigurd", None)
    assert await readers.get_many(["account:sigurd", "account:eva"]) == {}
