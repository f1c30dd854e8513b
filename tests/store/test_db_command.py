"""`starter.py db current|upgrade` as an operator runs them, and the worker and the web app refusing to start on a
database behind, as separate programs on SQLite and on PostgreSQL. No Temporal answers: the refusal comes first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from store.migrations.schema import head
from tests.store.schema_fixtures import last_release

ROOT = Path(__file__).parents[2]
BEHIND = (
    f"databasen er uten revisjon (tom, eller laget før migreringer), koden trenger {head()}: "
    "kjør `python starter.py db upgrade` (mot NIS_DATABASE_URL) og start på nytt"
)


def run(url: str, folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "NIS_DATABASE_URL": url,
        "NIS_DATA_DIR": str(folder),
        "TEMPORAL_ADDRESS": "127.0.0.1:9",  # nothing answers there: a start that got past the database would fail
        "NIS_METRICS_ADDRESS": "",  # the worker's default port may be another worker's on this machine
    }
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def url_of(engine: AsyncEngine) -> str:
    return engine.url.render_as_string(hide_password=False)


async def test_the_last_release_is_refused_by_worker_and_web_until_db_upgrade(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await last_release(engine)
    url, shown = url_of(engine), engine.url.render_as_string(hide_password=True)

    current = run(url, tmp_path, "starter.py", "db", "current")
    assert current.returncode == 1, current.stderr
    assert current.stdout.splitlines() == [
        f"databasen {shown}: ingen revisjon (laget før migreringer)",
        f"bak: koden trenger revisjon {head()}; kjør `python starter.py db upgrade`",
    ]
    worker = run(url, tmp_path, "worker.py")
    assert (worker.returncode, worker.stderr.strip()) == (3, f"kan ikke starte workeren: {BEHIND}")
    web = run(url, tmp_path, "starter.py", "web")
    assert (web.returncode, web.stderr.strip()) == (3, f"kan ikke starte webappen: {BEHIND}")
    async with engine.connect() as connection:  # neither start changed the database
        assert not await connection.run_sync(lambda sync: sync.dialect.has_table(sync, "alembic_version"))

    upgrade = run(url, tmp_path, "starter.py", "db", "upgrade")
    assert (upgrade.returncode, upgrade.stdout.strip()) == (
        0,
        f"databasen {shown} er oppgradert fra ingen revisjon (laget før migreringer) til revisjon {head()}",
    )
    current = run(url, tmp_path, "starter.py", "db", "current")
    assert current.returncode == 0
    assert current.stdout.splitlines()[1] == f"oppdatert: koden trenger revisjon {head()}"
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT seed FROM cohorts WHERE cohort = '2022'")) == "kull-2022"


async def test_db_upgrade_creates_an_empty_database_once(engine: AsyncEngine, tmp_path: Path) -> None:
    url, shown = url_of(engine), engine.url.render_as_string(hide_password=True)
    first = run(url, tmp_path, "starter.py", "db", "upgrade")
    second = run(url, tmp_path, "starter.py", "db", "upgrade")
    assert first.stdout.strip() == f"databasen {shown} er oppgradert fra tom (ingen tabeller) til revisjon {head()}"
    assert second.stdout.strip() == f"databasen {shown} er allerede på revisjon {head()}; ingenting å gjøre"
    assert (first.returncode, second.returncode) == (0, 0)


def test_a_database_that_does_not_answer_is_named_without_its_password(tmp_path: Path) -> None:
    result = run("postgresql+asyncpg://nis:hemmelig@127.0.0.1:9/nis", tmp_path, "starter.py", "db", "current")
    assert result.returncode == 3
    assert result.stderr.startswith("kan ikke bruke databasen postgresql+asyncpg://nis:***@127.0.0.1:9/nis: ")
    assert "hemmelig" not in result.stderr + result.stdout
