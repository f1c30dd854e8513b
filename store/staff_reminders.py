"""What the staff reminders have said: one row per account, task and state (due soon, overdue), so a sweep never
reminds an account of the same task in the same state twice. A task is kept by its page and title (workflow IDs,
no person). Helpers take the caller's session and never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base


class StaffReminderRecord(Base):
    __tablename__ = "staff_reminders_sent"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    task_key: Mapped[str] = mapped_column(primary_key=True)  # domain.reminders.Task.key
    state: Mapped[str] = mapped_column(String(16), primary_key=True)  # domain.reminders.DueState
    sent_at: Mapped[datetime]
    letter: Mapped[str]  # the outbox key of the letter that said it


async def sent(session: AsyncSession, username: str) -> set[tuple[str, str]]:
    """The (task key, state) pairs this account was reminded of."""
    rows = await session.execute(
        select(StaffReminderRecord.task_key, StaffReminderRecord.state).where(StaffReminderRecord.username == username)
    )
    return {(key, state) for key, state in rows.all()}


async def record(
    session: AsyncSession, username: str, said: Iterable[tuple[str, str]], letter: str, now: datetime
) -> None:
    """Record the (task key, state) pairs a letter said, none of them recorded before (`sent` in the same
    transaction chose them; two sweeps at once would conflict here, and the later one is retried)."""
    session.add_all(
        StaffReminderRecord(username=username, task_key=key, state=state, sent_at=now, letter=letter)
        for key, state in said
    )
