"""The register of people: the one place that holds names, e-mail addresses, roles and years of education.

Workflows carry only the opaque person ID (`p` + 20 hex); letters, pages and privacy exports look the person up
here. Temporal histories cannot be edited, the register can: erasing a person is a delete here.

**Encryption at rest.** Every personal column of `people` is sealed with AES-256-GCM under a data key of its own
per person (associated data: person ID and column name, so a value cannot be moved to another row or column). The
data key is stored wrapped (AES-GCM) by the wrapping key in `person_keys`, a table apart: erasing the key
(crypto-shredding) leaves every copy of the person's `people` row that outlives the delete (a backup, a replica,
a dump, a page the database has not overwritten yet) unreadable, even to someone holding the application key.
Keep backups of `person_keys` short-lived; that bounds how long an erased person can be read back.

**The keys.** `People(sessions, key, wrapping=...)` takes the identity's register key and the register keys of the
codec's keys, newest first. `register_key(key)` derives a register key with HKDF-SHA256 (info b"people"). The
identity's makes person IDs (HMAC-SHA256 of `cohort:email`, so the same person in one cohort always gets the same
ID, and an ID tells nothing without the key); it comes from `NIS_ID_KEY` (by default the oldest codec key) and never
rotates, since running workflows hold the IDs. A second HKDF step (info b"people:wrap") of each codec key's register
key gives a wrapping key: data keys are wrapped under the newest, and unwrapped under whichever opens them, so a
rotation (`starter.py keys rotate`, which re-wraps them all with `rewrap`) leaves the register readable throughout.
Without `wrapping`, the identity's register key wraps too (one key, as before there were several). Losing the codec
keys loses the register, as it loses the workflow payloads.

**Unconfirmed rows.** The gateway registers the people of an application before the cohort workflow decides on it,
unconfirmed; an accepted application confirms them, a refused one discards those still unconfirmed (a person
confirmed by another accepted application stays). A crash between the two leaves unconfirmed rows: `sweep` deletes
those not registered again for a while.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.models import Sector
from store.tables import EnrolmentRecord, PersonKeyRecord, PersonRecord

KEY_BYTES = 32
NONCE_BYTES = 12
SEALED = ("name", "email", "role", "sector", "education_years", "experience_years")


class PersonData(BaseModel):
    """What the register holds about one person, decrypted."""

    model_config = ConfigDict(frozen=True)

    name: str
    email: str
    kind: Literal["contact", "participant"]
    role: str | None = None
    sector: Sector | None = None
    education_years: float | None = None
    experience_years: float | None = None


class Enrolled(BaseModel):
    """A person a workflow accepted, and the workflows that act for them (a contact has no participant one)."""

    person: PersonData
    group_workflow_id: str
    participant_workflow_id: str | None = None


@dataclass
class Rewrapped:
    """What `rewrap` did: data keys wrapped anew, already under the newest key, and opened by no key."""

    rewrapped: int = 0
    current: int = 0
    unreadable: int = 0


class Unreadable(Exception):
    """A row whose data key is missing or does not open it: erased, or sealed under another key."""


def register_key(codec_key: bytes) -> bytes:
    """The register key, derived from the application key (runtime/codec.py) so that one secret is kept."""
    return _derive(codec_key, b"people")


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(key)


class People:
    """The register's service: each method is one unit of work of its own."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], key: bytes, *, wrapping: Sequence[bytes] = ()
    ) -> None:
        for each in (key, *wrapping):
            if len(each) != KEY_BYTES:
                raise ValueError(f"register key must be {KEY_BYTES} bytes, got {len(each)}")
        self.sessions = sessions
        self._id_key = key
        self._wraps = [AESGCM(_derive(each, b"people:wrap")) for each in (wrapping or [key])]
        self._wrap = self._wraps[0]  # the newest: every data key is wrapped under it

    def person_id(self, cohort: str, email: str) -> str:
        digest = hmac.new(self._id_key, f"{cohort}:{email.strip().lower()}".encode(), hashlib.sha256).hexdigest()
        return "p" + digest[:20]

    async def register(self, cohort: str, person: PersonData, *, confirmed: bool = False) -> str:
        """Idempotent upsert; returns the person ID. An unconfirmed row takes the new data; a confirmed one is
        never changed by a registration (a later, perhaps refused, application cannot rewrite it).
        `confirmed=True` registers and confirms in one step, which also restores a row a concurrent refusal
        or the sweep removed in the meantime."""
        person_id = self.person_id(cohort, person.email)
        await self._retried(lambda session: self._upsert(session, cohort, person_id, person, confirmed))
        return person_id

    async def register_many(self, cohort: str, persons: list[PersonData]) -> list[str]:
        """`register` for each, in one transaction: an application's people are written together."""
        ids = [self.person_id(cohort, person.email) for person in persons]

        async def write(session: AsyncSession) -> None:
            for person_id, person in zip(ids, persons, strict=True):
                await self._upsert(session, cohort, person_id, person, False)

        await self._retried(write)
        return ids

    async def enrol(self, cohort: str, enrolled: list[Enrolled]) -> list[str]:
        """Register and confirm the people a workflow accepted and record which workflows act for them, in one
        transaction (an erase asks those workflows whether the person is still in a running programme)."""
        ids = [self.person_id(cohort, e.person.email) for e in enrolled]

        async def write(session: AsyncSession) -> None:
            for person_id, e in zip(ids, enrolled, strict=True):
                await self._upsert(session, cohort, person_id, e.person, True)
                await session.merge(
                    EnrolmentRecord(
                        person_id=person_id,
                        group_workflow_id=e.group_workflow_id,
                        cohort=cohort,
                        kind=e.person.kind,
                        participant_workflow_id=e.participant_workflow_id,
                    )
                )

        await self._retried(write)
        return ids

    async def enrolments(self, person_id: str) -> list[EnrolmentRecord]:
        async with self.sessions() as session:
            found = select(EnrolmentRecord).where(EnrolmentRecord.person_id == person_id)
            return list((await session.scalars(found)).all())

    async def _retried(self, work: Callable[[AsyncSession], Awaitable[None]]) -> None:
        for attempt in range(2):
            try:
                async with self.sessions() as session, session.begin():
                    await work(session)
                return
            except IntegrityError:  # a concurrent first registration of the same person won; go again
                if attempt:
                    raise

    async def _upsert(
        self, session: AsyncSession, cohort: str, person_id: str, person: PersonData, confirmed: bool
    ) -> None:
        now = datetime.now(UTC)
        row = await session.get(PersonRecord, person_id, with_for_update=True)
        if row is not None and row.confirmed:
            return
        data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
        sealed = self._seal(person_id, data_key, person)
        if row is None:
            session.add(
                PersonRecord(
                    person_id=person_id,
                    cohort=cohort,
                    kind=person.kind,
                    confirmed=confirmed,
                    created_at=now,
                    touched_at=now,
                    **sealed,
                )
            )
            await session.flush()  # the key row refers to the person row
            session.add(PersonKeyRecord(person_id=person_id, wrapped_key=self._wrap_key(person_id, data_key)))
            return
        for column, value in sealed.items():
            setattr(row, column, value)
        row.kind, row.confirmed, row.touched_at = person.kind, confirmed, now
        key_row = await session.get(PersonKeyRecord, person_id, with_for_update=True)
        if key_row is None:
            session.add(PersonKeyRecord(person_id=person_id, wrapped_key=self._wrap_key(person_id, data_key)))
        else:
            key_row.wrapped_key = self._wrap_key(person_id, data_key)

    async def confirm(self, person_ids: list[str]) -> None:
        """The workflow accepted them: they stay."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(PersonRecord).where(PersonRecord.person_id.in_(person_ids)).values(confirmed=True)
            )

    async def discard_unconfirmed(self, person_ids: list[str]) -> int:
        """A refused application leaves no one behind; people confirmed by another application stay."""
        async with self.sessions() as session, session.begin():
            doomed = select(PersonRecord.person_id).where(
                PersonRecord.person_id.in_(person_ids), PersonRecord.confirmed.is_(False)
            )
            return await _delete_people(session, list((await session.scalars(doomed)).all()))

    async def sweep(self, older_than: timedelta) -> int:
        """Delete unconfirmed rows not registered again for `older_than`: leftovers of a crash mid-application."""
        cutoff = datetime.now(UTC) - older_than
        async with self.sessions() as session, session.begin():
            stale = select(PersonRecord.person_id).where(
                PersonRecord.confirmed.is_(False), PersonRecord.touched_at < cutoff
            )
            return await _delete_people(session, list((await session.scalars(stale)).all()))

    async def touched(self, cohort: str) -> dict[str, datetime]:
        """When each of the cohort's people was last registered (no data decrypted): what changed since a read."""
        async with self.sessions() as session:
            rows = await session.execute(
                select(PersonRecord.person_id, PersonRecord.touched_at).where(PersonRecord.cohort == cohort)
            )
            return {row.person_id: row.touched_at for row in rows}

    async def get(self, person_id: str) -> PersonData | None:
        """None when unknown or erased."""
        return (await self.get_many([person_id])).get(person_id)

    async def get_many(self, person_ids: Iterable[str]) -> dict[str, PersonData]:
        wanted = list(dict.fromkeys(person_ids))
        async with self.sessions() as session:
            rows = await session.execute(
                select(PersonRecord, PersonKeyRecord.wrapped_key)
                .join(PersonKeyRecord, PersonKeyRecord.person_id == PersonRecord.person_id)
                .where(PersonRecord.person_id.in_(wanted))
            )
            return {row.person_id: self.unseal(row, wrapped) for row, wrapped in rows}

    async def record(self, person_id: str) -> tuple[PersonRecord, PersonData] | None:
        """The row (cohort, kind, confirmed, dates) and its data; None when unknown or erased."""
        async with self.sessions() as session:
            found = await session.execute(
                select(PersonRecord, PersonKeyRecord.wrapped_key)
                .join(PersonKeyRecord, PersonKeyRecord.person_id == PersonRecord.person_id)
                .where(PersonRecord.person_id == person_id)
            )
            for row, wrapped in found:
                return row, self.unseal(row, wrapped)
        return None

    async def erase(self, person_id: str) -> None:
        """Crypto-shred (the data key goes first) and delete the row; enrolments go with them."""
        async with self.sessions() as session, session.begin():
            await self.erase_rows(session, person_id)
        await self.checkpoint()

    async def erase_rows(self, session: AsyncSession, person_id: str) -> bool:
        """`erase` inside the caller's transaction (the privacy erase deletes letters and logs in the same one);
        the caller runs `checkpoint` after committing. True if the person was in the register."""
        await secure_delete(session)
        deleted = await _delete_people(session, [person_id])
        await session.execute(delete(EnrolmentRecord).where(EnrolmentRecord.person_id == person_id))
        return deleted > 0

    async def checkpoint(self) -> None:
        # SQLite in WAL mode keeps the old page images in the -wal file until a checkpoint writes them back;
        # truncating it there leaves no copy of the erased key in the database's files
        async with self.sessions() as session:
            if session.get_bind().dialect.name == "sqlite":
                await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    # ---- sealing ----------------------------------------------------------------------------------
    def unseal(self, row: PersonRecord, wrapped_key: bytes | None) -> PersonData:
        """Decrypt one row with its wrapped key; Unreadable when the key is gone or does not fit."""
        if wrapped_key is None:
            raise Unreadable(f"{row.person_id}: no data key (erased)")
        data_key, _ = self._unwrap(row.person_id, wrapped_key)
        try:
            values = {column: _open(data_key, row.person_id, column, getattr(row, column)) for column in SEALED}
        except InvalidTag:
            raise Unreadable(f"{row.person_id}: the data key does not open this row") from None
        return PersonData(kind=row.kind, **values)

    def _unwrap(self, person_id: str, wrapped_key: bytes) -> tuple[bytes, bool]:
        """The data key, and whether it is wrapped under the newest key; Unreadable when no key opens it."""
        for index, wrap in enumerate(self._wraps):
            try:
                data_key = wrap.decrypt(wrapped_key[:NONCE_BYTES], wrapped_key[NONCE_BYTES:], _aad(person_id, "key"))
            except InvalidTag:
                continue
            return data_key, index == 0
        raise Unreadable(f"{person_id}: no key the register knows opens its data key")

    async def rewrap(self, batch: int = 200) -> Rewrapped:
        """Wrap every data key under the newest wrapping key (after a key rotation). Those already under it are left
        as they are, so it is safe to run again, and a run cut short is finished by the next. Each batch is one
        transaction; rows no known key opens are counted and left alone."""
        done = Rewrapped()
        after = ""
        while True:
            async with self.sessions() as session, session.begin():
                rows = list(
                    (
                        await session.scalars(
                            select(PersonKeyRecord)
                            .where(PersonKeyRecord.person_id > after)
                            .order_by(PersonKeyRecord.person_id)
                            .limit(batch)
                            .with_for_update()
                        )
                    ).all()
                )
                for row in rows:
                    self._rewrap_row(row, done)
            if len(rows) < batch:
                return done
            after = rows[-1].person_id

    def _rewrap_row(self, row: PersonKeyRecord, done: Rewrapped) -> None:
        try:
            data_key, current = self._unwrap(row.person_id, row.wrapped_key)
        except Unreadable:
            done.unreadable += 1
            return
        if current:
            done.current += 1
        else:
            row.wrapped_key = self._wrap_key(row.person_id, data_key)
            done.rewrapped += 1

    def _seal(self, person_id: str, data_key: bytes, person: PersonData) -> dict[str, bytes]:
        values = person.model_dump(mode="json")
        return {column: _seal(data_key, person_id, column, values[column]) for column in SEALED}

    def _wrap_key(self, person_id: str, data_key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._wrap.encrypt(nonce, data_key, _aad(person_id, "key"))


def _aad(person_id: str, column: str) -> bytes:
    return f"{person_id}:{column}".encode()


def _seal(data_key: bytes, person_id: str, column: str, value: Any) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, json.dumps(value).encode(), _aad(person_id, column))


def _open(data_key: bytes, person_id: str, column: str, sealed: bytes) -> Any:
    plain = AESGCM(data_key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _aad(person_id, column))
    return json.loads(plain)


async def _delete_people(session: AsyncSession, person_ids: list[str]) -> int:
    if not person_ids:
        return 0
    await session.execute(delete(PersonKeyRecord).where(PersonKeyRecord.person_id.in_(person_ids)))
    result = await session.execute(delete(PersonRecord).where(PersonRecord.person_id.in_(person_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


async def secure_delete(session: AsyncSession) -> None:
    """On SQLite, overwrite what this connection deletes from now on with zeros instead of leaving it in free pages."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("PRAGMA secure_delete = ON"))
