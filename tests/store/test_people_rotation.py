"""The register through a key rotation (SQLite and PostgreSQL): readable before and after the re-wrap, person IDs
unchanged, the re-wrap idempotent, and afterwards the old key no longer needed."""

from __future__ import annotations

import os

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.models import Sector
from store.people import People, PersonData, register_key

Sessions = async_sessionmaker[AsyncSession]
OLD, NEW, IDENTITY = (register_key(os.urandom(32)) for _ in range(3))


def person(name: str) -> PersonData:
    email = f"{name.lower()}@bodo.kommune.no"
    return PersonData(name=name, email=email, kind="participant", sector=Sector.HELSE_OMSORG, education_years=3.0)


async def test_a_rotation_keeps_the_register_readable_and_the_ids_unchanged(session_factory: Sessions) -> None:
    before = People(session_factory, IDENTITY, wrapping=[OLD])
    ids = [await before.register("2022", person(name)) for name in ("Kari", "Ola", "Per")]
    rotated = People(session_factory, IDENTITY, wrapping=[NEW, OLD])
    assert [rotated.person_id("2022", person(n).email) for n in ("Kari", "Ola", "Per")] == ids
    assert (await rotated.get(ids[0])) == person("Kari")  # read under the old key before the re-wrap
    done = await rotated.rewrap(batch=2)  # two batches: the second picks up after the first
    assert (done.rewrapped, done.current, done.unreadable) == (3, 0, 0)
    again = await rotated.rewrap()
    assert (again.rewrapped, again.current, again.unreadable) == (0, 3, 0)
    new_only = People(session_factory, IDENTITY, wrapping=[NEW])  # the old key retired: nothing needs it now
    assert await new_only.get_many(ids) == dict(zip(ids, (person(n) for n in ("Kari", "Ola", "Per")), strict=True))


async def test_a_worker_with_the_new_keys_reads_what_one_with_the_old_keys_still_writes(
    session_factory: Sessions,
) -> None:
    """Between a rotation and the last restart, a process with the old key registers under it."""
    late = await People(session_factory, IDENTITY, wrapping=[OLD]).register("2022", person("Kari"))
    assert await People(session_factory, IDENTITY, wrapping=[NEW, OLD]).get(late) == person("Kari")


async def test_a_row_no_known_key_opens_is_counted_and_left(session_factory: Sessions) -> None:
    stranger = await People(session_factory, IDENTITY, wrapping=[register_key(os.urandom(32))]).register(
        "2022", person("Kari")
    )
    done = await People(session_factory, IDENTITY, wrapping=[NEW, OLD]).rewrap()
    assert (done.rewrapped, done.current, done.unreadable) == (0, 0, 1)
    assert stranger
