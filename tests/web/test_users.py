"""`starter.py user add` and `starter.py web` as programs: accounts that break a rule are refused in one line,
an added account signs in to the served app."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
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
    return await run(data, "user", "add", *argv)


async def run(data: Path, *argv: str) -> Ran:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "starter.py",
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
    assert done.returncode == 0 and done.stdout.strip() == "bruker kari er lagt til (rolle: kommune)", done.stderr
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    try:
        accounts = Accounts(make_session_factory(engine))
        account = await accounts.authenticate("kari", "et-langt-passord")
        assert account is not None and account.municipality == "5001" and account.actor == "kari"
        assert await accounts.authenticate("kari", "et-langt-passord\n") is None
    finally:
        await engine.dispose()

    duplicate = await add(tmp_path, "kari", "--role", "admin", "--password-file", str(secret))
    assert (duplicate.returncode, duplicate.stderr.strip()) == (1, "avvist: Brukeren 'kari' finnes allerede")
    no_terminal = await add(tmp_path, "ola", "--role", "teacher")
    assert (no_terminal.returncode, no_terminal.stderr.strip()) == (
        2,
        "feil: ingen terminal å spørre etter passordet i: bruk --password-file",
    )


async def test_user_add_and_user_email_set_the_reminders_address_and_refuse_a_bad_one(tmp_path: Path) -> None:
    """The accounts table gets its `email` column from the migrations (0008); the address is never printed back."""
    secret = tmp_path / "password"
    secret.write_text("et-langt-passord\n")
    done = await add(
        tmp_path, "sigurd", "--role", "examiner", "--email", "Sigurd@Example.no", "--password-file", str(secret)
    )
    assert done.stdout.strip() == "bruker sigurd er lagt til (rolle: sensor, påminnelser på e-post)", done.stderr
    bad = await run(tmp_path, "user", "email", "sigurd", "sigurd(at)example.no")
    assert (bad.returncode, bad.stderr.strip()) == (
        1,
        "avvist: E-postadressen er ikke gyldig: skriv den som navn@domene.no",
    )
    changed = await run(tmp_path, "user", "email", "sigurd", "sensor@example.no")
    assert changed.stdout.strip() == "bruker sigurd har fått ny e-postadresse for påminnelser"
    assert "example" not in changed.stdout + changed.stderr
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    try:
        assert await Accounts(make_session_factory(engine)).email("sigurd") == "sensor@example.no"
    finally:
        await engine.dispose()
    gone = await run(tmp_path, "user", "email", "sigurd", "--none")
    assert gone.stdout.strip() == "bruker sigurd får ikke lenger påminnelser på e-post"


async def test_user_add_marks_an_external_examiner(tmp_path: Path) -> None:
    """The accounts table gets its `external` column from the migrations (0007) and keeps the mark."""
    secret = tmp_path / "password"
    secret.write_text("et-langt-passord\n")
    done = await add(tmp_path, "mona", "--role", "examiner", "--external", "--password-file", str(secret))
    assert done.returncode == 0 and done.stdout.strip() == "bruker mona er lagt til (rolle: sensor, ekstern)", (
        done.stderr
    )
    inside = await add(tmp_path, "lars", "--role", "examiner", "--password-file", str(secret))
    assert inside.returncode == 0 and inside.stdout.strip() == "bruker lars er lagt til (rolle: sensor)"
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'readmodel.sqlite3'}")
    try:
        accounts = Accounts(make_session_factory(engine))
        mona, lars = await accounts.get("mona"), await accounts.get("lars")
        assert mona is not None and mona.external and lars is not None and not lars.external
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("account", "password", "said"),
    [
        (
            Account(username="ola", role=Role.MUNICIPALITY),
            "et-langt-passord",
            "Rollen kommune: --municipality KOMMUNENUMMER må oppgis",
        ),
        (
            Account(username="ola", role=Role.MUNICIPALITY, municipality="9999"),
            "et-langt-passord",
            "--municipality: kommunenummer 9999 er ikke i registeret (ukjent eller utgått kommunenummer)",
        ),
        (
            Account(username="ola@kommune.no", role=Role.TEACHER),
            "et-langt-passord",
            (
                "Brukernavnet 'ola@kommune.no': 2–64 tegn av a–z, 0–9, '.', '_' eller '-', først en bokstav eller "
                "et siffer (et kallenavn, ikke en e-postadresse)"
            ),
        ),
        (
            Account(username="ola", role=Role.PARTICIPANT),
            "et-langt-passord",
            "Rollen deltaker: --participant DELTAKER-ID (kull-K.gruppe-ID.deltaker-N) må oppgis",
        ),
        (
            Account(username="ola", role=Role.TEACHER, municipality="5001"),
            "et-langt-passord",
            "Rollen faglærer: --municipality gjelder bare rollen kommune",
        ),
        (Account(username="ola", role=Role.TEACHER), "kort", "Passordet må ha minst 10 tegn"),
        (
            Account(username="ola", role=Role.TEACHER, external=True),
            "et-langt-passord",
            "Rollen faglærer: --external gjelder bare rollen sensor",
        ),
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
        assert str(refused.value) == said and refused.value.code.startswith("account.")
        assert await accounts.get(account.username) is None
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def served(env: WorkflowEnvironment, data: Path) -> AsyncIterator[tuple[httpx.AsyncClient, list[str]]]:
    """`starter.py web` as a process at a free port: a client of it, and (after the block) what it printed."""
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
        env=environment(data, **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    printed: list[str] = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    await client.get("/logg-inn")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            yield client, printed
    finally:
        server.send_signal(signal.SIGINT)
        out_bytes, err_bytes = await asyncio.wait_for(server.communicate(), 20)
        printed += [out_bytes.decode(), err_bytes.decode()]
    assert server.returncode == 0, printed[1]
    assert printed[0].startswith(f"webappen kjører på http://127.0.0.1:{port}/"), printed[0]


async def test_starter_web_serves_the_app_at_its_address(env: WorkflowEnvironment, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("et-langt-passord\n")
    assert (await add(tmp_path, "ada", "--role", "admin", "--password-file", str(secret))).returncode == 0
    async with served(env, tmp_path) as (client, printed):
        page = await client.get("/logg-inn")
        assert page.status_code == 200 and "Logg inn" in page.text
        answer = await client.post("/api/token", data={"username": "ada", "password": "et-langt-passord"})
        assert answer.status_code == 200 and answer.json()["token_type"] == "bearer"
    err = printed[1]
    assert "ada" not in err  # no user name in the log


async def test_a_password_change_ends_every_session_and_token_and_a_spoofed_address_gets_no_new_limit(
    env: WorkflowEnvironment, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.write_text("et-langt-passord\n")
    second.write_text("et-nytt-langt-passord\n")
    assert (await add(tmp_path, "ada", "--role", "admin", "--password-file", str(first))).returncode == 0
    async with served(env, tmp_path) as (client, _):
        form = await client.get("/logg-inn")
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        signed_in = await client.post(
            "/logg-inn", data={"username": "ada", "password": "et-langt-passord", "csrf": csrf}
        )
        assert signed_in.status_code == 303 and (await client.get("/")).status_code == 200
        token = (await client.post("/api/token", data={"username": "ada", "password": "et-langt-passord"})).json()
        bearer = {"Authorization": f"Bearer {token['access_token']}"}
        assert (await client.get("/api/me", headers=bearer)).status_code == 200

        changed = await run(tmp_path, "user", "password", "ada", "--password-file", str(second))
        assert changed.returncode == 0, changed.stderr
        assert changed.stdout.strip() == "passordet til ada er endret; 2 økt(er) og API-nøkkel(er) er avsluttet"
        assert (await client.get("/api/me", headers=bearer)).status_code == 401
        page = await client.get("/")
        assert page.status_code == 303 and page.headers["location"] == "/logg-inn"

        # the server is on loopback and X-Forwarded-For is not believed: spoofing it gives no fresh limit
        for n in range(20):
            spoofed = {"X-Forwarded-For": f"203.0.113.{n}"}
            guess = await client.post("/api/token", data={"username": f"navn-{n}", "password": "x"}, headers=spoofed)
            assert guess.status_code == 401
        blocked = await client.post(
            "/api/token",
            data={"username": "ada", "password": "et-nytt-langt-passord"},
            headers={"X-Forwarded-For": "198.51.100.1"},
        )
        assert blocked.status_code == 429
