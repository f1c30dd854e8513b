"""Engine, session factory and schema, plus data helpers that take a session and never commit.

The engine and session factory are built once where the worker is wired; each activity owns its unit of
work (`async with factory() as s, s.begin():`) and hands the session to these helpers.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sqlite3
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import ColumnElement, Connection, Engine, Table, create_engine, delete, event, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

from runtime.files import PRIVATE_FILE, new_dirs_private
from store import documents as _document_tables  # their tables, to delete a cohort's rows
from store import end_of_year as _end_of_year_tables
from store import explanations as _explanation_tables
from store.migrations import schema
from store.migrations.schema import SchemaState
from store.tables import (
    AuditRecord,
    Base,
    CohortRecord,
    GroupRecord,
    OutboxRecord,
    ParticipantPersonRecord,
    ParticipantRecord,
)


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    """The read model's engine; `pool_size` and `max_overflow` size PostgreSQL's pool (NIS_DATABASE_POOL_SIZE,
    NIS_DATABASE_MAX_OVERFLOW): the worker's activities, the relay and the web app each hold a connection at once."""
    # hide_parameters: database errors end up in logs and Temporal failures; bound values may be e-mails
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(
            url, pool_pre_ping=True, hide_parameters=True, pool_size=pool_size, max_overflow=max_overflow
        )
    database = parsed.database or ""
    on_disk = _on_disk(parsed)
    if on_disk and not database.startswith("file:"):
        _create_private(Path(database))
    # SQLite has one writer at a time. Many pooled connections in one worker only fight over its lock, and a
    # transaction that loses long enough fails with "database is locked"; one connection queues them in order.
    pool: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60} if on_disk else {}
    engine = create_async_engine(url, hide_parameters=True, **pool)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _on_disk(url: URL) -> bool:
    return bool(url.database) and url.database != ":memory:"


T = TypeVar("T")


@dataclass(frozen=True)
class _WholeWrites:
    """A SQLite file's second engine, for `write_whole`: the same file through the plain driver, its one connection
    used by one thread of its own, so the writes queue there in order and no other work's threads wait for them."""

    engine: Engine
    thread: ThreadPoolExecutor


_WHOLE_WRITES: weakref.WeakKeyDictionary[Engine, _WholeWrites] = weakref.WeakKeyDictionary()


async def write_whole(sessions: async_sessionmaker[AsyncSession], work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction. On a SQLite file it runs whole on a thread of its own: through the async driver
    every statement waits for the event loop with SQLite's one write lock held, and on a worker whose workflow tasks
    keep the loop busy another process's write then waited past the busy timeout ("database is locked", the national
    year). PostgreSQL locks rows, not the database: there the work runs on the session's own connection."""
    whole = _whole_writes(sessions.kw["bind"])
    if whole is None:
        async with sessions() as session, session.begin():
            return await session.run_sync(work)
    return await asyncio.get_running_loop().run_in_executor(whole.thread, _run_whole, whole.engine, work)


def _run_whole(engine: Engine, work: Callable[[Session], T]) -> T:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        return work(session)


