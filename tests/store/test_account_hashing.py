"""Argon2 is paid where a password is checked or set, not where accounts are only read or assigned: an Accounts made
by the worker's reminder sweep, a command or the demo's script hashes nothing. A sign-in with a name that has no
account is still checked against a hash, one made once per process, so it is refused as a wrong password is."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from gateway.accounts import Account, Accounts, Role, unknown_account_hash

PASSWORD = "passordpassord"


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords Argon2 hashes from here on, the unknown name's hash made afresh."""
    made: list[str] = []
    real = PasswordHasher.hash

    def counted(self: PasswordHasher, password: str | bytes, *, salt: bytes | None = None) -> str:
        made.append(str(password))
        return real(self, password, salt=salt)

    unknown_account_hash.cache_clear()
    monkeypatch.setattr(PasswordHasher, "hash", counted)
    return made


async def test_accounts_made_to_read_and_assign_hash_nothing(accounts: Accounts, hashes: list[str]) -> None:
    await accounts.add(Account(username="kari", role=Role.TEACHER), PASSWORD)
    assert hashes == [PASSWORD]
    for _ in range(3):  # as the demo's script makes one for each group it gives a supervisor
        await Accounts(accounts.sessions).assign_supervisor("kari", "kull-2022.gruppe-5001")
    assert hashes == [PASSWORD]


async def test_an_unknown_name_is_checked_against_one_hash_made_once(accounts: Accounts, hashes: list[str]) -> None:
    await accounts.add(Account(username="kari", role=Role.TEACHER), PASSWORD)
    assert await accounts.authenticate("ola", PASSWORD) is None
    assert await Accounts(accounts.sessions).authenticate("per", PASSWORD) is None
    assert hashes == [PASSWORD, "an account that does not exist"]
    signed_in = await accounts.authenticate("kari", PASSWORD)
    assert signed_in is not None and signed_in.username == "kari"
