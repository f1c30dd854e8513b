"""The register of people on SQLite and PostgreSQL: sealed at rest, idempotent, erased for good."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.models import Sector
from store.people import Enrolled, People, PersonData, Unreadable, register_key
from store.tables import EnrolmentRecord, PersonKeyRecord, PersonRecord

Sessions = async_sessionmaker[AsyncSession]
KEY = register_key(os.urandom(32))


def kari(**overrides: object) -> PersonData:
    values = {
        "name": "Kari Nordmann",
        "email": "Kari.Nordmann@Bodo.kommune.no",
        "kind": "participant",
        "role": "rådgiver",
        "sector": Sector.HELSE_OMSORG,
        "education_years": 3.5,
        "experience_years": 12.0,
    }
    return PersonData.model_validate(values | overrides)


async def rows(sessions: Sessions) -> list[PersonRecord]:
    async with sessions() as session:
        return list((await session.scalars(select(PersonRecord))).all())


async def test_a_person_round_trips_and_nothing_personal_is_stored_in_the_clear(session_factory: Sessions) -> None:
    people = People(session_factory, KEY)
    person_id = await people.register("2022", kari())
    assert person_id == people.person_id("2022", "kari.nordmann@bodo.kommune.no")  # the e-mail's case does not count
    assert person_id != people.person_id("2023", "kari.nordmann@bodo.kommune.no")  # another cohort, another ID
    assert person_id != People(session_factory, register_key(os.urandom(32))).person_id("2022", kari().email)
    assert await people.get(person_id) == kari()
    [row] = await rows(session_factory)
    assert (row.cohort, row.kind, row.confirmed) == ("2022", "participant", False)
    stored = b"".join(
        getattr(row, c) for c in ("name", "email", "role", "sector", "education_years", "experience_years")
    )
    for plain in (b"Kari", b"Nordmann", b"bodo", b"r\xc3\xa5dgiver", b"helse", b"3.5"):
        assert plain not in stored


async def test_registering_again_never_duplicates_and_never_rewrites_a_confirmed_person(
    session_factory: Sessions,
) -> None:
    people = People(session_factory, KEY)
    first = await people.register("2022", kari())
    assert await people.register("2022", kari(role="leder")) == first  # a retry with corrected data
    assert (await people.get(first) or kari()).role == "leder"
    await people.confirm([first])
    await people.register("2022", kari(name="Someone Else"))  # a later application names the same address
    assert await people.get(first) == kari(role="leder")
    assert [(r.person_id, r.confirmed) for r in await rows(session_factory)] == [(first, True)]


async def test_discard_removes_only_the_unconfirmed(session_factory: Sessions) -> None:
    people = People(session_factory, KEY)
    kept = await people.register("2022", kari())
    await people.confirm([kept])
    gone = await people.register("2022", kari(email="ola@bodo.kommune.no", name="Ola"))
    assert await people.discard_unconfirmed([kept, gone]) == 1
    assert set(await people.get_many([kept, gone])) == {kept}
    async with session_factory() as session:
        assert list((await session.scalars(select(PersonKeyRecord.person_id))).all()) == [kept]


async def test_sweep_takes_unconfirmed_leftovers_older_than_asked(session_factory: Sessions) -> None:
    people = People(session_factory, KEY)
    old = await people.register("2022", kari())
    fresh = await people.register("2022", kari(email="ola@bodo.kommune.no"))
    confirmed_old = await people.register("2022", kari(email="per@bodo.kommune.no"), confirmed=True)
    async with session_factory() as session, session.begin():
        long_ago = datetime.now(UTC) - timedelta(days=2)
        await session.execute(
            update(PersonRecord).where(PersonRecord.person_id.in_([old, confirmed_old])).values(touched_at=long_ago)
        )
    assert await people.sweep(timedelta(days=1)) == 1
    assert set(await people.get_many([old, fresh, confirmed_old])) == {fresh, confirmed_old}


async def test_erase_shreds_the_key_so_a_copy_of_the_row_stays_unreadable(session_factory: Sessions) -> None:
    people = People(session_factory, KEY)
    [person_id] = await people.enrol(
        "2022",
        [
            Enrolled(
                person=kari(),
                group_workflow_id="kull-2022.gruppe-1804",
                participant_workflow_id="kull-2022.gruppe-1804.deltaker-1",
            )
        ],
    )
    async with session_factory() as session:
        backup = await session.get_one(PersonRecord, person_id)
        session.expunge(backup)
        wrapped = (await session.get_one(PersonKeyRecord, person_id)).wrapped_key
    assert people.unseal(backup, wrapped) == kari()  # the copy and its key read back while the key exists
    assert [e.participant_workflow_id for e in await people.enrolments(person_id)] == [
        "kull-2022.gruppe-1804.deltaker-1"
    ]

    await people.erase(person_id)
    assert await people.get(person_id) is None and await rows(session_factory) == []
    assert await people.enrolments(person_id) == []
    async with session_factory() as session:
        assert await session.get(PersonKeyRecord, person_id) is None
        assert (await session.scalars(select(EnrolmentRecord))).all() == []
    with pytest.raises(Unreadable, match="no data key"):
        people.unseal(backup, None)  # what the database can still give for the copied row: no key
    assert await people.register("2022", kari()) == person_id  # the same person applies again later: a new key
    async with session_factory() as session:
        new_key = (await session.get_one(PersonKeyRecord, person_id)).wrapped_key
    with pytest.raises(Unreadable, match="does not open"):
        people.unseal(backup, new_key)
