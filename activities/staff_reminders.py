"""The staff reminders' sweep: to each staff account with an e-mail address, one letter naming the tasks of its
inbox that fall due within a day or are overdue, each task once for each state (domain/reminders.py). The tasks are
the inbox's own (gateway/inbox.py, injected: activities do not reach up to the gateway); what was said is recorded
in the same transaction as the letter is queued, so a retried sweep queues nothing twice.

The letter is to `account:<user name>` in the outbox; the relay finds its address in the accounts table
(StaffReaders), so the address is stored once and is never in the outbox, a key or a log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.letters import PeopleLookup, Person
from activities.staff_notices import RemindedTask, StaffReminder, SweepInput, SweepResult
from domain.reminders import Reminder, Task, to_remind
from store import outbox, staff_reminders
from store.accounts import Account, Accounts, addresses

ACCOUNT = "account:"  # the outbox's person_id of a letter to a staff account: "account:<user name>"

__all__ = ["ACCOUNT", "Inbox", "StaffReaders", "StaffReminderActivities"]


class Inbox(Protocol):
    """The task inbox as an account sees it (gateway/inbox.py ReadModelInbox fits)."""

    async def tasks(self, account: Account) -> list[Task]: ...


class StaffReminderActivities:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], inbox: Inbox, wake: Callable[[], None] | None = None
    ) -> None:
        self._sessions = sessions
        self._inbox = inbox
        self._wake = wake  # tells a relay in this process that letters are waiting

    @activity.defn(name="sweep_staff_reminders")
    async def sweep(self, input: SweepInput) -> SweepResult:
        now = datetime.now(UTC)
        ahead = timedelta(seconds=input.ahead_seconds)
        accounts = await Accounts(self._sessions).reminded()
        letters = named = 0
        for account in accounts:
            tasks = await self._inbox.tasks(account)  # before the session: SQLite's pool has one connection
            said = await self._remind(account, tasks, input.link, now, ahead)
            letters, named = letters + bool(said), named + said
        # counts only: no account, address or task is named
        activity.logger.info("staff reminders: %d accounts, %d letters, %d tasks", len(accounts), letters, named)
        if letters and self._wake:
            self._wake()
        return SweepResult(accounts=len(accounts), letters=letters, tasks=named)

    async def _remind(self, account: Account, tasks: list[Task], link: str, now: datetime, ahead: timedelta) -> int:
        """Queue the account's letter and record what it says, in one transaction; how many tasks it names."""
        async with self._sessions() as session, session.begin():
            reminders = to_remind(tasks, await staff_reminders.sent(session, account.username), now, ahead)
            if not reminders:
                return 0
            key = f"staff-reminder:{now:%Y%m%dT%H%M%S}:{_opaque(account.username)}"
            notice = StaffReminder(tasks=[_said(r) for r in reminders], link=link)
            cohort = reminders[0].task.cohort
            row = outbox.queued(key, cohort, notice.kind, notice.model_dump_json(), ACCOUNT + account.username, now)
            await outbox.queue(session, [row])
            await staff_reminders.record(
                session, account.username, [(r.task.key, r.state) for r in reminders], key, now
            )
        return len(reminders)


def _said(reminder: Reminder) -> RemindedTask:
    task = reminder.task
    assert task.due is not None  # to_remind chooses dated tasks only
    return RemindedTask(title=task.title, where=task.where, due=task.due, overdue=task.overdue)


def _opaque(username: str) -> str:
    """The account in a letter's key without its name (the relay logs keys)."""
    return hashlib.sha256(username.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _StaffReader:
    email: str
    name: str = ""  # the letter greets no one by name: an account has a user name, not a name


@dataclass
class StaffReaders:
    """The register of people, and the staff accounts' addresses for letters to `account:<user name>`: what the
    relay looks readers up in. An account without an address (taken away since) is not found: undelivered."""

    people: PeopleLookup
    sessions: async_sessionmaker[AsyncSession]

    async def get_many(self, person_ids: Iterable[str]) -> Mapping[str, Person]:
        ids = set(person_ids)
        staff = sorted(i.removeprefix(ACCOUNT) for i in ids if i.startswith(ACCOUNT))
        found: dict[str, Person] = dict(await self.people.get_many(ids.difference(ACCOUNT + u for u in staff)))
        if staff:
            async with self.sessions() as session:
                found.update(
                    {ACCOUNT + u: _StaffReader(email) for u, email in (await addresses(session, staff)).items()}
                )
        return found
