"""Calendar feeds: each account's secret feed address, kept as the SHA-256 of its token, one per account.

The token is the only thing in the feed's URL: random, so it cannot be guessed, and naming nobody. Only its hash is
stored, so the address is shown once, when it is made; renewing replaces the row and the old address stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base

TOKEN_BYTES = 32
TOKEN_MAX = 100  # a longer value is no token of ours: refused before it is hashed or looked up


class CalendarFeedRecord(Base):
    __tablename__ = "calendar_feeds"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    created_at: Mapped[datetime]


class CalendarFeeds:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def renew(self, username: str) -> str:
        """A new token for the account's feed; the one it had (if any) stops working in the same transaction."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        async with self.sessions() as session, session.begin():
            await session.execute(delete(CalendarFeedRecord).where(CalendarFeedRecord.username == username))
            session.add(CalendarFeedRecord(username=username, token_hash=_hash(token), created_at=datetime.now(UTC)))
        return token

    async def owner(self, token: str) -> str | None:
        """The user name whose feed the token opens, or None."""
        if not token or len(token) > TOKEN_MAX:
            return None
        async with self.sessions() as session:
            query = select(CalendarFeedRecord.username).where(CalendarFeedRecord.token_hash == _hash(token))
            return await session.scalar(query)

    async def made_at(self, username: str) -> datetime | None:
        """When the account's current feed address was made; None: it has none."""
        async with self.sessions() as session:
            record = await session.get(CalendarFeedRecord, username)
            return record.created_at if record is not None else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