def _whole_writes(engine: AsyncEngine) -> _WholeWrites | None:
    if engine.url.get_backend_name() != "sqlite" or not _on_disk(engine.url):
        return None  # PostgreSQL; or SQLite in memory, a database of its one connection's own
    served = engine.sync_engine
    if served not in _WHOLE_WRITES:
        threaded = create_engine(
            engine.url.set(drivername="sqlite+pysqlite"),
            hide_parameters=True,
            pool_size=1,
            max_overflow=0,
            connect_args={"check_same_thread": False},  # made on the thread that asks first, used on the writes' own
        )
        event.listen(threaded, "connect", _sqlite_pragmas)
        whole = _WholeWrites(threaded, ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writes"))
        # closed with the engine it serves: when that is disposed (the worker's and each test's end), or else collected
        if not event.contains(served, "engine_disposed", _served_disposed):
            event.listen(served, "engine_disposed", _served_disposed)
        weakref.finalize(served, _close, whole)
        _WHOLE_WRITES[served] = whole
    return _WHOLE_WRITES[served]


def _served_disposed(served: Engine) -> None:
    whole = _WHOLE_WRITES.pop(served, None)  # a disposed engine may be used again: it then gets a new one
    if whole is not None:
        _close(whole)


def _close(whole: _WholeWrites) -> None:
    whole.thread.shutdown(wait=False)  # its thread ends once the writes already queued are done
    whole.engine.dispose()


def _create_private(database: Path) -> None:
    """An empty database file 0600 before SQLite opens it (its journal, WAL and shared-memory files take the
    database's mode): the read model holds personal data. A fresh checkout has no data folder yet (SQLite would fail
    with "unable to open database file"): made 0700; an existing folder, maybe named in NIS_DATABASE_URL, keeps its
    mode."""
    new_dirs_private(database.parent)
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass  # an existing database (or one another process just made) is opened as it is


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets dashboards read while the worker writes; the busy timeout rides out other processes' writes. WAL is kept
    # in the file: when processes open a new file together, the one that cannot switch it (SQLite answers "locked"
    # at once, without waiting) finds it switched by the one that holds the lock
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={schema.WRITE_WAIT_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
    cursor.close()


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # values stay readable after commit, so an activity can build its result outside the transaction
    return async_sessionmaker(engine, expire_on_commit=False)


class SchemaBehind(SQLAlchemyError, RuntimeError):
    """The database is not at the code's revision (or is empty, where this process may not create it; or a newer
    release migrated it). A database error to the commands and the web app, which say so and stop, as when the
    database cannot be reached."""

    def __init__(self, found: SchemaState) -> None:
        self.state = found
        if found.ahead:
            super().__init__(
                f"databasen er på revisjon {found.current}, som denne koden ikke kjenner (den trenger {found.head}): "
                "en nyere utgave har oppgradert den; start den utgaven"
            )
            return
        where = f"på revisjon {found.current}" if found.current else "uten revisjon (tom, eller laget før migreringer)"
        super().__init__(
            f"databasen er {where}, koden trenger {found.head}: kjør `python starter.py db upgrade` "
            "(mot NIS_DATABASE_URL) og start på nytt"
        )


# alembic's `context` (where env.py finds its connection) is one global per process, and SQLAlchemy runs a
# migration on the event loop's thread, switching to other coroutines at every statement: two databases brought
# forward at once in one process (the chaos bench's two runs) ran one's migrations on the other's connection
# ("table accounts already exists"). They take turns, by a lock of the loop they run on.
_MIGRATING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _one_migration_at_a_time() -> asyncio.Lock:
    return _MIGRATING.setdefault(asyncio.get_running_loop(), asyncio.Lock())


async def create_schema(engine: AsyncEngine) -> None:
    """Check at start that the schema is the code's. An empty SQLite database (the demo's and the tests' file, made
    from nothing) is created here, by the one process that takes its write lock first; any other database behind
    is refused (SchemaBehind): `starter.py db upgrade` brings it forward, never a worker on its own."""
    async with _one_migration_at_a_time(), engine.connect() as connection:
        await connection.run_sync(_ready)
        await connection.commit()


def _ready(connection: Connection) -> None:
    found = schema.state(connection)
    if found.up_to_date:
        return
    if not (found.empty and connection.dialect.name == "sqlite"):
        raise SchemaBehind(found)
    schema.lock(connection)
    found = schema.state(connection)  # another process may have created it while this one waited
    if found.empty:
        schema.upgrade(connection)
    elif not found.up_to_date:
        raise SchemaBehind(found)


async def schema_state(engine: AsyncEngine) -> SchemaState:
    async with engine.connect() as connection:
        return await connection.run_sync(schema.state)


async def upgrade_schema(engine: AsyncEngine) -> tuple[SchemaState, SchemaState]:
    """`starter.py db upgrade`: bring the schema to the code's revision (an empty database, one made before
    migrations, one at an older revision); concurrent upgrades take turns. The states before and after."""
    async with _one_migration_at_a_time(), engine.connect() as connection:
        states = await connection.run_sync(_upgrade)
        await connection.commit()
    return states


def _upgrade(connection: Connection) -> tuple[SchemaState, SchemaState]:
    schema.lock(connection)
    before = schema.state(connection)
    if before.ahead:
        raise SchemaBehind(before)
    if not before.up_to_date:
        schema.upgrade(connection)
    return before, schema.state(connection)


def _insert(dialect: str, table: Table) -> Any:
    # ON CONFLICT is dialect syntax; both dialects' inserts share the same API from here on
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for dialect {dialect}")


def _primary_key(table: Table) -> list[str]:
    return [column.name for column in table.primary_key]


# The statements are built once for each table and set of columns and given the values when they run: built for each
# row (`.values(...)`, `excluded`, a cache key over the values) they were half of the effects activity's CPU in the
# national year (bench/store_writes.py). On the Core table, not the ORM class: the ORM's bulk path added its own.
@functools.lru_cache(maxsize=256)
def _upsert_statement(dialect: str, table: Table, columns: frozenset[str]) -> Any:
    keys = _primary_key(table)
    statement = _insert(dialect, table)
    changes = {name: statement.excluded[name] for name in sorted(columns) if name not in keys}
    if changes:
        return statement.on_conflict_do_update(index_elements=keys, set_=changes)
    return statement.on_conflict_do_nothing(index_elements=keys)


@functools.lru_cache(maxsize=256)
def _insert_if_absent_statement(dialect: str, table: Table, unique: tuple[str, ...]) -> Any:
    keys = _primary_key(table)
    statement = _insert(dialect, table).on_conflict_do_nothing(index_elements=list(unique) or keys)
    # RETURNING tells inserted from skipped on both backends; rowcount is not reliable for that everywhere
    return statement.returning(*(table.c[name] for name in keys))


def _table(session: Session, table_model: type[Base], values: Mapping[str, Any]) -> tuple[str, Table]:
    """The dialect and the table, once every value names one of its columns (a statement given other values would
    drop them without a word)."""
    table = cast(Table, table_model.__table__)
    unknown = values.keys() - table.c.keys()
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")
    return session.get_bind().dialect.name, table


# Each helper is written once, on a plain session (`write_whole` runs them in a thread); an async caller awaits the
# same code through `run_sync`.
def upsert_row_sync(session: Session, table_model: type[Base], values: Mapping[str, Any]) -> None:
    """Insert the row, or overwrite the given columns of the row with the same primary key."""
    dialect, table = _table(session, table_model, values)
    session.execute(_upsert_statement(dialect, table, frozenset(values)), dict(values))


async def upsert_row(session: AsyncSession, table_model: type[Base], values: Mapping[str, Any]) -> None:
    await session.run_sync(upsert_row_sync, table_model, values)


def insert_if_absent_sync(
    session: Session, table_model: type[Base], values: Mapping[str, Any], unique: Sequence[str] = ()
) -> bool:
    """Insert the row unless one with the same primary key (or the same `unique` columns) exists; True if inserted."""
    dialect, table = _table(session, table_model, values)
    statement = _insert_if_absent_statement(dialect, table, tuple(unique))
    return session.execute(statement, dict(values)).first() is not None


async def insert_if_absent(
    session: AsyncSession, table_model: type[Base], values: Mapping[str, Any], unique: Sequence[str] = ()
) -> bool:
    return await session.run_sync(insert_if_absent_sync, table_model, values, unique)


class AuditFields(Protocol):
    """What an audit entry carries; `activities.models.AuditEntry` fits, without store depending on it."""

    @property
    def key(self) -> str: ...
    @property
    def workflow_id(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def at(self) -> datetime: ...
    @property
    def params(self) -> Mapping[str, Any]: ...
    @property
    def problems(self) -> Sequence[Mapping[str, Any]]: ...


def record_audit_sync(session: Session, entry: AuditFields) -> bool:
    """Record the entry unless its key is recorded already (a retried activity); True if it is new."""
    values = {
        "idempotency_key": entry.key,
        "workflow_id": entry.workflow_id,
        "actor": entry.actor,
        "action": entry.action,
        "outcome": entry.outcome,
        "reason": entry.reason,
        "at": entry.at,
        "params": dict(entry.params) or None,
        "problems": [dict(problem) for problem in entry.problems] or None,
    }
    return insert_if_absent_sync(session, AuditRecord, values, unique=["idempotency_key"])


async def record_audit(session: AsyncSession, entry: AuditFields) -> bool:
    return await session.run_sync(record_audit_sync, entry)


def under_workflow(column: Any, workflow_id: str) -> ColumnElement[bool]:
    """Rows of a workflow and of those whose IDs it derives (`kull-2022` -> `kull-2022.gruppe-0301...`): audit rows
    by workflow ID, outbox rows by their `<workflow id>:<event>` key. `kull-20221` is another cohort."""
    return or_(
        column == workflow_id,
        column.startswith(f"{workflow_id}.", autoescape=True),
        column.startswith(f"{workflow_id}:", autoescape=True),
    )


async def delete_cohort_rows(session: AsyncSession, cohort: str, cohort_workflow_id: str) -> None:
    """Remove one cohort from the read model, the outbox and the audit trail (a demo started over)."""
    for table in (
        CohortRecord,
        GroupRecord,
        ParticipantRecord,
        ParticipantPersonRecord,
        _end_of_year_tables.AppealRecord,
        _end_of_year_tables.ResitRecord,
        _explanation_tables.ExplanationRecord,
        _document_tables.DocumentRecord,
    ):
        await session.execute(delete(table).where(table.cohort == cohort))
    await session.execute(delete(OutboxRecord).where(under_workflow(OutboxRecord.idempotency_key, cohort_workflow_id)))
    await session.execute(delete(AuditRecord).where(under_workflow(AuditRecord.workflow_id, cohort_workflow_id)))
