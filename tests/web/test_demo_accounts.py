"""The demo's accounts file: one account per role, passwords that sign in, mode 600, new passwords on a re-run."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from store.accounts import Accounts, Role
from store.db import make_engine, make_session_factory
from web.demo_accounts import create_demo_accounts

GROUP = "kull-2022.gruppe-5001"


async def test_one_account_per_role_written_privately_and_renewed(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'accounts.sqlite3'}")
    try:
        await Accounts.create_table(engine)
        accounts = Accounts(make_session_factory(engine))
        path = tmp_path / "data" / "demo-accounts.json"
        first = await create_demo_accounts(accounts, path, "5001", f"{GROUP}.deltaker-1", [GROUP])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert json.loads(path.read_text()) == first
        assert list(first) == ["admin", "teacher", "examiner", "municipality", "participant"]
        for role, login in first.items():
            account = await accounts.authenticate(login["username"], login["password"])
            assert account is not None and account.role == Role(role)
        assert (await accounts.get("kommune-5001")).municipality == "5001"  # type: ignore[union-attr]
        assert await accounts.assigned("sensor") == {GROUP}

        again = await create_demo_accounts(accounts, path, "5001", f"{GROUP}.deltaker-1", [GROUP])
        assert again["admin"]["password"] != first["admin"]["password"]
        assert await accounts.authenticate("admin", first["admin"]["password"]) is None
        assert await accounts.authenticate("admin", again["admin"]["password"]) is not None
    finally:
        await engine.dispose()
