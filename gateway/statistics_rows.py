"""A cohort's rows that its statistics count from, kept in memory and read again only where a row changed.

Reading every row of a national cohort for each count (1,428 participants and their links to the register, 357
groups, ~3,000 audit entries, as ORM objects with their JSON) took ~140 ms: the cohort page and the views behind it
on the web app's one connection waited for it while the year ran. Here a refresh reads each table's keys and the
time each row was last written, and then only the rows that are new or were written since; the audit trail's
entries (never changed, only added) are read again for a group when its count or newest entry differs.

Each row's own time is compared, not a table's newest time: two effects writes can commit in the opposite order to
the times they stamped (the time is taken before the transaction waits for the lock), and a row written second with
the older time would be missed by "newer than the newest seen".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, func, literal, select, type_coerce, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from domain.statistics import (
    AppealRow,
    GroupRow,
    ParticipantRow,
    ProjectRow,
    RequirementEvent,
    ResitRow,
    SupervisionEvent,
)
from store import end_of_year
from store.tables import AuditRecord, GroupRecord, InnovationRecord, ParticipantPersonRecord, ParticipantRecord

REQUIREMENT_ACTIONS = ("submit_requirement", "approve_requirement", "return_requirement")
SUPERVISION = "record_supervision"
_NUMBER = re.compile(r"^requirement (\d+)")
_COUNTED = AuditRecord.outcome == "accepted", AuditRecord.action.in_((*REQUIREMENT_ACTIONS, SUPERVISION))


class PersonLink(BaseModel):
    """Which person of the register a participant is (both opaque IDs): the roles are counted through it."""

    model_config = ConfigDict(frozen=True)
    participant_id: str
    person_id: str


@dataclass(frozen=True)
class _Table:
    """One table of the read model as the figures read it: the row model's fields are the table's columns."""

    record: Any
    key: str
    row: type[BaseModel]

    def columns(self) -> list[Any]:
        return [getattr(self.record, name) for name in self.row.model_fields]


GROUPS = _Table(GroupRecord, "group_id", GroupRow)
PARTICIPANTS = _Table(ParticipantRecord, "participant_id", ParticipantRow)
PROJECTS = _Table(InnovationRecord, "group_id", ProjectRow)
APPEALS = _Table(end_of_year.AppealRecord, "appeal_id", AppealRow)
RESITS = _Table(end_of_year.ResitRecord, "resit_id", ResitRow)
LINKS = _Table(ParticipantPersonRecord, "participant_id", PersonLink)
TABLES = (GROUPS, PARTICIPANTS, PROJECTS, APPEALS, RESITS, LINKS)


@dataclass
class _Kept:
    stamps: dict[str, Any] = field(default_factory=dict)  # each row's last write, as the database gives it
    rows: dict[str, BaseModel] = field(default_factory=dict)

    def ordered(self) -> list[Any]:
        """The rows in their keys' order, as a query ordered by key gives them."""
        return [self.rows[key] for key in sorted(self.rows)]


@dataclass
class _Entries:
    """A group's accepted requirement actions and supervision meetings, with the count and newest ID they were read
    at."""

    mark: tuple[int, int]
    events: list[RequirementEvent]
    meetings: list[SupervisionEvent]


