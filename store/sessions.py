"""Server-side sign-in sessions and API tokens: a random secret in the cookie or the bearer header, its SHA-256 here.

Kept in a table rather than in a signed cookie so that signing out, a password change or the administration can end
them: a copied cookie stops working the moment its row is gone. A session ends after `idle` without use or at its
absolute expiry, whichever comes first; an API token only at its expiry.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import structlog
from sqlalchemy import String, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.tables import Base

SECRET_BYTES = 32
SECRET_MAX = 100  # a longer value is no secret of ours: refused before it is hashed or looked up
TOUCH_EVERY = timedelta(minutes=1)  # `last_seen_at` is written at most this often per session
log = structlog.get_logger()
# runs a unit of work in a transaction of its own: the web app gives store.db's write_whole (on SQLite, a connection of
# its own, so the process's one reading connection does not wait for the write lock)
Writer = Callable[[Callable[[Session], None]], Awaitable[None]]


class Kind(StrEnum):
    SESSION = "session"  # a browser's cookie, with the CSRF token of its forms
    TOKEN = "token"  # a bearer token of the JSON API


class SessionRecord(Base):
    __tablename__ = "web_sessions"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)  # every sign-in clears the expired rows


@dataclass(frozen=True)
class Started:
    secret: str  # for the cookie or the bearer header; never stored
    csrf: str


@dataclass(frozen=True)
class Current:
    username: str
    csrf: str


class Sessions:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        session_lifetime: timedelta,
        session_idle: timedelta,
        token_lifetime: timedelta,
        write: Writer,
    ) -> None:
        self.sessions = sessions
        self.write = write
        self.lifetime = {Kind.SESSION: session_lifetime, Kind.TOKEN: token_lifetime}
        self.idle = {Kind.SESSION: session_idle, Kind.TOKEN: token_lifetime}
        self._touching: dict[str, asyncio.Task[None]] = {}  # by secret hash: `last_seen_at` being written

    async def start(self, username: str, kind: Kind) -> Started:
        """A new session or token (a fresh secret and CSRF token at every sign-in); expired rows are cleared."""
        now = datetime.now(UTC)
        started = Started(secrets.token_urlsafe(SECRET_BYTES), secrets.token_urlsafe(SECRET_BYTES))
        async with self.sessions() as session, session.begin():
            await session.execute(delete(SessionRecord).where(SessionRecord.expires_at < now))
            session.add(
                SessionRecord(
                    secret_hash=_hash(started.secret),
                    username=username,
                    kind=kind.value,
                    csrf=started.csrf,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + self.lifetime[kind],
                )
            )
        return started

    async def current(self, secret: str, kind: Kind) -> Current | None:
        """Who the secret signs in, while it is neither ended, expired nor idle too long."""
        if not secret or len(secret) > SECRET_MAX:
            return None
        now = datetime.now(UTC)
        hashed = _hash(secret)
        async with self.sessions() as session, session.begin():
            record = await session.get(SessionRecord, hashed)
            if record is None or record.kind != kind.value:
                return None
            if now >= record.expires_at or now - record.last_seen_at >= self.idle[kind]:
                await session.delete(record)
                return None
            if now - record.last_seen_at >= TOUCH_EVERY:
                self._touch(hashed, now)
            return Current(record.username, record.csrf)

    def _touch(self, hashed: str, now: datetime) -> None:
        """`last_seen_at` written beside the request, not in it: the request only reads, and on SQLite a write waits
        for the other processes' (the national year's slowest pages waited 1.0-1.4 s for it, behind the worker's).
        Through `write` (the web app's is on a connection of its own), so this process's reads do not wait either."""
        if hashed in self._touching:
            return
        task = asyncio.create_task(self._write_touch(hashed, now))
        self._touching[hashed] = task
        task.add_done_callback(lambda _: self._touching.pop(hashed, None))

    async def _write_touch(self, hashed: str, now: datetime) -> None:
        def touch(session: Session) -> None:
            session.execute(
                update(SessionRecord)
                .where(SessionRecord.secret_hash == hashed, SessionRecord.last_seen_at < now)
                .values(last_seen_at=now)
            )

        try:
            await self.write(touch)
        except SQLAlchemyError as error:  # the next request touches it again; a session idle this long ends as it would
            log.warning("session not touched", error=type(error).__name__)

    async def touched(self) -> None:
        """Wait for the writes of `last_seen_at` under way (a test, or a process that stops)."""
        await asyncio.gather(*self._touching.values())

    async def end(self, secret: str) -> None:
        if secret and len(secret) <= SECRET_MAX:
            async with self.sessions() as session, session.begin():
                await session.execute(delete(SessionRecord).where(SessionRecord.secret_hash == _hash(secret)))

    async def count(self, username: str) -> int:
        async with self.sessions() as session:
            rows = await session.scalars(select(SessionRecord.secret_hash).where(SessionRecord.username == username))
            return len(rows.all())


async def end_all(session: AsyncSession, username: str) -> int:
    """End every session and token of the account, in the caller's transaction (a password change); how many."""
    ended = await session.execute(
        delete(SessionRecord).where(SessionRecord.username == username).returning(SessionRecord.secret_hash)
    )
    return len(ended.all())


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
