"""The demo's accounts file: one account per role, passwords that sign in, mode 600, new passwords on a re-run; and an
account the demo did not make (the demo pointed at a real database) is never reset."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from demo.web import DemoWeb
from runtime.settings import Settings
from store.accounts import Account, Accounts, Role
from web.demo_accounts import create_actor_accounts, create_demo_accounts

GROUP = "kull-2022.gruppe-5001"
PARTICIPANT = f"{GROUP}.deltaker-1"
KNOWN = "the administration's own password"


async def test_one_account_per_role_written_privately_and_renewed(tmp_path: Path, accounts: Accounts) -> None:
    path = tmp_path / "data" / "demo-accounts.json"
    first = (await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP])).written
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == first
    assert list(first) == ["admin", "teacher", "examiner", "municipality", "participant"]
    for role, login in first.items():
        account = await accounts.authenticate(login["username"], login["password"])
        assert account is not None and account.role == Role(role)
    assert (await accounts.get("kommune-5001")).municipality == "5001"  # type: ignore[union-attr]
    assert await accounts.assigned("sensor") == {GROUP}

    rerun = await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP])  # the demo's own database
    again = rerun.written
    assert rerun.untouched == [] and list(again) == list(first)
    assert again["admin"]["password"] != first["admin"]["password"]
    assert await accounts.authenticate("admin", first["admin"]["password"]) is None
    assert await accounts.authenticate("admin", again["admin"]["password"]) is not None


async def test_the_appeal_examiner_is_an_external_examiner_who_signs_in(tmp_path: Path, accounts: Accounts) -> None:
    path = tmp_path / "data" / "demo-accounts.json"
    written = (await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP], "mona.klagesensor")).written
    login = written["appeal_examiner"]
    account = await accounts.authenticate(login["username"], login["password"])
    assert account == Account(username="mona.klagesensor", role=Role.EXAMINER, external=True)
    assert await accounts.assigned("mona.klagesensor") == set()  # on the commissions, no group's examiner


async def test_an_existing_admin_of_another_database_is_not_reset(tmp_path: Path, accounts: Accounts) -> None:
    """NIS_DATABASE_URL names a real database: its admin (and its examiner's groups) stay as they are."""
    await accounts.add(Account(username="admin", role=Role.ADMIN), KNOWN)
    await accounts.add(Account(username="sensor", role=Role.EXAMINER), KNOWN)
    path = tmp_path / "data" / "demo-accounts.json"

    made = await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP])

    assert made.untouched == ["admin", "sensor"]
    assert await accounts.authenticate("admin", KNOWN) == Account(username="admin", role=Role.ADMIN)
    assert await accounts.authenticate("sensor", KNOWN) == Account(username="sensor", role=Role.EXAMINER)
    assert await accounts.assigned("sensor") == set()
    assert list(made.written) == ["teacher", "municipality", "participant"]  # the demo's own, made
    assert json.loads(path.read_text()) == made.written
    again = await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP])  # a rerun: the same
    assert again.untouched == ["admin", "sensor"] and await accounts.authenticate("admin", KNOWN) is not None


async def test_an_account_named_in_the_file_with_a_password_that_no_longer_signs_in_is_not_reset(
    tmp_path: Path, accounts: Accounts
) -> None:
    """The file of a demo run on another database, or an admin who took the demo's account over with a new password:
    the file names the account, but the account is no longer the demo's."""
    path = tmp_path / "data" / "demo-accounts.json"
    first = (await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP])).written
    await accounts.set_password("admin", KNOWN)

    made = await create_demo_accounts(accounts, path, "5001", PARTICIPANT, [GROUP])

    assert made.untouched == ["admin"] and "admin" not in made.written
    assert await accounts.authenticate("admin", KNOWN) is not None
    assert made.written["teacher"]["password"] != first["teacher"]["password"]  # the demo's own are renewed


async def test_the_demo_says_it_left_an_account_alone_without_any_password(
    tmp_path: Path, accounts: Accounts, capsys: pytest.CaptureFixture[str]
) -> None:
    await accounts.add(Account(username="admin", role=Role.ADMIN), KNOWN)
    settings = Settings(data_dir=tmp_path / "data")
    web = DemoWeb(settings, cast(Client, None), cast(AsyncEngine, None), accounts.sessions)  # neither is used here
    web.task = serving = asyncio.create_task(asyncio.sleep(3600))  # as if the web app served

    await web.create_accounts("5001", PARTICIPANT, [GROUP])
    serving.cancel()

    out = capsys.readouterr().out
    assert "The demo does not reset the existing account 'admin'" in out and "The demo goes on" in out
    written = json.loads(web.accounts_file.read_text())
    assert KNOWN not in out and all(login["password"] not in out for login in written.values())


async def test_the_scripts_actors_are_accounts_and_an_existing_one_is_left_alone(accounts: Accounts) -> None:
    await accounts.add(Account(username="ole.faglaerer", role=Role.TEACHER), KNOWN)
    wanted = {"kari.studieadministrasjon": Role.ADMIN, "ole.faglaerer": Role.ADMIN}
    assert await create_actor_accounts(accounts, wanted) == ["kari.studieadministrasjon"]
    assert await accounts.get("kari.studieadministrasjon") == Account(
        username="kari.studieadministrasjon", role=Role.ADMIN
    )
    assert await accounts.authenticate("ole.faglaerer", KNOWN) == Account(username="ole.faglaerer", role=Role.TEACHER)
