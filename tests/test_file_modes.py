"""Files at rest are private: every writer makes its file 0600 in a 0700 folder, even when the process was started
with the usual umask 022; the entry points make the data folder 0700 and set umask 077 for what libraries write."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import worker
from activities.documents import DocumentFacts, render_pdf
from cli import privacy as cli_privacy
from demo import embedded
from demo.year import save_progress
from domain.plan import load_plan
from gateway.accounts import prepare
from gateway.export import write_export
from gateway.statistics import write_report
from runtime.codec import load_or_create_key
from runtime.files import new_dirs_private, private_dir, write_private
from runtime.settings import Settings
from store.accounts import Accounts
from store.db import create_schema, make_engine, make_session_factory
from tests.factories import cohort_record
from web.demo_accounts import create_demo_accounts

ROOT = Path(__file__).parents[1]
GROUP = "kull-2031.gruppe-1804"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private(path: Path, *folders: Path) -> None:
    """The file 0600; its folder, and each of `folders` (those the writer made), 0700."""
    assert mode(path) == 0o600, f"{path}: {oct(mode(path))}"
    for folder in (path.parent, *folders):
        assert mode(folder) == 0o700, f"{folder}: {oct(mode(folder))}"


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The umask a shell usually gives: files 0644 and folders 0755 unless the code says otherwise."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_private_dir_write_private_and_new_dirs_private(tmp_path: Path) -> None:
    made = private_dir(tmp_path / "a" / "b")
    assert made == tmp_path / "a" / "b" and mode(tmp_path / "a") == 0o700 and mode(made) == 0o700
    old = tmp_path / "old"
    old.mkdir(mode=0o755)
    private_dir(old)
    assert mode(old) == 0o700  # ours: tightened

    write_private(made / "f.txt", "første")
    write_private(made / "f.txt", b"second")
    assert_private(made / "f.txt")
    assert (made / "f.txt").read_bytes() == b"second"
    assert sorted(p.name for p in made.iterdir()) == ["f.txt"]  # no temporary file left

    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    new_dirs_private(theirs / "new" / "newer")
    assert mode(theirs) == 0o755  # a folder someone named keeps its mode
    assert mode(theirs / "new") == 0o700 and mode(theirs / "new" / "newer") == 0o700


def test_a_document_pdf(tmp_path: Path) -> None:
    facts = DocumentFacts(
        kind="course_certificate",
        participant_id=f"{GROUP}.deltaker-1",
        cohort="2031",
        credits=0,
        grade=None,
        result_date=date(2031, 6, 20),
    )
    pdf = tmp_path / "data" / "documents" / "2031" / "x.pdf"
    render_pdf(facts, "Kari Kurs", "AAAA-BBBB", pdf)
    assert_private(pdf, tmp_path / "data" / "documents", tmp_path / "data")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_fs_export_csv_and_xlsx(tmp_path: Path) -> None:
    csv_file, xlsx_file = write_export([], tmp_path / "ut" / "fs", "2031", xlsx=True)
    assert_private(csv_file, tmp_path / "ut")
    assert_private(xlsx_file)
    assert csv_file.read_text(encoding="utf-8").startswith("person_id;course_code;")
    assert xlsx_file.read_bytes().startswith(b"PK")


@pytest.fixture
async def read_model(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A read model in a new data folder, with one cohort written (so SQLite has made its WAL files)."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'readmodel.sqlite3'}")
    await create_schema(engine)
    sessions = make_session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(cohort_record("2031"))
    yield sessions
    await engine.dispose()


async def test_the_read_model_database(tmp_path: Path, read_model: async_sessionmaker[AsyncSession]) -> None:
    database = tmp_path / "data" / "readmodel.sqlite3"
    sqlite_files = sorted(database.parent.glob("readmodel.sqlite3*"))
    assert database in sqlite_files and len(sqlite_files) > 1  # the WAL and its shared memory too
    for file in sqlite_files:
        assert_private(file)


async def test_the_statistics_report(tmp_path: Path, read_model: async_sessionmaker[AsyncSession]) -> None:
    report = await write_report(read_model, "2031", tmp_path / "ut" / "statistikk")
    assert report is not None
    assert_private(report, tmp_path / "ut")


def test_a_privacy_export_file(tmp_path: Path) -> None:
    path = tmp_path / "person.json"
    cli_privacy._write(path, {"person_id": "p" + "1" * 20})
    assert_private(path)


def test_the_codec_key_and_the_data_folder(tmp_path: Path) -> None:
    load_or_create_key(Settings(data_dir=tmp_path / "data", codec_key=None))
    assert_private(tmp_path / "data" / "codec.key")


def test_the_demos_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "results_table", lambda report: "")
    embedded._write_report({"participants": []}, tmp_path / "rapport" / "report.json")
    assert_private(tmp_path / "rapport" / "report.json")


def test_the_demos_mark_of_starting_over(tmp_path: Path) -> None:
    assert embedded._starting_over(Settings(data_dir=tmp_path / "data"), fresh=True)
    assert_private(tmp_path / "data" / embedded.STARTING_OVER)


def test_the_demos_progress(tmp_path: Path) -> None:
    progress = tmp_path / "demo-2031.json"
    save_progress(progress, load_plan(ROOT / "demo" / "plans" / "kull-2022.json"), {"a"})
    assert_private(progress)


async def test_the_demos_accounts_file(tmp_path: Path) -> None:
    engine = await prepare(f"sqlite+aiosqlite:///{tmp_path / 'accounts.sqlite3'}")  # the read model, as deployed
    try:
        path = tmp_path / "data" / "demo-accounts.json"
        await create_demo_accounts(Accounts(make_session_factory(engine)), path, "1804", f"{GROUP}.deltaker-1", [GROUP])
        assert_private(path)
    finally:
        await engine.dispose()


def test_the_embedded_server_runs_private_and_logs_privately(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launched: dict[str, Any] = {}
    monkeypatch.setattr(subprocess, "Popen", lambda command, **options: launched.update(options))
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "temporal-server.log").write_text("from an older version\n")
    embedded.launch_dev_server(Settings(data_dir=data))
    assert launched["umask"] == 0o077  # the server's SQLite file is the server's to create
    assert_private(data / "temporal-server.log")


def test_the_worker_sets_the_umask_and_makes_the_data_folder_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)

    async def run_nothing(settings: Settings, runtime: object = None) -> None:
        return None

    # no metrics endpoint: the test binds no port
    monkeypatch.setattr(worker, "get_settings", lambda: Settings(data_dir=data, metrics_address=""))
    monkeypatch.setattr(worker, "configure_logging", lambda *args: None)
    monkeypatch.setattr(worker, "run_worker", run_nothing)
    assert worker.main() == 0
    assert os.umask(0o022) == 0o077
    assert mode(data) == 0o700


def test_starter_makes_the_data_folder_and_the_read_model_private(tmp_path: Path) -> None:
    """A command on the database alone, from a shell with umask 022: on a new data folder, and on one an older
    version made 0755."""
    fresh, older = tmp_path / "fresh" / "data", tmp_path / "older"
    older.mkdir(mode=0o755)
    for data in (fresh, older):
        env = os.environ | {"NIS_DATA_DIR": str(data), "TEMPORAL_ADDRESS": "127.0.0.1:1"}  # nothing answers there
        env.pop("NIS_DATABASE_URL", None)
        ran = subprocess.run(
            [sys.executable, "starter.py", "statistics", "--cohort", "2099"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            umask=0o022,
        )
        assert ran.returncode == 1 and "Databasen har ikke noe kull 2099" in ran.stderr, ran.stderr
        assert (data / "readmodel.sqlite3").exists()
        assert mode(data) == 0o700
        for path in data.rglob("*"):
            assert mode(path) == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode(path))}"
    assert mode(fresh.parent) == 0o700
