"""The outbox's data helpers: queue letters, claim the due ones for delivery, record each outcome.

Helpers take the caller's session and never commit. Claiming is a compare-and-set on `next_attempt_at`, one letter
at a time just before it is sent, so two relays (two worker processes) never hand the same letter to the mail
server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from store.db import insert_if_absent_sync
from store.tables import OutboxRecord

STAFF = "staff"  # the person_id of a letter to the study administration's address


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    UNDELIVERED = "undelivered"


def queued(key: str, cohort: str, kind: str, notice: str, person_id: str, now: datetime) -> dict[str, Any]:
    """A letter's outbox row as it is queued (`notice`: the notice's JSON), for `queue`."""
    return {
        "idempotency_key": key,
        "cohort": cohort,
        "kind": kind,
        "notice": notice,
        "person_id": person_id,
        "status": Status.QUEUED,
        "reason": None,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "sent_at": None,
    }


def queue_sync(session: Session, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the letters not yet in the outbox; returns how many were new."""
    return sum(insert_if_absent_sync(session, OutboxRecord, row) for row in rows)


async def queue(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> int:
    return await session.run_sync(queue_sync, rows)


async def due(session: AsyncSession, now: datetime, limit: int) -> list[OutboxRecord]:
    """The queued letters due by `now`, oldest first; not yet claimed (`claim` takes them one at a time)."""
    query = (
        select(OutboxRecord)
        .where(OutboxRecord.status == Status.QUEUED, OutboxRecord.next_attempt_at <= now)
        .order_by(OutboxRecord.created_at, OutboxRecord.idempotency_key)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


def claim(session: Session, row: OutboxRecord, now: datetime, lease: timedelta) -> bool:
    """Hold one letter for `lease` against other relays, if it is still as `due` read it (queued, and due at the
    same time: a relay that claimed, sent or failed it since changed that). A claim is made just before the letter
    is sent, so the lease need only outlast one letter, never a batch."""
    taken = session.execute(
        update(OutboxRecord)
        .where(
            OutboxRecord.idempotency_key == row.idempotency_key,
            OutboxRecord.status == Status.QUEUED,
            OutboxRecord.next_attempt_at == row.next_attempt_at,
        )
        .values(next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(taken) == 1


async def backlog(session: AsyncSession) -> int:
    """The letters queued and not yet sent or given up, due or waiting for a retry (the relay's gauge)."""
    return int(await session.scalar(select(func.count()).where(OutboxRecord.status == Status.QUEUED)) or 0)


def mark_sent(session: Session, key: str, now: datetime) -> None:
    _set(session, key, status=Status.SENT, sent_at=now, reason=None, attempts=OutboxRecord.attempts + 1)


def mark_failed(session: Session, key: str, reason: str, retry_at: datetime | None) -> None:
    """One failed attempt: queued again for `retry_at`, or undelivered for good when it is None."""
    status = Status.QUEUED if retry_at is not None else Status.UNDELIVERED
    values: dict[str, Any] = {"status": status, "reason": reason, "attempts": OutboxRecord.attempts + 1}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    _set(session, key, **values)


def release(session: Session, keys: Sequence[str], retry_at: datetime) -> None:
    """Hand claimed letters back without counting an attempt (the mail server could not be reached at all)."""
    session.execute(
        update(OutboxRecord)
        .where(OutboxRecord.idempotency_key.in_(keys), OutboxRecord.status == Status.QUEUED)
        .values(next_attempt_at=retry_at)
        .execution_options(synchronize_session=False)
    )


async def of_cohort(session: AsyncSession, cohort: str) -> list[OutboxRecord]:
    """Every letter of a cohort in the order queued."""
    return await _queued(session, OutboxRecord.cohort == cohort)


async def page_of_cohort(
    session: AsyncSession, cohort: str, kind: str | None, status: str | None, offset: int, limit: int
) -> tuple[list[OutboxRecord], int, dict[str, int]]:
    """One page of a cohort's letters, newest first, narrowed by kind and status; the count that matched, and the
    cohort's letters per status (the page's summary). Three queries whatever the cohort's size (~32,000 a year)."""
    which = [OutboxRecord.cohort == cohort]
    if kind:
        which.append(OutboxRecord.kind == kind)
    if status:
        which.append(OutboxRecord.status == status)
    newest = (OutboxRecord.created_at.desc(), OutboxRecord.idempotency_key.desc())
    rows = await session.scalars(select(OutboxRecord).where(*which).order_by(*newest).offset(offset).limit(limit))
    total = await session.scalar(select(func.count()).select_from(OutboxRecord).where(*which))
    per_status = await session.execute(
        select(OutboxRecord.status, func.count()).where(OutboxRecord.cohort == cohort).group_by(OutboxRecord.status)
    )
    return list(rows.all()), int(total or 0), {str(s): int(n) for s, n in per_status.all()}


async def kinds_of_cohort(session: AsyncSession, cohort: str) -> list[str]:
    """The kinds of letter a cohort has (the page's filter)."""
    rows = await session.scalars(select(OutboxRecord.kind).where(OutboxRecord.cohort == cohort).distinct())
    return sorted(rows.all())


async def of_person(session: AsyncSession, person_id: str) -> list[OutboxRecord]:
    """Every letter to one person (for a privacy export), in the order queued."""
    return await _queued(session, OutboxRecord.person_id == person_id)


async def _queued(session: AsyncSession, which: ColumnElement[bool]) -> list[OutboxRecord]:
    query = select(OutboxRecord).where(which).order_by(OutboxRecord.created_at, OutboxRecord.idempotency_key)
    return list((await session.scalars(query)).all())


def _set(session: Session, key: str, **values: Any) -> None:
    session.execute(
        update(OutboxRecord)
        .where(OutboxRecord.idempotency_key == key)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
