"""The read model's schema under alembic: where a database stands, and bringing it to the code's revision.

The migrations ship in this package and alembic's configuration is built here, so no alembic.ini is needed. Every
function runs on a connection the caller opened; `store.db` holds the async entry points.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, inspect, text

MIGRATIONS = Path(__file__).parent
VERSION_TABLE = "alembic_version"
# the key of PostgreSQL's advisory lock that makes concurrent upgrades (two workers, the web app) take turns
_LOCK_KEY = 21_0003
MIGRATION_WAIT_MS = 120_000  # SQLite: how long a start waits for another process's migration
# SQLite: every connection's busy_timeout (store.db): how long a write waits for another process's. At the national
# year's written deadline a write waited past 5 s and failed ("database is locked", bench/national.py): the worker's
# effects writes held the lock while their coroutines waited for a busy event loop. They run whole on a thread now
# (store.db.write_whole); the relay's and the web app's short writes still await the loop between statements
WRITE_WAIT_MS = 30_000


def target_metadata() -> MetaData:
    """Every table the code maps: what the newest migration's result must equal."""
    from store import (  # noqa: F401  their tables
        accounts,
        calendar_feeds,
        documents,
        end_of_year,
        explanations,
        identities,
        registrations,
        sessions,
        staff_reminders,
        tables,
    )

    return tables.Base.metadata


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The revision this code needs."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS}")
    return revision


def known(revision: str) -> bool:
    """Whether this code has the revision: a database a newer release migrated has one it does not."""
    return revision in {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: no revision recorded (an empty database, or one made before migrations)
    head: str
    tables: frozenset[str]  # the tables present, the version table left out

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def empty(self) -> bool:
        return self.current is None and not self.tables

    @property
    def ahead(self) -> bool:
        """At a revision this code does not know: migrated by a newer release, which an upgrade cannot undo."""
        return self.current is not None and not known(self.current)


def state(connection: Connection) -> SchemaState:
    # read directly: alembic's MigrationContext would log two INFO lines at every start of every process
    tables = frozenset(inspect(connection).get_table_names())
    current = None
    if VERSION_TABLE in tables:
        current = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # one linear history
    return SchemaState(current, head(), tables - {VERSION_TABLE})


def lock(connection: Connection) -> None:
    """Take the database's migration lock for the rest of the transaction: a second process waits, then finds the
    schema brought forward. SQLite: its write lock, taken at once (the driver would begin lazily, after the check)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        # another process's migration holds the write lock for as long as it runs (seconds on a busy machine):
        # wait for it as PostgreSQL's lock waits, not the 5 s that ride out a write
        connection.exec_driver_sql(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.exec_driver_sql(f"PRAGMA busy_timeout={WRITE_WAIT_MS}")  # the connection's own again


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the schema to `revision` inside the caller's transaction (after `lock`)."""
    # alembic's INFO lines ("Context impl SQLiteImpl." ...) would be a worker's first log lines; the command
    # prints its own
    logging.getLogger("alembic").setLevel(logging.WARNING)
    command.upgrade(_config(connection), revision)
