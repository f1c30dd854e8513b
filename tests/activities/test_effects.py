from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.effects import EffectsActivities
from activities.models import (
    AuditEntry,
    CohortRow,
    GroupDetailRow,
    GroupRow,
    OfferRow,
    OfferState,
    ParticipantRow,
    ProjectInput,
    SendNoticeInput,
    WriteEffectsInput,
)
from domain.lifecycle import Outcome
from domain.offers import Answer
from gateway.queries import written_group_detail, written_offer
from store.db import create_schema, make_engine, make_session_factory
from store.tables import (
    AuditRecord,
    CohortRecord,
    GroupRecord,
    OutboxRecord,
    ParticipantPersonRecord,
    ParticipantRecord,
)
from tests.activities.sqlite_lock import other_process_writes
from workflows import notices as n
from workflows.effects import Effects
from workflows.messages import GroupDetail

Sessions = async_sessionmaker[AsyncSession]


def group(**overrides: object) -> GroupRow:
    values = {
        "group_id": "2022-0301",
        "cohort": "2022",
        "application_id": "0301",
        "municipalities": "0301",
        "region": "Østlandet",
        "size": "large",
        "outcome": "applied",
        "stage": "applied",
    }
    return GroupRow.model_validate(values | overrides)


def participant(n: int = 0, **overrides: object) -> ParticipantRow:
    values = {
        "participant_id": f"2022-0301-p{n}",
        "group_id": "2022-0301",
        "cohort": "2022",
        "sector": "helse_omsorg",
        "track": "student",
        "stage": "admitted",
    }
    return ParticipantRow.model_validate(values | overrides)


async def test_project_inserts_then_updates_rows(session_factory: Sessions) -> None:
    activities, env = EffectsActivities(session_factory), ActivityEnvironment()
    first = ProjectInput(
        cohort=CohortRow(cohort="2022", stage="open", places=10),
        groups=[group()],
        participants=[participant(0), participant(1)],
    )
    assert (await env.run(activities.write, WriteEffectsInput(rows=first))).rows == 4
    later = ProjectInput(
        groups=[group(outcome="admitted", stage="studying", requirements_approved=2)],
        participants=[participant(1, attendance_days=3, exam_eligible=True)],
    )
    assert (await env.run(activities.write, WriteEffectsInput(rows=later))).rows == 2
    async with session_factory() as session:
        cohort = await session.get_one(CohortRecord, "2022")
        stored_group = await session.get_one(GroupRecord, "2022-0301")
        people = (await session.scalars(select(ParticipantRecord).order_by(ParticipantRecord.participant_id))).all()
    assert (cohort.stage, cohort.places) == ("open", 10)
    assert (stored_group.outcome, stored_group.requirements_approved) == ("admitted", 2)
    assert [(p.attendance_days, p.exam_eligible) for p in people] == [(0, False), (3, True)]
    assert people[1].updated_at > people[0].updated_at


def test_a_group_outcome_outside_the_list_is_refused() -> None:
    with pytest.raises(ValidationError):
        group(outcome="maybe")


async def test_audit_entries_are_written(session_factory: Sessions) -> None:
    at = datetime(2022, 6, 1, 9, 30, tzinfo=UTC)
    entries = [
        AuditEntry(
            key="kull-2022:audit:1",
            workflow_id="kull-2022",
            actor="admin",
            action="confirm_selection",
            outcome="accepted",
            at=at,
        ),
        AuditEntry(
            key="kull-2022:refused:9f2c",
            workflow_id="kull-2022",
            actor="admin",
            action="open_cohort",
            outcome="refused",
            reason="already open",
            at=at,
        ),
    ]
    write = EffectsActivities(session_factory).write
    result = await ActivityEnvironment().run(write, WriteEffectsInput(audit=entries))
    retried = await ActivityEnvironment().run(write, WriteEffectsInput(audit=entries))  # its result was lost
    async with session_factory() as session:
        rows = (await session.scalars(select(AuditRecord).order_by(AuditRecord.id))).all()
    assert (result.audited, retried.audited) == (2, 0)
    assert [(r.action, r.outcome, r.reason, r.at) for r in rows] == [
        ("confirm_selection", "accepted", None, at),
        ("open_cohort", "refused", "already open", at),
    ]