@dataclass
class CohortRows:
    cohort: str
    tables: dict[str, _Kept] = field(default_factory=lambda: {t.record.__tablename__: _Kept() for t in TABLES})
    entries: dict[str, _Entries] = field(default_factory=dict)  # by group ID
    audit: tuple[Any, ...] = ()  # the accepted entries' count and newest ID, and the groups, when last read
    read: int = 0  # rows and audit entries read in all (the tests read it: a refresh reads what changed)

    async def refresh(self, session: AsyncSession) -> bool:
        """Reads what changed since the last refresh; True when anything did (the first refresh reads all)."""
        stamps = await self._stamps(session)
        changed = False
        for table, found in zip(TABLES, stamps, strict=True):
            changed |= await self._refresh(session, table, found)
        # every cohort's: the audit trail has no cohort column, and any entry added changes its count
        audit = (
            *(await session.execute(select(func.count(), func.max(AuditRecord.id)).where(*_COUNTED))).one(),
            frozenset(self.tables[GROUPS.record.__tablename__].rows),  # a group new to the figures has its read
        )
        if audit != self.audit:
            changed |= await self._refresh_entries(session)
            self.audit = audit
        return changed

    async def _stamps(self, session: AsyncSession) -> list[dict[str, Any]]:
        """Each table's keys and each row's last write, in one query (a query's round trip was most of a
        refresh)."""
        union = union_all(
            *(
                # as text: the time is only compared for equality, and parsing 3,200 of them cost more than the query
                select(literal(n).label("n"), getattr(t.record, t.key), type_coerce(t.record.updated_at, String)).where(
                    t.record.cohort == self.cohort
                )
                for n, t in enumerate(TABLES)
            )
        )
        found: list[dict[str, Any]] = [{} for _ in TABLES]
        for n, key, stamp in (await session.execute(union)).all():
            found[n][key] = stamp
        return found

    async def _refresh(self, session: AsyncSession, table: _Table, stamps: dict[str, Any]) -> bool:
        kept = self.tables[table.record.__tablename__]
        key = getattr(table.record, table.key)
        new = [k for k, s in stamps.items() if kept.stamps.get(k) != s]
        gone = kept.rows.keys() - stamps.keys()
        for k in gone:
            del kept.rows[k]
        if new:
            query = select(key, *table.columns())
            # the first read (or most rows new) by the cohort's index; a few rows by their keys
            query = query.where(table.record.cohort == self.cohort if len(new) > len(stamps) // 2 else key.in_(new))
            names = list(table.row.model_fields)
            for k, *values in (await session.execute(query)).all():
                kept.rows[k] = table.row.model_validate(dict(zip(names, values, strict=True)))
                self.read += 1
        kept.stamps = stamps
        return bool(new or gone)

    async def _refresh_entries(self, session: AsyncSession) -> bool:
        groups = list(self.tables[GROUPS.record.__tablename__].rows)
        marks = {
            group: (count, newest)
            for group, count, newest in (
                await session.execute(
                    select(AuditRecord.workflow_id, func.count(), func.max(AuditRecord.id))
                    .where(AuditRecord.workflow_id.in_(groups), *_COUNTED)
                    .group_by(AuditRecord.workflow_id)
                )
            ).all()
        }
        new = [g for g, mark in marks.items() if g not in self.entries or self.entries[g].mark != mark]
        gone = self.entries.keys() - marks.keys()
        for group in gone:
            del self.entries[group]
        if new:
            read: dict[str, list[tuple[str, str | None, dict[str, Any] | None]]] = {g: [] for g in new}
            columns = AuditRecord.workflow_id, AuditRecord.action, AuditRecord.reason, AuditRecord.params
            query = select(*columns).where(AuditRecord.workflow_id.in_(new), *_COUNTED).order_by(AuditRecord.id)
            for group, action, reason, params in (await session.execute(query)).all():
                read[group].append((action, reason, params))
                self.read += 1
            for group, found in read.items():
                self.entries[group] = _Entries(marks[group], *_entries(group, found))
        return bool(new or gone)

    def groups(self) -> list[GroupRow]:
        return self._rows(GROUPS)

    def participants(self) -> list[ParticipantRow]:
        return self._rows(PARTICIPANTS)

    def projects(self) -> list[ProjectRow]:
        return self._rows(PROJECTS)

    def appeals(self) -> list[AppealRow]:
        return self._rows(APPEALS)

    def resits(self) -> list[ResitRow]:
        return self._rows(RESITS)

    def links(self) -> list[PersonLink]:
        return self._rows(LINKS)

    def events(self) -> list[RequirementEvent]:
        return [e for group in sorted(self.entries) for e in self.entries[group].events]

    def meetings(self) -> list[SupervisionEvent]:
        return [m for group in sorted(self.entries) for m in self.entries[group].meetings]

    def _rows(self, table: _Table) -> list[Any]:
        return self.tables[table.record.__tablename__].ordered()


def _entries(
    group: str, found: Iterable[tuple[str, str | None, dict[str, Any] | None]]
) -> tuple[list[RequirementEvent], list[SupervisionEvent]]:
    """A requirement action names its requirement in its parameters (an entry from before the catalogue's codes
    in its reason, "requirement 2 ..."); a meeting its date."""
    events, meetings = [], []
    for action, reason, params in found:
        given = params or {}
        if action == SUPERVISION:
            if "meeting" in given:
                meetings.append(SupervisionEvent(group_id=group, meeting=str(given["meeting"])))
        elif number := _requirement(given, reason):
            events.append(RequirementEvent(group_id=group, number=number, action=action))
    return events, meetings


def _requirement(params: dict[str, Any], reason: str | None) -> int | None:
    if isinstance(params.get("requirement"), int):
        return int(params["requirement"])
    match = _NUMBER.match(reason or "")
    return int(match[1]) if match else None
