"""What the migration tests compare and load: the differences between a database and the code's tables, and the
last release's database (its schema as create_all made it before migrations, with a row or two)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from store.migrations.schema import target_metadata

LAST_RELEASE = Path(__file__).parent / "last_release"


def _differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), target_metadata()))


async def differences(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as connection:
        return await connection.run_sync(_differences)


async def run_script(engine: AsyncEngine, path: Path) -> None:
    statements = [s for s in path.read_text(encoding="utf-8").split(";\n") if s.strip().strip("-")]
    async with engine.begin() as connection:
        for statement in statements:
            lines = [line for line in statement.splitlines() if not line.startswith("--")]
            await connection.exec_driver_sql("\n".join(lines))


async def last_release(engine: AsyncEngine) -> None:
    """The database as the last release (create_all, before migrations) left it, with a row or two."""
    await run_script(engine, LAST_RELEASE / f"{engine.dialect.name}.sql")
    await run_script(engine, LAST_RELEASE / "rows.sql")