async def test_a_participants_person_id_is_kept_apart_from_its_row(session_factory: Sessions) -> None:
    activities, env = EffectsActivities(session_factory), ActivityEnvironment()
    person = "p" + "ab" * 10
    await env.run(
        activities.write, WriteEffectsInput(rows=ProjectInput(participants=[participant(0, person_id=person)]))
    )
    async with session_factory() as session:
        link = await session.get_one(ParticipantPersonRecord, "2022-0301-p0")
        row = await session.get_one(ParticipantRecord, "2022-0301-p0")
    assert (link.person_id, link.cohort) == (person, "2022")
    assert "person_id" not in ParticipantRecord.__table__.columns and row.sector == "helse_omsorg"


def _one_of_each(person: str) -> WriteEffectsInput:
    notice = SendNoticeInput(key="kull-2022:withdrawn", notice=n.Withdrawn(cohort="2022"), recipients=[person])
    entry = AuditEntry(
        key="kull-2022:audit:1",
        workflow_id="kull-2022",
        actor="admin",
        action="withdraw_participant",
        outcome="accepted",
        at=datetime(2022, 6, 1, 9, 30, tzinfo=UTC),
    )
    return WriteEffectsInput(notices=[notice], audit=[entry], rows=ProjectInput(groups=[group()]))


async def test_the_write_is_one_transaction_and_a_retry_inserts_nothing_twice(session_factory: Sessions) -> None:
    person = "p" + "cd" * 10
    write, env = EffectsActivities(session_factory).write, ActivityEnvironment()
    unnamed = GroupRow.model_construct(**(group().model_dump() | {"group_id": "2022-0302", "region": None}))
    broken = _one_of_each(person).model_copy(update={"rows": ProjectInput(groups=[group(), unnamed])})
    with pytest.raises(IntegrityError):  # the second row breaks a NOT NULL column: the letters and the audit go too
        await env.run(write, broken)
    async with session_factory() as session:
        assert (await session.scalars(select(OutboxRecord))).all() == []
        assert (await session.scalars(select(AuditRecord))).all() == []
    first = await env.run(write, _one_of_each(person))
    again = await env.run(write, _one_of_each(person))  # the result of the first was lost
    assert (first.queued, first.audited, first.rows) == (1, 1, 1)
    assert (again.queued, again.audited) == (0, 0)
    async with session_factory() as session:
        assert len((await session.scalars(select(OutboxRecord))).all()) == 1
        assert len((await session.scalars(select(AuditRecord))).all()) == 1


def test_a_flush_leaves_out_the_rows_written_last_time() -> None:
    effects = Effects()
    rows = ProjectInput(cohort=CohortRow(cohort="2022", stage="open"), groups=[group()], participants=[participant(0)])
    assert effects.changed_rows(rows) == rows  # nothing written yet: all of them
    effects.remember(rows)
    assert effects.changed_rows(rows) == ProjectInput()  # a second identical flush writes nothing
    moved = rows.model_copy(update={"groups": [group(stage="admitted")]})
    assert effects.changed_rows(moved) == ProjectInput(groups=[group(stage="admitted")])


def detail_row(as_of: datetime, **overrides: object) -> GroupDetailRow:
    values = {
        "group_workflow_id": "kull-2022.gruppe-0301",
        "application_id": "0301",
        "municipalities": ["0301"],
        "outcome": "admitted",
        "stage": "programme",
        "requirements": [],
        "written_submitted": False,
        "written_grade": None,
        "written_missed": False,
        "members": [],
        "pending_actions": [],
        "admin_actions": 3,
    }
    detail = GroupDetail.model_validate(values | overrides)
    return GroupDetailRow(group_id="kull-2022.gruppe-0301", detail=detail, as_of=as_of)


async def test_the_group_pages_row_is_written_when_it_changes_and_read_as_of_its_task(
    session_factory: Sessions,
) -> None:
    """A later task with the same detail writes nothing (the row's time is not a change). The page's reader takes the
    row unless it sent the group an action at or after the task that made the row began: then the row may lack it."""
    effects, env = Effects(), ActivityEnvironment()
    first = ProjectInput(details=[detail_row(datetime(2026, 12, 5, 10, tzinfo=UTC))])
    assert effects.changed_rows(first) == first
    effects.remember(first)
    assert effects.changed_rows(ProjectInput(details=[detail_row(datetime(2026, 12, 5, 11, tzinfo=UTC))])) == (
        ProjectInput()
    )
    later = ProjectInput(details=[detail_row(datetime(2026, 12, 5, 12, tzinfo=UTC), admin_actions=4)])
    assert effects.changed_rows(later) == later

    write = EffectsActivities(session_factory).write
    for rows in (first, later):
        assert (await env.run(write, WriteEffectsInput(rows=rows))).rows == 1
    group_id = "kull-2022.gruppe-0301"
    shown = await written_group_detail(session_factory, group_id)
    assert shown == later.details[0].detail and shown is not None and shown.admin_actions == 4
    assert await written_group_detail(session_factory, group_id, datetime(2026, 12, 5, 11, 59, tzinfo=UTC)) == shown
    assert await written_group_detail(session_factory, group_id, datetime(2026, 12, 5, 12, tzinfo=UTC)) is None
    assert await written_group_detail(session_factory, "kull-2022.gruppe-9999") is None  # none written yet


