from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from store.db import (
    create_schema,
    delete_cohort_rows,
    insert_if_absent,
    insert_if_absent_sync,
    make_engine,
    record_audit,
    upgrade_schema,
    upsert_row,
    write_whole,
)
from store.migrations import schema
from store.tables import AuditRecord, CohortRecord, GroupRecord, OutboxRecord, ParticipantRecord

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 3, 1, 12, 0, tzinfo=UTC)


def cohort(**overrides: Any) -> dict[str, Any]:
    values = {
        "cohort": "2022",
        "stage": "applications_open",
        "seed": None,
        "places": 10,
        "applications": 0,
        "admitted": 0,
        "waitlisted": 0,
        "refused": 0,
        "updated_at": NOW,
    }
    return values | overrides


def outbox(key: str = "n1:abc") -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "cohort": "2022",
        "kind": "admitted",
        "notice": "{}",
        "person_id": "staff",
        "status": "queued",
        "reason": None,
        "attempts": 0,
        "next_attempt_at": NOW,
        "created_at": NOW,
        "sent_at": None,
    }


class Audit:
    key = "cohort-2022:audit:1"
    workflow_id = "cohort-2022"
    actor = "admin"
    action = "confirm_selection"
    outcome = "refused"
    reason = "selection not drawn"
    at = NOW
    params: dict[str, str] = {}
    problems = [{"code": "cohort.selection_not_drawn", "params": {}}]


async def test_sqlite_engine_creates_its_folder_and_uses_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'new' / 'folder' / 'db.sqlite3'}")
    await create_schema(engine)
    async with engine.connect() as connection:
        mode = await connection.scalar(text("PRAGMA journal_mode"))
    await engine.dispose()
    assert mode == "wal"
    assert (tmp_path / "new" / "folder" / "db.sqlite3").exists()


