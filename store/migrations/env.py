"""Alembic's environment: runs on the connection store.migrations hands it (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context

from store.migrations.schema import target_metadata

connection = context.config.attributes["connection"]
# render_as_batch: SQLite alters a table by copying it; PostgreSQL alters it in place
context.configure(connection=connection, target_metadata=target_metadata(), render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
