"""A cohort's statistics from the read model, and the report file the administration hands on (self-contained HTML,
Norwegian). The counting is domain/statistics.py's; this module reads the rows and renders them."""

from __future__ import annotations

from collections.abc import Sequence
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
    """The participants' roles by the register's version (its people's count and latest registration for the
    cohort, and which person each participant is): decrypting ~1,400 people was most of a national count, and the
    roles change with the register (an application, a replacement, an erasure), not with the year's work, which
    changes the other figures every few seconds. The links' contents count, not their rows' write times: every write
    of a participant's row writes its link again, unchanged."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[object, ...], dict[str, str]]] = {}
        self.decrypted = 0  # how many times the register was read (the tests read it)

    async def get(
        self, people: People, cohort: str, version: tuple[object, ...], persons: Sequence[_Linked]
    ) -> dict[str, str]:
        """`version` is _register_version's, read in the caller's session (the register opens its own: SQLite's
        pool has one connection)."""
        kept = self._kept.get(cohort)
        if kept is not None and kept[0] == version:
            return kept[1]
        roles = await participant_roles(people, persons)
        self.decrypted += 1
        self._kept[cohort] = (version, roles)
        return roles


async def participant_roles(people: People, persons: Sequence[_Linked]) -> dict[str, str]:
    """Each participant's role as the register holds it, by participant ID (the erased have none)."""
    found = await people.get_many(p.person_id for p in persons)
    by_person = {pid: data.role for pid, data in found.items() if data.role}
    return {p.participant_id: by_person[p.person_id] for p in persons if p.person_id in by_person}


async def _register_version(session: AsyncSession, cohort: str, links: Sequence[_Linked]) -> tuple[object, ...]:
    columns = [
        select(func.count()).select_from(PersonRecord).where(PersonRecord.cohort == cohort).scalar_subquery(),
        select(func.max(PersonRecord.touched_at)).where(PersonRecord.cohort == cohort).scalar_subquery(),
    ]
    people = tuple((await session.execute(select(*columns))).one())
    return (*people, tuple(sorted((link.participant_id, link.person_id) for link in links)))


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
    read again only where they changed (CohortRows); the roles decrypted again only when the register changed."""

    def __init__(self) -> None:
        self._rows: dict[str, CohortRows] = {}
        self._figures: dict[str, tuple[tuple[object, ...], CohortStatistics]] = {}
        self.computed = 0  # how many times the figures were counted (the tests and the bench read it)
        self.roles = RoleCache()

    async def get(
        self, sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None = None
    ) -> CohortStatistics | None:
        rows = self._rows.setdefault(cohort, CohortRows(cohort))
        async with sessions() as session:
            refused = await session.scalar(select(CohortRecord.refused).where(CohortRecord.cohort == cohort))
            if refused is None:
                return None
            changed = await rows.refresh(session)
            register = await _register_version(session, cohort, rows.links()) if people is not None else ()
        kept = self._figures.get(cohort)
        if kept is not None and not changed and kept[0] == (refused, register):
            return kept[1]
        roles = None
        if people is not None:
            roles = await self.roles.get(people, cohort, register, rows.links())
        figures = count(rows, refused, roles)
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
