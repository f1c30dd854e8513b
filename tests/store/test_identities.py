"""OpenID Connect accounts belong to the provider's issuer and subject: the username claim names a new account and
never picks an existing one, and no account changes owner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from store.accounts import EXTERNAL, Account, AccountRecord, Accounts, LocalAccountExists, Role
from store.identities import derived_username

ISSUER = "https://auth.example.no"
GROUP = "kull-2022.gruppe-5001"
PASSWORD = "riktig-hest-batteri"


async def test_two_subjects_with_the_same_handle_get_two_accounts(accounts: Accounts) -> None:
    first = await accounts.upsert_external(ISSUER, "s-1", Account(username="sensor", role=Role.EXAMINER))
    await accounts.assign("sensor", GROUP)
    second = await accounts.upsert_external(ISSUER, "s-2", Account(username="sensor", role=Role.TEACHER))
    elsewhere = await accounts.upsert_external("https://other.example.no", "s-1", first)  # another provider's s-1

    assert first.username == "sensor"
    assert second == Account(username=derived_username(ISSUER, "s-2"), role=Role.TEACHER)
    assert elsewhere.username == derived_username("https://other.example.no", "s-1")
    assert await accounts.get("sensor") == first  # the first keeps their role and their groups
    assert await accounts.assigned("sensor") == {GROUP}
    assert await accounts.assigned(second.username) == set()


async def test_a_subject_whose_handle_changes_keeps_its_account(accounts: Accounts) -> None:
    kari = Account(username="kari", role=Role.MUNICIPALITY, municipality="5001")
    await accounts.upsert_external(ISSUER, "s-1", kari)
    renamed = await accounts.upsert_external(ISSUER, "s-1", Account(username="kari.n", role=Role.EXAMINER))

    assert renamed == Account(username="kari", role=Role.EXAMINER)  # the claims still decide the role
    assert await accounts.get("kari") == renamed and await accounts.get("kari.n") is None
    newcomer = await accounts.upsert_external(ISSUER, "s-2", Account(username="kari", role=Role.TEACHER))
    assert newcomer.username == derived_username(ISSUER, "s-2")


async def test_a_local_account_with_a_password_is_never_taken_over(accounts: Accounts) -> None:
    await accounts.add(Account(username="turid", role=Role.TEACHER), PASSWORD)
    admin = await accounts.upsert_external(ISSUER, "s-1", Account(username="turid", role=Role.ADMIN))
    assert admin == Account(username=derived_username(ISSUER, "s-1"), role=Role.ADMIN)

    squatter = Account(username=derived_username(ISSUER, "s-2"), role=Role.TEACHER)
    await accounts.add(squatter, PASSWORD)  # a local account under the name s-2 would be given
    with pytest.raises(LocalAccountExists, match="er en lokal konto med passord"):
        await accounts.upsert_external(ISSUER, "s-2", Account(username="turid", role=Role.ADMIN))
    assert await accounts.authenticate("turid", PASSWORD) == Account(username="turid", role=Role.TEACHER)
    assert await accounts.authenticate(squatter.username, PASSWORD) == squatter


async def test_a_derived_name_is_only_its_own_identitys(accounts: Accounts) -> None:
    theirs = derived_username(ISSUER, "s-2")
    claimed = await accounts.upsert_external(ISSUER, "s-1", Account(username=theirs, role=Role.ADMIN))
    assert claimed.username == derived_username(ISSUER, "s-1")  # a handle of that form is never granted
    assert (await accounts.upsert_external(ISSUER, "s-2", Account(username=theirs, role=Role.TEACHER))).username == (
        theirs
    )

    legacy = derived_username(ISSUER, "s-3")  # made by an earlier version, which kept no identities
    async with accounts.sessions() as session, session.begin():
        session.add(
            AccountRecord(username=legacy, role="examiner", password_hash=EXTERNAL, created_at=datetime.now(UTC))
        )
    await accounts.assign(legacy, GROUP)
    adopted = await accounts.upsert_external(ISSUER, "s-3", Account(username=legacy, role=Role.EXAMINER))
    assert adopted.username == legacy and await accounts.assigned(legacy) == {GROUP}
