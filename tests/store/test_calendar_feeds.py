"""Calendar-feed tokens (store/calendar_feeds.py), on SQLite and PostgreSQL: one per account, kept as a hash, and a
renewed one ends the old."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.calendar_feeds import CalendarFeedRecord, CalendarFeeds


async def test_a_renewed_token_ends_the_old_and_only_its_hash_is_kept(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    feeds = CalendarFeeds(session_factory)
    assert await feeds.made_at("kari") is None
    first = await feeds.renew("kari")
    other = await feeds.renew("ola")
    assert await feeds.owner(first) == "kari" and await feeds.owner(other) == "ola"

    second = await feeds.renew("kari")
    assert second != first
    assert await feeds.owner(first) is None and await feeds.owner(second) == "kari"
    assert await feeds.owner(other) == "ola"  # another account's token is untouched
    async with session_factory() as session:
        rows = (await session.scalars(select(CalendarFeedRecord).order_by(CalendarFeedRecord.username))).all()
    assert [(r.username, r.token_hash) for r in rows] == [
        ("kari", hashlib.sha256(second.encode()).hexdigest()),
        ("ola", hashlib.sha256(other.encode()).hexdigest()),
    ]
    assert await feeds.made_at("kari") == rows[0].created_at


async def test_an_empty_or_overlong_token_opens_nothing(session_factory: async_sessionmaker[AsyncSession]) -> None:
    feeds = CalendarFeeds(session_factory)
    await feeds.renew("kari")
    assert await feeds.owner("") is None
    assert await feeds.owner("x" * 101) is None
