"""Local accounts of the web app: a user name, a role, what the role is bound to, and an Argon2 hash.

The embedded default; production signs in through OpenID Connect. A user name is a handle, not an e-mail address:
it is written into the audit trail of every action the account takes.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import String, Table, column, false, select, table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from domain.ids import ParticipantId
from domain.models import Email
from domain.municipalities import UnknownMunicipality, lookup
from domain.refusals import Refusal
from store import identities
from store.sessions import end_all
from store.tables import Base

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
# the password hash of an account that signs in through OpenID Connect: not an Argon2 hash, so no password verifies
EXTERNAL = "oidc"
STAFF_ROLES = ("admin", "teacher", "examiner")  # the roles with tasks the staff reminders name
_EMAIL: TypeAdapter[str] = TypeAdapter(Email)


class Role(StrEnum):
    ADMIN = "admin"  # studieadministrasjon
    TEACHER = "teacher"  # faglærer / veileder
    EXAMINER = "examiner"  # sensor
    MUNICIPALITY = "municipality"  # contact of one application, bound to a kommunenummer
    PARTICIPANT = "participant"  # bound to a participant workflow id


class AccountError(Refusal):
    """An account that breaks a rule, by code (`account.*`, domain/catalogue/accounts.py); str() is the Norwegian."""


class LocalAccountExists(AccountError):
    """An OpenID Connect sign-in that would open a local account with a password: that account is not taken over."""


class Account(BaseModel):
    username: str
    role: Role
    municipality: str | None = None
    participant: str | None = None
    external: bool = False  # an examiner from outside the institution (ekstern sensor)

    @property
    def actor(self) -> str:
        """Who acted, as the workflows and the audit trail record it: the account's user name, whichever channel."""
        return self.username


class AccountRecord(Base):
    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str]
    municipality: Mapped[str | None]
    participant: Mapped[str | None]
    password_hash: Mapped[str]
    created_at: Mapped[datetime]
    external: Mapped[bool] = mapped_column(default=False, server_default=false())
    # where the staff reminders go (optional): personal data, so never logged, and not on the Account a session holds
    email: Mapped[str | None] = mapped_column(default=None)


class ExaminerRecord(Base):
    """The groups the administration assigned an examiner to: an examiner sees and grades those only."""

    __tablename__ = "examiner_groups"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_workflow_id: Mapped[str] = mapped_column(primary_key=True)


class SupervisorRecord(Base):
    """The teacher the administration assigned to a group as its supervisor (veileder): one per group."""

    __tablename__ = "supervisor_groups"

    group_workflow_id: Mapped[str] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)


@cache
def unknown_account_hash() -> str:
    """What a sign-in with a name that has no account is checked against, so that it takes as long as a wrong password.
    One per process, made when first needed (the web app makes it before it serves): an Argon2 hash costs ~0.2 s of CPU
    and 64 MiB, which every Accounts made to read or assign an account paid while each made its own (the worker at its
    start, the command line, the demo's script once for each group it gave a supervisor)."""
    return PasswordHasher().hash("an account that does not exist")