def offer_row(as_of: datetime, **offer: object) -> OfferRow:
    state = OfferState.model_validate({"outcome": "admitted", "answer_by": datetime(2026, 12, 20, tzinfo=UTC)} | offer)
    return OfferRow(group_id="kull-2022.gruppe-0301", cohort="2022", offer=state, as_of=as_of)


async def test_an_offers_row_is_written_when_the_cohort_changes_it_and_read_as_of_its_task(
    session_factory: Sessions,
) -> None:
    """The cohort writes a group's offer only when its outcome, deadline or answer changes, as the group's detail; the
    page's reader takes it unless it sent the cohort an action at or after the task that made it began."""
    effects, env = Effects(), ActivityEnvironment()
    first = ProjectInput(offers=[offer_row(datetime(2026, 12, 5, 10, tzinfo=UTC))])
    assert effects.changed_rows(first) == first
    effects.remember(first)
    assert effects.changed_rows(ProjectInput(offers=[offer_row(datetime(2026, 12, 5, 11, tzinfo=UTC))])) == (
        ProjectInput()
    )
    accepted = ProjectInput(offers=[offer_row(datetime(2026, 12, 5, 12, tzinfo=UTC), answered="accept")])
    assert effects.changed_rows(accepted) == accepted

    write = EffectsActivities(session_factory).write
    for rows in (first, accepted):
        assert (await env.run(write, WriteEffectsInput(rows=rows))).rows == 1
    group_id = "kull-2022.gruppe-0301"
    shown = await written_offer(session_factory, group_id)
    assert shown == OfferState(
        outcome=Outcome.ADMITTED, answer_by=datetime(2026, 12, 20, tzinfo=UTC), answered=Answer.ACCEPT
    )
    assert await written_offer(session_factory, group_id, datetime(2026, 12, 5, 11, 59, tzinfo=UTC)) == shown
    assert await written_offer(session_factory, group_id, datetime(2026, 12, 5, 12, tzinfo=UTC)) is None
    assert await written_offer(session_factory, "kull-2022.gruppe-9999") is None  # none written yet


async def test_another_process_writes_while_the_effects_write_waits_for_a_busy_event_loop(tmp_path: Path) -> None:
    """The worker's event loop busy in 0.4 s stretches (a workflow task's worth of Python each), while an effects
    write of 40 rows is under way. Through the async driver every statement waited for the loop with SQLite's write
    lock held, seconds in all; another process's write (the web app assigning a supervisor) waiting 1.5 s for the lock
    failed with "database is locked". The write runs whole on a thread of its own: the other writer waits
    milliseconds."""
    database = tmp_path / "readmodel.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    await create_schema(engine)
    sessions = make_session_factory(engine)
    effects = WriteEffectsInput(
        rows=ProjectInput(participants=[participant(n) for n in range(30)]),
        audit=[
            AuditEntry(
                key=f"kull-2022:audit:{n}",
                workflow_id="kull-2022",
                actor="admin",
                action="a",
                outcome="accepted",
                at=datetime(2026, 12, 6, tzinfo=UTC),
            )
            for n in range(10)
        ],
    )
    loop_busy = threading.Event()

    async def busy_event_loop() -> None:
        for _ in range(8):
            time.sleep(0.4)  # blocks the loop, as the worker's own work does
            await asyncio.sleep(0)
        loop_busy.set()

    other = asyncio.create_task(asyncio.to_thread(other_process_writes, database, 1.5, loop_busy))
    written, _ = await asyncio.gather(
        ActivityEnvironment().run(EffectsActivities(sessions).write, effects), busy_event_loop()
    )
    refused = await other
    async with sessions() as session:
        landed = await session.scalar(select(func.count()).select_from(ParticipantRecord))
    await engine.dispose()
    assert (written.rows, written.audited, landed) == (30, 10, 30)
    assert refused == []
