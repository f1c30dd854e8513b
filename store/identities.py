"""Who signed in through OpenID Connect: the provider's issuer and subject, bound at the first sign-in to the one
local account it made, for good.

The username claim is no identity: a provider may let people edit it or hand a freed one to someone else, so it
only names a new account. `Accounts.upsert_external` (store/accounts.py) applies these rules in its transaction:
this module cannot import that one, which imports this one so the table is created with the accounts' tables.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from store.tables import Base

# the form of derived_username: never granted as a wanted name, so no one can claim another person's derived name
DERIVED = re.compile(r"^oidc-[0-9a-f]{16}$")


class ExternalIdentityRecord(Base):
    __tablename__ = "external_identities"

    issuer: Mapped[str] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)  # OpenID Connect caps `sub` at 255
    username: Mapped[str] = mapped_column(String(64), unique=True)  # an account has one owner
    created_at: Mapped[datetime]


def derived_username(issuer: str, subject: str) -> str:
    """A user name that is the same at every sign-in and says nothing about the person."""
    return "oidc-" + hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:16]


async def bound_username(session: AsyncSession, issuer: str, subject: str) -> str | None:
    record = await session.get(ExternalIdentityRecord, (issuer, subject))
    return record.username if record is not None else None


async def is_bound(session: AsyncSession, username: str) -> bool:
    """Whether some identity owns the name, even when its account is gone."""
    query = select(ExternalIdentityRecord.subject).where(ExternalIdentityRecord.username == username)
    return (await session.scalars(query)).first() is not None


def bind(session: AsyncSession, issuer: str, subject: str, username: str) -> None:
    session.add(ExternalIdentityRecord(issuer=issuer, subject=subject, username=username, created_at=datetime.now(UTC)))