async def test_upsert_inserts_then_updates_the_same_row(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        await upsert_row(session, CohortRecord, cohort())
    async with session_factory() as session, session.begin():
        await upsert_row(session, CohortRecord, cohort(stage="selected", seed="abc", admitted=10))
    async with session_factory() as session:
        rows = (await session.scalars(select(CohortRecord))).all()
    assert [(r.stage, r.seed, r.admitted, r.places) for r in rows] == [("selected", "abc", 10, 10)]


async def test_an_upsert_of_some_columns_keeps_the_others_whatever_was_written_before(
    session_factory: Sessions,
) -> None:
    """The statements are built once for each set of columns: a row written without its seed after one with it (and
    before one with every column again) overwrites only the columns it has."""
    async with session_factory() as session, session.begin():
        await upsert_row(session, CohortRecord, cohort(seed="abc"))
        await upsert_row(session, CohortRecord, {k: v for k, v in cohort(stage="selected").items() if k != "seed"})
        await upsert_row(session, CohortRecord, cohort(cohort="2023", places=20))
    async with session_factory() as session:
        rows = (await session.scalars(select(CohortRecord).order_by(CohortRecord.cohort))).all()
    assert [(r.cohort, r.stage, r.seed, r.places) for r in rows] == [
        ("2022", "selected", "abc", 10),
        ("2023", "applications_open", None, 20),
    ]


async def test_a_value_for_no_column_is_refused_by_name_and_nothing_is_written(session_factory: Sessions) -> None:
    for write in (
        lambda session: upsert_row(session, CohortRecord, cohort(stagee="selected")),
        lambda session: insert_if_absent(session, OutboxRecord, outbox() | {"kindd": "admitted"}),
    ):
        with pytest.raises(ValueError, match="has no column (stagee|kindd)"):
            async with session_factory() as session, session.begin():
                await write(session)
    async with session_factory() as session:
        cohorts = await session.scalar(select(func.count()).select_from(CohortRecord))
        letters = await session.scalar(select(func.count()).select_from(OutboxRecord))
    assert (cohorts, letters) == (0, 0)


async def test_insert_if_absent_tells_new_from_existing(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        first = await insert_if_absent(session, OutboxRecord, outbox())
        again = await insert_if_absent(session, OutboxRecord, outbox() | {"kind": "changed"})
    async with session_factory() as session:
        row = await session.get_one(OutboxRecord, "n1:abc")
    assert (first, again, row.kind) == (True, False, "admitted")


async def test_helpers_leave_the_commit_to_the_caller(session_factory: Sessions) -> None:
    async with session_factory() as session:
        await record_audit(session, Audit())
        await upsert_row(session, CohortRecord, cohort())
        await session.rollback()
    async with session_factory() as session:
        audit = await session.scalar(select(func.count()).select_from(AuditRecord))
        cohorts = await session.scalar(select(func.count()).select_from(CohortRecord))
    assert (audit, cohorts) == (0, 0)


async def test_audit_row_keeps_its_fields(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        await record_audit(session, Audit())
    async with session_factory() as session:
        row = await session.scalar(select(AuditRecord))
    assert row is not None
    assert (row.workflow_id, row.outcome, row.reason, row.at) == ("cohort-2022", "refused", "selection not drawn", NOW)
    assert (row.params, row.problems) == (None, [{"code": "cohort.selection_not_drawn", "params": {}}])


async def test_a_database_from_before_the_audit_kept_codes_gets_their_columns(tmp_path: Path) -> None:
    """An `audit` table made before `params` and `problems` existed gets them, its rows kept."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE audit (id INTEGER PRIMARY KEY, idempotency_key VARCHAR UNIQUE, workflow_id VARCHAR, "
                "actor VARCHAR, action VARCHAR, outcome VARCHAR, reason TEXT, at DATETIME)"
            )
        )
        await connection.execute(
            text("INSERT INTO audit VALUES (1, 'k:audit:1', 'k', 'admin', 'apply', 'accepted', 'old text', :at)"),
            {"at": NOW.replace(tzinfo=None)},
        )
    await upgrade_schema(engine)  # `starter.py db upgrade`: the baseline migration adopts the old tables
    await create_schema(engine)  # then a start goes ahead
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    entry = Audit()
    entry.params = {"seed": "kull-2022"}
    async with sessions() as session, session.begin():
        await record_audit(session, entry)
    async with sessions() as session:
        rows = (await session.scalars(select(AuditRecord).order_by(AuditRecord.id))).all()
    await engine.dispose()
    assert [(r.reason, r.params) for r in rows] == [("old text", None), ("selection not drawn", {"seed": "kull-2022"})]


async def test_the_same_audit_entry_recorded_twice_is_one_row(session_factory: Sessions) -> None:
    """A retried activity records its entries again: the key keeps one row, and tells the retry nothing was new."""
    later = Audit()
    later.key, later.reason = "cohort-2022:audit:2", "another action at the same moment"
    async with session_factory() as session, session.begin():
        first = [await record_audit(session, entry) for entry in (Audit(), later)]
    async with session_factory() as session, session.begin():
        retried = [await record_audit(session, entry) for entry in (Audit(), later)]
    async with session_factory() as session:
        rows = (await session.scalars(select(AuditRecord).order_by(AuditRecord.id))).all()
    assert (first, retried) == ([True, True], [False, False])
    assert [(r.idempotency_key, r.reason) for r in rows] == [
        ("cohort-2022:audit:1", "selection not drawn"),
        ("cohort-2022:audit:2", "another action at the same moment"),
    ]


async def test_datetimes_are_stored_in_utc_and_read_back_aware(session_factory: Sessions) -> None:
    oslo = datetime(2022, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    async with session_factory() as session, session.begin():
        await upsert_row(session, CohortRecord, cohort(updated_at=oslo))
    async with session_factory() as session:
        row = await session.get_one(CohortRecord, "2022")
    assert row.updated_at == NOW
    assert row.updated_at.tzinfo == UTC


async def test_naive_datetimes_are_refused(session_factory: Sessions) -> None:
    async with session_factory() as session:
        with pytest.raises(StatementError, match="naive datetime"):
            await upsert_row(session, CohortRecord, cohort(updated_at=datetime(2022, 3, 1)))


async def test_deleting_a_cohort_leaves_a_cohort_whose_name_it_prefixes(session_factory: Sessions) -> None:
    keys = [
        "kull-2022:received:a1",
        "kull-2022.gruppe-0301:admitted:b2",
        "kull-20221:received:c3",
        "kull-2022_x:received:d4",
    ]
    async with session_factory() as session, session.begin():
        for name in ("2022", "20221"):
            await upsert_row(session, CohortRecord, cohort(cohort=name))
        for key in keys:
            await insert_if_absent(session, OutboxRecord, outbox(key))
        for workflow_id in ("kull-2022", "kull-2022.gruppe-0301.deltaker-1", "kull-20221"):
            entry = Audit()
            entry.workflow_id, entry.key = workflow_id, f"{workflow_id}:audit:1"
            await record_audit(session, entry)
    async with session_factory() as session, session.begin():
        await delete_cohort_rows(session, "2022", "kull-2022")
    async with session_factory() as session:
        assert (await session.scalars(select(CohortRecord.cohort))).all() == ["20221"]
        assert sorted((await session.scalars(select(OutboxRecord.idempotency_key))).all()) == keys[2:]
        assert (await session.scalars(select(AuditRecord.workflow_id))).all() == ["kull-20221"]


async def test_writers_that_hold_sqlite_longer_than_its_busy_timeout_all_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy worker an activity's write transaction can stay open for a while (its coroutine waits for the
    event loop). Twelve such writers at once hold the lock longer than SQLite's busy timeout (5 s here) in all: they
    must queue for the connection, not fail with "database is locked"."""
    monkeypatch.setattr(schema, "WRITE_WAIT_MS", 5_000)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def slow_write(n: int) -> None:
        async with sessions() as session, session.begin():
            await insert_if_absent(session, OutboxRecord, outbox(f"n{n}:abc"))
            await asyncio.sleep(0.5)

    await asyncio.gather(*(slow_write(n) for n in range(12)))
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxRecord)) == 12
    await engine.dispose()


def _write_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("sqlite-writes")}


