"""The read model's migrations (alembic), on SQLite and on PostgreSQL (a fresh database per test, dropped after):
they make exactly what the code maps, they bring forward a database the last release made, and a start refuses a
database that is behind instead of changing it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import SchemaBehind, create_schema, make_engine, make_session_factory, schema_state, upgrade_schema
from store.end_of_year import ResitRecord
from store.migrations.schema import head, target_metadata
from store.tables import CohortRecord
from tests.store.schema_fixtures import differences, last_release


async def test_the_migrations_make_exactly_the_tables_the_code_maps(engine: AsyncEngine) -> None:
    before, after = await upgrade_schema(engine)
    assert (before.current, before.empty) == (None, True)
    assert (after.current, after.up_to_date) == (head(), True)
    assert {table.name for table in target_metadata().sorted_tables} == after.tables
    assert await differences(engine) == []


async def test_an_upgrade_of_an_up_to_date_database_changes_nothing(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)
    before, after = await upgrade_schema(engine)
    assert before == after
    assert before.up_to_date


async def test_the_last_releases_database_is_refused_at_start_then_upgraded_with_its_rows(engine: AsyncEngine) -> None:
    await last_release(engine)
    with pytest.raises(SchemaBehind) as refused:
        await create_schema(engine)  # what the worker and the web app do at start
    assert "kjør `python starter.py db upgrade`" in str(refused.value)
    assert (await schema_state(engine)).current is None  # the start changed nothing

    before, after = await upgrade_schema(engine)
    assert (before.current, after.current) == (None, head())
    assert await differences(engine) == []
    await create_schema(engine)  # now a start goes ahead
    async with make_session_factory(engine)() as session:
        cohort = await session.get(CohortRecord, "2022")
        resit = await session.scalar(select(ResitRecord))
    assert cohort is not None and (cohort.seed, cohort.admitted) == ("kull-2022", 12)
    assert cohort.updated_at == datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert resit is not None and resit.grade_before == "F"


async def test_an_older_release_gets_the_columns_it_lacked_and_a_postponed_resit_fits(engine: AsyncEngine) -> None:
    """Made before the audit kept codes and before a re-sit could follow a postponed exam: `audit` without params
    and problems, `resits.grade_before` required. The upgrade adds the columns and lets grade_before be empty."""
    await last_release(engine)
    time = "DATETIME" if engine.dialect.name == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE audit"))
        await connection.execute(
            text(
                "CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY, idempotency_key VARCHAR NOT NULL UNIQUE, "
                "workflow_id VARCHAR NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, "
                f"outcome VARCHAR NOT NULL, reason TEXT, at {time} NOT NULL)"
            )
        )
        await connection.execute(
            text("INSERT INTO audit VALUES (1, 'k:1', 'k', 'stab', 'apply', 'accepted', 'old text', :at)"),
            {"at": datetime(2026, 6, 1, 10, tzinfo=UTC)},
        )
    await _make_required(engine, "resits", "grade_before")
    await upgrade_schema(engine)
    assert await differences(engine) == []
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE resits SET grade_before = NULL"))
        audit = (await connection.execute(text("SELECT reason, params, problems FROM audit"))).one()
    assert tuple(audit) == ("old text", None, None)


async def _make_required(engine: AsyncEngine, table: str, column: str) -> None:
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"))
            return
        ddl = await connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table})
        assert f"{column} VARCHAR," in ddl
        await connection.exec_driver_sql("PRAGMA writable_schema = ON")
        await connection.execute(
            text("UPDATE sqlite_master SET sql = :sql WHERE name = :t"),
            {"sql": ddl.replace(f"{column} VARCHAR,", f"{column} VARCHAR NOT NULL,"), "t": table},
        )
        await connection.exec_driver_sql("PRAGMA writable_schema = OFF")


async def test_an_empty_sqlite_database_is_created_at_start_and_an_empty_postgresql_one_is_refused(
    engine: AsyncEngine,
) -> None:
    """The embedded default (the demo's SQLite file, made from nothing) needs no extra step; a deployed
    PostgreSQL is migrated by `starter.py db upgrade` once, not by whichever worker starts first."""
    if engine.dialect.name == "sqlite":
        await create_schema(engine)
        assert (await schema_state(engine)).up_to_date
        return
    with pytest.raises(SchemaBehind, match="uten revisjon"):
        await create_schema(engine)
    assert (await schema_state(engine)).empty


async def test_two_processes_upgrading_at_once_take_turns(engine: AsyncEngine) -> None:
    """Two workers and the web app started together: one brings the schema forward, the others find it done."""
    others = [make_engine(engine.url.render_as_string(hide_password=False)) for _ in range(2)]
    try:
        # an empty PostgreSQL is the upgrade command's to create, not a start's; an empty SQLite file a start's
        start = upgrade_schema if engine.dialect.name == "postgresql" else create_schema
        await asyncio.gather(upgrade_schema(engine), *(start(other) for other in others))
    finally:
        for other in others:
            await other.dispose()
    assert (await schema_state(engine)).up_to_date
    assert await differences(engine) == []


async def test_two_databases_upgraded_at_once_in_one_process_each_get_their_own_schema(tmp_path: Path) -> None:
    """Two runs in one process (the chaos bench's): alembic's context is one per process, and one database's
    migrations ran on the other's connection ("table accounts already exists")."""
    engines = [make_engine(f"sqlite+aiosqlite:///{tmp_path / f'run-{n}.sqlite3'}") for n in range(4)]
    try:
        # without turns they failed or hung (the suite's timeout then fails the test)
        await asyncio.gather(*(create_schema(each) for each in engines))
        for each in engines:
            assert (await schema_state(each)).up_to_date
            assert await differences(each) == []
    finally:
        for each in engines:
            await each.dispose()


async def set_revision(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


async def test_a_database_a_newer_release_migrated_is_refused_and_not_touched(engine: AsyncEngine) -> None:
    """Code rolled back after a newer release's upgrade: neither a start nor `db upgrade` can bring it forward."""
    await upgrade_schema(engine)
    await set_revision(engine, "0009_from_a_newer_release")
    message = "databasen er på revisjon 0009_from_a_newer_release, som denne koden ikke kjenner"
    with pytest.raises(SchemaBehind, match=message):
        await create_schema(engine)
    with pytest.raises(SchemaBehind, match="en nyere utgave har oppgradert den; start den utgaven"):
        await upgrade_schema(engine)
    assert (await schema_state(engine)).current == "0009_from_a_newer_release"
