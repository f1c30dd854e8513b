"""A cohort's statistics from the read model, and the report file the administration hands on (self-contained HTML,
Norwegian). The counting is domain/statistics.py's; this module reads the rows and renders them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.catalogue.labels import OSLO, label
from domain.municipalities import names
from domain.statistics import (
    GRADES,
    ROLE_GROUP_MIN,
    AppealRow,
    CohortStatistics,
    GroupRow,
    ParticipantRow,
    ProjectRow,
    RequirementEvent,
    ResitRow,
    SupervisionEvent,
    cohort_statistics,
)
from runtime.files import new_dirs_private, write_private
from store import end_of_year
from store.people import People
from store.tables import (
    AuditRecord,
    CohortRecord,
    GroupRecord,
    InnovationRecord,
    ParticipantPersonRecord,
    ParticipantRecord,
    PersonRecord,
)
from workflows.ids import cohort_workflow_id

TEMPLATES = Path(__file__).parent / "templates"
REQUIREMENT_ACTIONS = ("submit_requirement", "approve_requirement", "return_requirement")
SUPERVISION = "record_supervision"
_NUMBER = re.compile(r"^requirement (\d+)")


class RoleCache:
    """The participants' roles by the register's version (its rows' count and latest change for the cohort):
    decrypting ~1,400 people was most of a national count, and the roles change with the register (an application,
    a replacement, an erasure), not with the year's work, which changes the other figures every few seconds."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[object, ...], dict[str, str]]] = {}
        self.decrypted = 0  # how many times the register was read (the tests read it)

    async def get(
        self, people: People, cohort: str, version: tuple[object, ...], persons: Sequence[ParticipantPersonRecord]
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


async def participant_roles(people: People, persons: Sequence[ParticipantPersonRecord]) -> dict[str, str]:
    """Each participant's role as the register holds it, by participant ID (the erased have none)."""
    found = await people.get_many(p.person_id for p in persons)
    by_person = {pid: data.role for pid, data in found.items() if data.role}
    return {p.participant_id: by_person[p.person_id] for p in persons if p.person_id in by_person}


async def _register_version(session: AsyncSession, cohort: str) -> tuple[object, ...]:
    columns = [
        select(func.count()).select_from(PersonRecord).where(PersonRecord.cohort == cohort).scalar_subquery(),
        select(func.max(PersonRecord.touched_at)).where(PersonRecord.cohort == cohort).scalar_subquery(),
        select(func.count())
        .select_from(ParticipantPersonRecord)
        .where(ParticipantPersonRecord.cohort == cohort)
        .scalar_subquery(),
        select(func.max(ParticipantPersonRecord.updated_at))
        .where(ParticipantPersonRecord.cohort == cohort)
        .scalar_subquery(),
    ]
    return tuple((await session.execute(select(*columns))).one())


async def statistics(
    sessions: async_sessionmaker[AsyncSession],
    cohort: str,
    people: People | None = None,
    role_cache: RoleCache | None = None,
) -> CohortStatistics | None:
    """The cohort's figures from the read model (and the participants' roles from the register of people, when
    given, through `role_cache` when one is given); None when the read model has no such cohort."""
    async with sessions() as session:
        record = await session.get(CohortRecord, cohort)
        if record is None:
            return None
        groups = (await session.scalars(select(GroupRecord).where(GroupRecord.cohort == cohort))).all()
        members = (await session.scalars(select(ParticipantRecord).where(ParticipantRecord.cohort == cohort))).all()
        group_ids = [g.group_id for g in groups]
        audit = (
            await session.scalars(
                select(AuditRecord).where(
                    AuditRecord.workflow_id.in_(group_ids),
                    AuditRecord.outcome == "accepted",
                    AuditRecord.action.in_((*REQUIREMENT_ACTIONS, SUPERVISION)),
                )
            )
        ).all()
        appealed = await end_of_year.appeals_of_cohort(session, cohort)
        resat = await end_of_year.resits_of_cohort(session, cohort)
        projects = (await session.scalars(select(InnovationRecord).where(InnovationRecord.cohort == cohort))).all()
        persons = (
            await session.scalars(select(ParticipantPersonRecord).where(ParticipantPersonRecord.cohort == cohort))
        ).all()
        register = await _register_version(session, cohort) if role_cache is not None else ()
    roles = None
    if people is not None and role_cache is not None:
        roles = await role_cache.get(people, cohort, register, persons)
    elif people is not None:
        roles = await participant_roles(people, persons)
    events = [
        RequirementEvent(group_id=a.workflow_id, number=int(match[1]), action=a.action)
        for a in audit
        if a.action != SUPERVISION and (match := _NUMBER.match(a.reason or ""))
    ]
    meetings = [
        SupervisionEvent(group_id=a.workflow_id, meeting=str((a.params or {})["meeting"]))
        for a in audit
        if a.action == SUPERVISION and "meeting" in (a.params or {})
    ]
    return cohort_statistics(
        cohort,
        [GroupRow.model_validate(g, from_attributes=True) for g in groups],
        record.refused,
        [ParticipantRow.model_validate(m, from_attributes=True) for m in members],
        events,
        [AppealRow.model_validate(a, from_attributes=True) for a in appealed],
        [ProjectRow.model_validate(p, from_attributes=True) for p in projects],
        [ResitRow.model_validate(r, from_attributes=True) for r in resat],
        roles,
        meetings,
    )


# the rows the figures are counted from: a change to any of them changes its count or latest update
_VERSIONED: tuple[tuple[Any, Any], ...] = (
    (CohortRecord, CohortRecord.updated_at),
    (GroupRecord, GroupRecord.updated_at),
    (ParticipantRecord, ParticipantRecord.updated_at),
    (InnovationRecord, InnovationRecord.updated_at),
    (ParticipantPersonRecord, ParticipantPersonRecord.updated_at),
    (end_of_year.AppealRecord, end_of_year.AppealRecord.updated_at),
    (end_of_year.ResitRecord, end_of_year.ResitRecord.updated_at),
    (PersonRecord, PersonRecord.touched_at),  # the register: the roles chart
)


async def read_model_version(sessions: async_sessionmaker[AsyncSession], cohort: str) -> tuple[object, ...]:
    """What changes whenever a row the cohort's figures count from changes: each table's count and latest update for
    the cohort, and the newest accepted requirement action's entry (the audit log is the one table without a cohort).
    One query, on indexed columns."""
    columns: list[Any] = []
    for table, updated in _VERSIONED:
        columns += [
            select(func.count()).select_from(table).where(table.cohort == cohort).scalar_subquery(),
            select(func.max(updated)).where(table.cohort == cohort).scalar_subquery(),
        ]
    accepted = AuditRecord.action.in_((*REQUIREMENT_ACTIONS, SUPERVISION)), AuditRecord.outcome == "accepted"
    columns.append(select(func.max(AuditRecord.id)).where(*accepted).scalar_subquery())
    async with sessions() as session:
        return tuple((await session.execute(select(*columns))).one())


class StatisticsCache:
    """The cohort's figures, computed again only when the read model changed (read_model_version): counting a
    national cohort decrypts ~1,400 people's roles, too much for every view of the cohort page."""

    def __init__(self) -> None:
        self._figures: dict[str, tuple[tuple[object, ...], CohortStatistics | None]] = {}
        self.computed = 0  # how many times the figures were counted (the tests and the bench read it)
        self.roles = RoleCache()

    async def get(
        self, sessions: async_sessionmaker[AsyncSession], cohort: str, people: People | None = None
    ) -> CohortStatistics | None:
        version = await read_model_version(sessions, cohort)
        kept = self._figures.get(cohort)
        if kept is not None and kept[0] == version:
            return kept[1]
        figures = await statistics(sessions, cohort, people, self.roles)
        self.computed += 1
        self._figures[cohort] = (version, figures)
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