async def test_a_disposed_engine_ends_its_whole_writes_thread_and_a_later_write_still_lands(tmp_path: Path) -> None:
    """Every test, CLI and the worker dispose of their engine at the end: the thread and the connection the whole
    writes keep for a SQLite file end with it (CI's thread dump showed one left behind per test's engine); an engine
    used again after its disposal gets new ones."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    await create_schema(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    before = _write_threads()
    for n in range(3):
        row = outbox(f"n{n}:a")

        def queue(session: Session, row: dict[str, Any] = row) -> bool:
            return insert_if_absent_sync(session, OutboxRecord, row)

        await write_whole(sessions, queue)
        started = _write_threads() - before
        assert len(started) == 1
        await engine.dispose()
        for thread in started:
            thread.join(timeout=30)  # it ends once its queue says so; the bound only keeps a broken build from hanging
            assert not thread.is_alive()
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxRecord)) == 3
    await engine.dispose()


async def test_a_read_model_from_before_the_inbox_columns_gets_them(tmp_path: Path) -> None:
    """A `groups` and a `participants` table made before the rows carried the release, the requirements, what is
    pending, and how a participant ended: each column is added once, the old rows kept with its default."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE groups (group_id VARCHAR PRIMARY KEY, cohort VARCHAR, application_id VARCHAR, "
                "municipalities VARCHAR, region VARCHAR, size VARCHAR, outcome VARCHAR, stage VARCHAR, "
                "requirements_approved INTEGER, written_grade VARCHAR, updated_at DATETIME)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO groups VALUES ('g', '2022', '0301', '0301', 'east', 'large', 'admitted', 'programme', "
                "1, NULL, :at)"
            ),
            {"at": NOW.replace(tzinfo=None)},
        )
        await connection.execute(
            text(
                "CREATE TABLE participants (participant_id VARCHAR PRIMARY KEY, group_id VARCHAR, cohort VARCHAR, "
                "sector VARCHAR, track VARCHAR, stage VARCHAR, attendance_days INTEGER, requirements_approved INTEGER, "
                "withdrawn BOOLEAN, non_participating BOOLEAN, exam_eligible BOOLEAN, written_grade VARCHAR, "
                "oral_adjustment INTEGER, final_grade VARCHAR, credits INTEGER, certificate VARCHAR, "
                "updated_at DATETIME)"
            )
        )
    await upgrade_schema(engine)  # `starter.py db upgrade`: the baseline migration adopts the old tables
    await create_schema(engine)  # then a start goes ahead
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session:
        group = await session.scalar(select(GroupRecord))
        columns = set((await session.execute(select(*ParticipantRecord.__table__.columns))).keys())
    await engine.dispose()
    assert group is not None
    assert (group.written_submitted, group.published_at, group.requirements, group.pending) == (False, None, None, None)
    assert {"replaced", "end_reason"} <= columns