class Accounts:
    """Create and check accounts; hashing runs in a thread, so a sign-in never stalls the event loop."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.hasher = PasswordHasher()

    @staticmethod
    async def create_table(engine: AsyncEngine) -> None:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: Base.metadata.create_all(sync, tables=TABLES))

    async def add(self, account: Account, password: str, replace: bool = False, email: str | None = None) -> Account:
        """Store a new account; an existing one is refused, or with `replace` given the new role and password. An
        e-mail address (optional) is where reminders of the account's tasks go."""
        check(account, password)
        address = checked_email(email) if email is not None else None
        hashed = await asyncio.to_thread(self.hasher.hash, password)
        async with self.sessions() as session, session.begin():
            existing = await session.get(AccountRecord, account.username)
            if existing is not None and not replace:
                raise AccountError("account.exists", username=account.username)
            if existing is not None:  # a new password and role: whoever held the old ones is signed out
                address = address or existing.email  # the reminders' address stays unless a new one is given
                await end_all(session, account.username)
                await session.delete(existing)
                await session.flush()
            record = _record(account, hashed)
            record.email = address
            session.add(record)
        return account

    async def set_email(self, username: str, email: str | None) -> None:
        """The account's e-mail address for reminders, or none (`email` None)."""
        address = checked_email(email) if email is not None else None
        async with self.sessions() as session, session.begin():
            record = await session.get(AccountRecord, username)
            if record is None:
                raise AccountError("account.unknown", username=username)
            record.email = address

    async def email(self, username: str) -> str | None:
        async with self.sessions() as session:
            return await session.scalar(select(AccountRecord.email).where(AccountRecord.username == username))

    async def reminded(self) -> list[Account]:
        """The staff accounts with an e-mail address: those the reminder sweep writes to, by user name."""
        query = select(AccountRecord).where(AccountRecord.email.is_not(None), AccountRecord.role.in_(STAFF_ROLES))
        async with self.sessions() as session:
            return [_account(record) for record in (await session.scalars(query.order_by(AccountRecord.username)))]

    async def set_password(self, username: str, password: str) -> int:
        """A local account's new password; every session and API token of the account ends (how many did)."""
        if len(password) < MIN_PASSWORD:
            raise AccountError("account.password_too_short", min_length=MIN_PASSWORD)
        hashed = await asyncio.to_thread(self.hasher.hash, password)
        async with self.sessions() as session, session.begin():
            record = await session.get(AccountRecord, username)
            if record is None or record.password_hash == EXTERNAL:
                raise AccountError("account.no_local_account", username=username)
            record.password_hash = hashed
            return await end_all(session, username)

    async def upsert_external(self, issuer: str, subject: str, wanted: Account) -> Account:
        """The account of the provider's (issuer, subject), given the role and binding of `wanted` (the claims decide
        them at every sign-in). Its first sign-in makes it, named `wanted.username` if that name is nobody's, else
        by the issuer and subject; later ones find it by issuer and subject alone and never rename it. A local
        account with a password (LocalAccountExists) or another identity's account (AccountError) is never opened."""
        check_external(wanted)
        async with self.sessions() as session, session.begin():
            username = await identities.bound_username(session, issuer, subject)
            if username is None:
                username = wanted.username
                taken = await session.get(AccountRecord, username) is not None
                if taken or await identities.is_bound(session, username) or identities.DERIVED.match(username):
                    username = identities.derived_username(issuer, subject)
                    if await identities.is_bound(session, username):
                        raise AccountError("account.other_identity", username=username)
                identities.bind(session, issuer, subject, username)
            account = wanted.model_copy(update={"username": username})
            existing = await session.get(AccountRecord, username)
            if existing is None:
                session.add(_record(account, EXTERNAL))
            elif existing.password_hash != EXTERNAL:
                raise LocalAccountExists("account.local_account_exists", username=username)
            else:  # this identity's own account, or one it made under its derived name before identities were kept
                existing.role = account.role.value
                existing.municipality = account.municipality
                existing.participant = account.participant
        return account

    async def assign(self, username: str, group_workflow_id: str) -> None:
        """Let an examiner grade a group (idempotent)."""
        async with self.sessions() as session, session.begin():
            record = await session.get(AccountRecord, username)
            if record is None or record.role != Role.EXAMINER.value:
                raise AccountError("account.no_examiner", username=username)
            if await _on_a_commission_of(session, username, group_workflow_id):
                raise AccountError("account.on_appeal_commission", username=username)
            if await session.get(ExaminerRecord, (username, group_workflow_id)) is None:
                session.add(ExaminerRecord(username=username, group_workflow_id=group_workflow_id))

    async def assigned(self, username: str) -> set[str]:
        async with self.sessions() as session:
            rows = await session.scalars(
                select(ExaminerRecord.group_workflow_id).where(ExaminerRecord.username == username)
            )
            return set(rows.all())

    async def examiners(self, group_workflow_id: str | None = None) -> list[str]:
        """Every examiner's user name, or those assigned to one group."""
        async with self.sessions() as session:
            if group_workflow_id is None:
                query = select(AccountRecord.username).where(AccountRecord.role == Role.EXAMINER.value)
            else:
                query = select(ExaminerRecord.username).where(ExaminerRecord.group_workflow_id == group_workflow_id)
            return sorted((await session.scalars(query)).all())

    async def assign_supervisor(self, username: str, group_workflow_id: str) -> None:
        """Make a teacher the group's supervisor, in place of any before them."""
        async with self.sessions() as session, session.begin():
            record = await session.get(AccountRecord, username)
            if record is None or record.role != Role.TEACHER.value:
                raise AccountError("account.no_teacher", username=username)
            await session.merge(SupervisorRecord(group_workflow_id=group_workflow_id, username=username))

    async def supervisor(self, group_workflow_id: str) -> str | None:
        async with self.sessions() as session:
            found = await session.get(SupervisorRecord, group_workflow_id)
            return found.username if found else None

    async def teachers(self) -> list[str]:
        async with self.sessions() as session:
            query = select(AccountRecord.username).where(AccountRecord.role == Role.TEACHER.value)
            return sorted((await session.scalars(query)).all())

    async def get(self, username: str) -> Account | None:
        async with self.sessions() as session:
            record = await session.get(AccountRecord, username)
        return _account(record) if record else None

    async def authenticate(self, username: str, password: str) -> Account | None:
        """The account when the password is right; None otherwise, taking as long whether or not the user exists."""
        async with self.sessions() as session:
            record = (await session.scalars(select(AccountRecord).where(AccountRecord.username == username))).first()
        local = record is not None and record.password_hash != EXTERNAL
        stored = record.password_hash if record is not None and local else unknown_account_hash()
        try:
            await asyncio.to_thread(self.hasher.verify, stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return _account(record) if record is not None and local else None


TABLES = [
    Table(name, Base.metadata)
    for name in ("accounts", "examiner_groups", "supervisor_groups", "web_sessions", "external_identities")
]  # the mapped tables, as Tables


def _record(account: Account, password_hash: str) -> AccountRecord:
    return AccountRecord(
        username=account.username,
        role=account.role.value,
        municipality=account.municipality,
        participant=account.participant,
        external=account.external,
        password_hash=password_hash,
        created_at=datetime.now(UTC),
    )


def _account(record: AccountRecord) -> Account:
    return Account(
        username=record.username,
        role=Role(record.role),
        municipality=record.municipality,
        participant=record.participant,
        external=record.external,
    )


def check(account: Account, password: str) -> None:
    """Refuse an account that breaks a rule, naming the rule."""
    _check_username(account)
    if len(password) < MIN_PASSWORD:
        raise AccountError("account.password_too_short", min_length=MIN_PASSWORD)
    _check_binding(account)


def checked_email(email: str) -> str:
    """An e-mail address as stored (trimmed, lower case); AccountError naming the rule, not the address."""
    try:
        return _EMAIL.validate_python(email)
    except ValidationError:
        raise AccountError("account.bad_email") from None


async def addresses(session: AsyncSession, usernames: list[str]) -> dict[str, str]:
    """The e-mail addresses of these accounts, by user name (those without one left out)."""
    rows = await session.execute(
        select(AccountRecord.username, AccountRecord.email).where(
            AccountRecord.username.in_(usernames), AccountRecord.email.is_not(None)
        )
    )
    return {username: email for username, email in rows.all() if email}


def check_external(account: Account) -> None:
    """Refuse an account from the OpenID provider that breaks a rule (it has no password to check)."""
    _check_username(account)
    _check_binding(account)


def _check_username(account: Account) -> None:
    if not USERNAME.match(account.username):
        raise AccountError("account.bad_username", username=account.username)


def _check_binding(account: Account) -> None:
    if account.role == Role.MUNICIPALITY:
        if account.municipality is None:
            raise AccountError("account.municipality_required")
        try:
            lookup(account.municipality)
        except UnknownMunicipality as error:
            raise AccountError("account.unknown_municipality", number=error.number) from None
    elif account.municipality is not None:
        raise AccountError("account.municipality_only_for_municipality", role=account.role.value)
    if account.external and account.role != Role.EXAMINER:
        raise AccountError("account.external_only_for_examiner", role=account.role.value)
    if account.role == Role.PARTICIPANT:
        if account.participant is None or not _participant(account.participant):
            raise AccountError("account.participant_required")
    elif account.participant is not None:
        raise AccountError("account.participant_only_for_participant", role=account.role.value)


def _participant(text: str) -> bool:
    try:
        ParticipantId.parse(text)
    except Refusal:
        return False
    return True


# the read model's appeals (store/end_of_year.py's AppealRecord, which imports this module): the columns asked here
APPEALS = table("appeals", column("appeal_id"), column("group_id"), column("examiners"))


async def _on_a_commission_of(session: AsyncSession, username: str, group_workflow_id: str) -> bool:
    """Whether the account sits on the appeal commission of a member of the group: a group's examiner sees its first
    grades, which the commission must not (its assessment is blind)."""
    found = await session.scalar(
        select(APPEALS.c.appeal_id)
        .where(
            APPEALS.c.group_id == group_workflow_id,
            APPEALS.c.examiners.contains(f",{username},", autoescape=True),
        )
        .limit(1)
    )
    return found is not None
