"""`starter.py user add` and `starter.py web` as programs: accounts that break a rule are refused in one line,
an added account signs in to the served app."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from store.accounts import Account, AccountError, Accounts, Role
from store.db import make_engine, make_session_factory

ROOT = Path(__file__).parents[2]


def environment(data: Path, **extra: str) -> dict[str, str]:
    return os.environ | {"NIS_DATA_DIR": str(data), "NIS_LOG_FORMAT": "json"} | extra


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


async def add(data: Path, *argv: str) -> Ran:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        "user",
        "add",
        *argv,
        cwd=ROOT,
        env=environment(data),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())


async def test_user_add_reads_the_password_file_and_refuses_broken_accounts(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("et-langt-passord\n")
    done = await add(
        tmp_path, "kari", "--role", "municipality", "--municipality", "5001", "--password-file", str(secret)
    )
    assert done.returncode == 0 and done.stdout.strip() == "user kari added (role municipality)", done.stderr
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    try:
        accounts = Accounts(make_session_factory(engine))
        account = await accounts.authenticate("kari", "et-langt-passord")
        assert account is not None and account.municipality == "5001" and account.actor == "web:kari (municipality)"
        assert await accounts.authenticate("kari", "et-langt-passord\n") is None
    finally:
        await engine.dispose()

    duplicate = await add(tmp_path, "kari", "--role", "admin", "--password-file", str(secret))
    assert (duplicate.returncode, duplicate.stderr.strip()) == (1, "refused: user 'kari' already exists")
    no_terminal = await add(tmp_path, "ola", "--role", "teacher")
    assert (no_terminal.returncode, no_terminal.stderr.strip()) == (
        2,
        "error: no terminal to ask for the password: use --password-file",
    )


@pytest.mark.parametrize(
    ("account", "password", "said"),
    [
        (
            Account(username="ola", role=Role.MUNICIPALITY),
            "et-langt-passord",
            "role municipality: --municipality KOMMUNENUMMER is required",
        ),
        (
            Account(username="ola", role=Role.MUNICIPALITY, municipality="9999"),
            "et-langt-passord",
            "--municipality: municipality 9999 is not in the register (unknown or retired kommunenummer)",
        ),
        (
            Account(username="ola@kommune.no", role=Role.TEACHER),
            "et-langt-passord",
            (
                "user name 'ola@kommune.no': 2-64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit "
                "(a handle, not an e-mail address)"
            ),
        ),
        (
            Account(username="ola", role=Role.PARTICIPANT),
            "et-langt-passord",
            "role participant: --participant PARTICIPANT_ID (kull-C.gruppe-ID.deltaker-N) is required",
        ),
        (
            Account(username="ola", role=Role.TEACHER, municipality="5001"),
            "et-langt-passord",
            "role teacher: --municipality is only for role municipality",
        ),
        (Account(username="ola", role=Role.TEACHER), "kort", "password: at least 10 characters"),
    ],
)
async def test_an_account_that_breaks_a_rule_is_refused_and_not_stored(
    tmp_path: Path, account: Account, password: str, said: str
) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'accounts.sqlite3'}")
    try:
        await Accounts.create_table(engine)
        accounts = Accounts(make_session_factory(engine))
        with pytest.raises(AccountError) as refused:
            await accounts.add(account, password)
        assert str(refused.value) == said
        assert await accounts.get(account.username) is None
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_starter_web_serves_the_app_at_its_address(env: WorkflowEnvironment, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("et-langt-passord\n")
    assert (await add(tmp_path, "ada", "--role", "admin", "--password-file", str(secret))).returncode == 0
    port = free_port()
    settings = {
        "NIS_WEB_ADDRESS": f"127.0.0.1:{port}",
        "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
    }
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
        "web",
        cwd=ROOT,
        env=environment(tmp_path, **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    page = await client.get("/logg-inn")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert page.status_code == 200 and "Logg inn" in page.text
            answer = await client.post("/api/token", data={"username": "ada", "password": "et-langt-passord"})
            assert answer.status_code == 200 and answer.json()["token_type"] == "bearer"
    finally:
        server.send_signal(signal.SIGINT)
        out_bytes, err_bytes = await asyncio.wait_for(server.communicate(), 20)
    out, err = out_bytes.decode(), err_bytes.decode()
    assert server.returncode == 0, err
    assert out.startswith(f"web app at http://127.0.0.1:{port}/"), out
    assert "ada" not in err  # no user name in the log
