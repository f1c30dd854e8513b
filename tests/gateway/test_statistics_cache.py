"""The cohort page's figures are counted again only when a row they count from changed, and the participants'
roles (decrypted from the register) only when the register changed."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.statistics import CohortStatistics
from gateway import statistics as statistics_module
from gateway.statistics import RoleCache, StatisticsCache, _register_version
from store.people import People
from store.tables import CohortRecord, GroupRecord, ParticipantPersonRecord
from tests.store.test_db import NOW, cohort
from tests.store.test_people import KEY, kari


def group(**overrides: object) -> GroupRecord:
    values = {
        "group_id": "kull-2022.gruppe-5001",
        "cohort": "2022",
        "application_id": "5001",
        "municipalities": "Trondheim",
        "region": "trondelag",
        "size": "large",
        "outcome": "admitted",
        "stage": "programme",
        "requirements_approved": 0,
        "written_grade": None,
        "updated_at": NOW,
    }
    return GroupRecord(**(values | overrides))


async def test_the_figures_are_counted_again_only_when_the_read_model_changed(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    cache = StatisticsCache()
    async with session_factory() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        session.add(group())
    first = await cache.get(session_factory, "2022")
    again = await cache.get(session_factory, "2022")
    assert cache.computed == 1 and again == first and first is not None
    assert first.by_outcome == {"admitted": 1}
    async with session_factory() as session, session.begin():
        row = await session.get(GroupRecord, "kull-2022.gruppe-5001")
        assert row is not None
        row.outcome, row.stage, row.updated_at = "waitlist", "waitlist", NOW + timedelta(seconds=1)
    changed = await cache.get(session_factory, "2022")
    assert cache.computed == 2 and changed is not None and changed.by_outcome == {"waitlist": 1}
    assert await cache.get(session_factory, "2023") is None  # no such cohort: nothing counted from nothing


async def test_the_roles_are_decrypted_again_only_for_the_people_whose_row_in_the_register_changed(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    # a national cohort's ~1,400 people decrypted on every change of the year's work was most of a count
    people, cache = People(session_factory, KEY), StatisticsCache()

    async def enrol(number: int) -> None:
        person = await people.register("2022", kari(email=f"p{number}@k.no", role="rådgiver"), confirmed=True)
        async with session_factory() as session, session.begin():
            participant = f"kull-2022.gruppe-5001.deltaker-{number}"
            link = {"participant_id": participant, "person_id": person, "cohort": "2022", "updated_at": NOW}
            session.add(ParticipantPersonRecord(**link))

    async with session_factory() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        session.add(group())
    for number in (1, 2, 3):
        await enrol(number)
    first = await cache.get(session_factory, "2022", people)
    assert first is not None and (cache.roles.decrypted, cache.roles.people_decrypted) == (1, 3)
    async with session_factory() as session, session.begin():  # the year's work: figures again, roles kept
        row = await session.get(GroupRecord, "kull-2022.gruppe-5001")
        assert row is not None
        row.stage, row.updated_at = "written", NOW + timedelta(seconds=1)
        link = await session.get(ParticipantPersonRecord, "kull-2022.gruppe-5001.deltaker-1")
        assert link is not None
        link.updated_at = NOW + timedelta(seconds=1)  # each write of a participant's row writes its link, unchanged
    await cache.get(session_factory, "2022", people)
    assert (cache.computed, cache.roles.decrypted) == (2, 1)
    await enrol(4)  # the register changed: the new person's role is read, the three others' are kept
    fourth = await cache.get(session_factory, "2022", people)
    assert fourth is not None and (cache.roles.decrypted, cache.roles.people_decrypted) == (2, 4)


async def test_a_count_leaves_the_event_loop_to_the_views_meanwhile(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web app counts beside its views, on their one event loop: a national count's ~1,400 participants held it
    for the whole count, and a view that came meanwhile waited that long. Here a count busy for 300 ms of pure Python
    lets a view's ticks run every few milliseconds."""
    real = statistics_module.count

    def slow_count(*args: Any) -> CohortStatistics:
        until = time.perf_counter() + 0.3
        while time.perf_counter() < until:
            pass
        return real(*args)

    monkeypatch.setattr(statistics_module, "count", slow_count)
    async with session_factory() as session, session.begin():
        session.add(CohortRecord(**cohort(stage="running")))
        session.add(group())
    ticks = 0
    counting = asyncio.create_task(StatisticsCache().get(session_factory, "2022"))
    while not counting.done():
        await asyncio.sleep(0.01)
        ticks += 1
    figures = await counting
    assert figures is not None and figures.by_outcome == {"admitted": 1}
    assert ticks >= 10, ticks  # with the count on the loop, it ticked twice: before it and after it


@dataclass(frozen=True)
class Link:
    participant_id: str
    person_id: str


class CountedPeople(People):
    """The register, counting how often the cache read when its people were registered."""

    reads = 0

    async def touched(self, cohort: str) -> dict[str, datetime]:
        self.reads += 1
        return await super().touched(cohort)


async def test_a_role_is_read_for_a_changed_person_only_and_an_erased_one_has_none(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    people, roles = CountedPeople(session_factory, KEY), RoleCache()
    ids = [
        await people.register("2022", kari(email=f"p{n}@k.no", role=role), confirmed=False)  # may be corrected
        for n, role in ((1, "rådgiver"), (2, "leder"))
    ]
    links = [Link(f"kull-2022.gruppe-5001.deltaker-{n}", person) for n, person in enumerate(ids, 1)]

    async def read() -> dict[str, str]:
        async with session_factory() as session:
            version = await _register_version(session, "2022", links)
        return await roles.get(people, "2022", version, links)

    both = {"kull-2022.gruppe-5001.deltaker-1": "rådgiver", "kull-2022.gruppe-5001.deltaker-2": "leder"}
    assert await read() == both and (people.reads, roles.people_decrypted) == (1, 2)
    assert await read() == both and (people.reads, roles.people_decrypted) == (1, 2)  # unchanged: only its summary
    await people.register("2022", kari(email="p2@k.no", role="prosjektleder"), confirmed=True)  # corrected
    changed = await read()
    assert changed["kull-2022.gruppe-5001.deltaker-2"] == "prosjektleder" and roles.people_decrypted == 3
    await people.erase(ids[0])
    assert await read() == {"kull-2022.gruppe-5001.deltaker-2": "prosjektleder"}
    assert (people.reads, roles.people_decrypted) == (3, 3)
