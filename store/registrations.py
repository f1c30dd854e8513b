"""A municipality contact's registration on the web: the confirmation link's token, the municipalities an account
speaks for, and the application drafts.

The link's token is random and only its SHA-256 is kept; following it is a compare-and-set on `used_at`, so a link
works once and only before it expires. A registration names its person by the register's opaque ID (the e-mail
address lives in the register of people, sealed). A draft holds people's names and years of education: it is sealed
with AES-GCM under a key derived from the register's key, the account and cohort as associated data.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import LargeBinary, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base

TOKEN_BYTES = 32
TOKEN_MAX = 100  # a longer value is no token of ours: refused before it is hashed or looked up
NONCE_BYTES = 12


class RegistrationRecord(Base):
    """One confirmation link: for whom (person ID), for which municipality and cohort, until when, and once used,
    the account it made or bound."""

    __tablename__ = "registrations"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    cohort: Mapped[str] = mapped_column(index=True)
    municipality: Mapped[str]
    person_id: Mapped[str] = mapped_column(index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    username: Mapped[str | None] = mapped_column(String(64), default=None)


class ContactMunicipalityRecord(Base):
    """A municipality an account speaks for beside its own (`accounts.municipality`): a joint application's."""

    __tablename__ = "contact_municipalities"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    municipality: Mapped[str] = mapped_column(primary_key=True)


class ApplicationDraftRecord(Base):
    """A contact's application as far as they have come, sealed; one per account and cohort."""

    __tablename__ = "application_drafts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    cohort: Mapped[str] = mapped_column(primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime]


class Registrations:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def start(self, cohort: str, municipality: str, person_id: str, lifetime: timedelta) -> str:
        """A new link's token (shown only in the letter); its hash is kept."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            session.add(
                RegistrationRecord(
                    token_hash=_hash(token),
                    cohort=cohort,
                    municipality=municipality,
                    person_id=person_id,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    async def pending(self, token: str) -> RegistrationRecord | None:
        """The registration the token opens, if it is unused and not expired."""
        if not token or len(token) > TOKEN_MAX:
            return None
        async with self.sessions() as session:
            found = await session.get(RegistrationRecord, _hash(token))
        if found is None or found.used_at is not None or found.expires_at <= datetime.now(UTC):
            return None
        return found

    async def redeem(self, session: AsyncSession, token: str, username: str) -> bool:
        """Use the link for `username`, in the caller's transaction; False if it was used or expired meanwhile."""
        now = datetime.now(UTC)
        used = await session.execute(
            update(RegistrationRecord)
            .where(
                RegistrationRecord.token_hash == _hash(token),
                RegistrationRecord.used_at.is_(None),
                RegistrationRecord.expires_at > now,
            )
            .values(used_at=now, username=username)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(used, "rowcount", 0) or 0) == 1

    async def account_of(self, cohort: str, person_id: str) -> str | None:
        """The account an earlier link of this person made in this cohort, if any."""
        async with self.sessions() as session:
            query = select(RegistrationRecord.username).where(
                RegistrationRecord.cohort == cohort,
                RegistrationRecord.person_id == person_id,
                RegistrationRecord.username.is_not(None),
            )
            return (await session.scalars(query)).first()

    @staticmethod
    def grant(session: AsyncSession, username: str, municipality: str) -> None:
        session.add(ContactMunicipalityRecord(username=username, municipality=municipality))

    async def municipalities(self, username: str) -> set[str]:
        """The municipalities granted to the account beside its own."""
        async with self.sessions() as session:
            query = select(ContactMunicipalityRecord.municipality).where(ContactMunicipalityRecord.username == username)
            return set((await session.scalars(query)).all())


class Drafts:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], key: bytes) -> None:
        self.sessions = sessions
        self._aead = AESGCM(key)

    async def save(self, username: str, cohort: str, data: dict[str, Any]) -> None:
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, json.dumps(data).encode(), _aad(username, cohort))
        async with self.sessions() as session, session.begin():
            await session.merge(
                ApplicationDraftRecord(username=username, cohort=cohort, sealed=sealed, updated_at=datetime.now(UTC))
            )

    async def load(self, username: str, cohort: str) -> dict[str, Any] | None:
        async with self.sessions() as session:
            found = await session.get(ApplicationDraftRecord, (username, cohort))
        if found is None:
            return None
        plain = self._aead.decrypt(found.sealed[:NONCE_BYTES], found.sealed[NONCE_BYTES:], _aad(username, cohort))
        data: dict[str, Any] = json.loads(plain)
        return data

    async def discard(self, username: str, cohort: str) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                delete(ApplicationDraftRecord).where(
                    ApplicationDraftRecord.username == username, ApplicationDraftRecord.cohort == cohort
                )
            )


def draft_key(register_key: bytes) -> bytes:
    """The drafts' key, derived from the register's (store.people.register_key): no new secret to keep."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"drafts").derive(register_key)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aad(username: str, cohort: str) -> bytes:
    return f"draft:{username}:{cohort}".encode()
