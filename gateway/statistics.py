"""A cohort's statistics from the read model, and the report file the administration hands on (self-contained HTML,
Norwegian). The counting is domain/statistics.py's; this module reads the rows and renders them."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.catalogue.labels import OSLO, label
from domain.municipalities import names
from domain.statistics import GRADES, ROLE_GROUP_MIN, CohortStatistics, cohort_statistics
from gateway.statistics_rows import CohortRows
from runtime.files import new_dirs_private, write_private
from store.people import People
from store.tables import CohortRecord, PersonRecord
from workflows.ids import cohort_workflow_id

TEMPLATES = Path(__file__).parent / "templates"


class _Linked(Protocol):
    @property
    def participant_id(self) -> str: ...
    @property
    def person_id(self) -> str: ...


class RoleCache:
    """The participants' roles, each person decrypted again only when their row in the register changed (its
    `touched_at`, written with every registration): decrypting a national cohort's ~1,400 people at once took the web
    app's one event loop for ~100 ms, and while the register grows (the admissions, the replacements) it changes
    every few seconds, a few people at a time. The year's work changes the other figures, not the register: then
    the register's summary (RegisterVersion) is all that is read."""

    def __init__(self) -> None:
        self._summaries: dict[str, tuple[int, datetime | None]] = {}  # cohort: the summary its rows were read at
        # cohort: person: (touched_at, role, read): `read` False for a person no participant was linked to yet
        self._kept: dict[str, dict[str, tuple[datetime, str | None, bool]]] = {}
        self.decrypted = 0  # how many times the register was read (the tests read it)
        self.people_decrypted = 0  # how many people those reads decrypted

    async def get(
        self, people: People, cohort: str, version: RegisterVersion, persons: Sequence[_Linked]
    ) -> dict[str, str]:
        """`version` is _register_version's, read in the caller's session (the register opens its own: SQLite's
        pool has one connection)."""
        kept = self._kept.setdefault(cohort, {})
        if self._summaries.get(cohort) != version.people:  # a person registered, registered again or erased
            touched = await people.touched(cohort)
            for gone in kept.keys() - touched.keys():  # erased, or discarded with a refused application
                del kept[gone]
            for person, at in touched.items():
                if person not in kept or kept[person][0] != at:
                    kept[person] = (at, None, False)
            self._summaries[cohort] = version.people
        stale = sorted({p.person_id for p in persons if p.person_id in kept and not kept[p.person_id][2]})
        if stale:
            found = await people.get_many(stale)
            self.decrypted += 1
            self.people_decrypted += len(stale)
            for person in stale:
                kept[person] = (kept[person][0], found[person].role if person in found else None, True)
        roles = {p.participant_id: kept[p.person_id][1] for p in persons if p.person_id in kept}
        return {participant: role for participant, role in roles.items() if role}


@dataclass(frozen=True)
class RegisterVersion:
    """The register as the roles depend on it: how many of the cohort's people it holds and their latest
    registration (each registration writes `touched_at`; an erasure takes a row away), and which person each
    participant is."""

    people: tuple[int, datetime | None]
    links: tuple[tuple[str, str], ...]


async def _register_version(session: AsyncSession, cohort: str, links: Sequence[_Linked]) -> RegisterVersion:
    columns = [
        select(func.count()).select_from(PersonRecord).where(PersonRecord.cohort == cohort).scalar_subquery(),
        select(func.max(PersonRecord.touched_at)).where(PersonRecord.cohort == cohort).scalar_subquery(),
    ]
    found, latest = (await session.execute(select(*columns))).one()
    return RegisterVersion((int(found), latest), tuple(sorted((link.participant_id, link.person_id) for link in links)))


async def statistics(
    sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None = None
) -> CohortStatistics | None:
    """The cohort's figures from the read model (and the participants' roles from the register of people, when
    given), counted from scratch: the kept count's first, with nothing kept yet."""
    return await StatisticsCache().get(sessions, cohort, people)


def count(rows: CohortRows, refused: int, roles: dict[str, str] | None) -> CohortStatistics:
    return cohort_statistics(
        rows.cohort,
        rows.groups(),
        refused,
        rows.participants(),
        rows.events(),
        rows.appeals(),
        rows.projects(),
        rows.resits(),
        roles,
        rows.meetings(),
    )


class StatisticsCache:
    """The cohort's figures, counted again only when a row they count from changed, from rows kept in memory and
    read again only where they changed (CohortRows); each person's role decrypted again only when their row in the
    register changed (RoleCache)."""

    def __init__(self) -> None:
        self._rows: dict[str, CohortRows] = {}
        self._figures: dict[str, tuple[tuple[int, RegisterVersion | None], CohortStatistics]] = {}
        self.computed = 0  # how many times the figures were counted (the tests and the bench read it)
        self.roles = RoleCache()
        self._counting: dict[str, asyncio.Lock] = {}

    async def get(
        self, sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None = None
    ) -> CohortStatistics | None:
        # one count of a cohort at a time: its rows are read into, and counted from, the one CohortRows
        async with self._counting.setdefault(cohort, asyncio.Lock()):
            return await self._get(sessions, cohort, people)

    async def _get(
        self, sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None
    ) -> CohortStatistics | None:
        rows = self._rows.setdefault(cohort, CohortRows(cohort))
        async with sessions() as session:
            refused = await session.scalar(select(CohortRecord.refused).where(CohortRecord.cohort == cohort))
            if refused is None:
                return None
            changed = await rows.refresh(session)
            register = await _register_version(session, cohort, rows.links()) if people is not None else None
        kept = self._figures.get(cohort)
        if kept is not None and not changed and kept[0] == (refused, register):
            return kept[1]
        roles = None
        if people is not None and register is not None:
            roles = await self.roles.get(people, cohort, register, rows.links())
        # on a thread: a national cohort's count is ~1,400 participants' figures, and the web app's views run on the
        # event loop meanwhile (the interpreter switches between them every few milliseconds, not after the count)
        figures = await asyncio.to_thread(count, rows, refused, roles)
        self.computed += 1
        self._figures[cohort] = ((refused, register), figures)
        return figures


def render_report(figures: CohortStatistics, now: datetime | None = None) -> str:
    made = (now or datetime.now(UTC)).astimezone(OSLO)
    return (
        _environment()
        .get_template("statistics.html.j2")
        .render(s=figures, made=made, grades=GRADES, min_group=ROLE_GROUP_MIN)
    )


async def write_report(
    sessions: async_sessionmaker[AsyncSession], cohort: str, folder: Path, people: People | None = None
) -> Path | None:
    """statistikk-COHORT.html in `folder`, 0600; None when the read model has no such cohort. A missing folder is
    made 0700; an existing one keeps its mode (`--out` may name any folder)."""
    figures = await statistics(sessions, cohort, people)
    if figures is None:
        return None
    cohort_workflow_id(cohort)  # a cohort name is safe in a file name; ValueError otherwise
    new_dirs_private(folder)
    path = folder / f"statistikk-{cohort}.html"
    write_private(path, render_report(figures))
    return path


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=select_autoescape(["j2"])
    )
    env.filters["word"] = label
    env.filters["municipalities"] = names
    return env
