"""A staff account's e-mail address for its reminders: validated, stored trimmed and lower case, set and taken away
later; only staff accounts with one are swept."""

from __future__ import annotations

import pytest

from gateway.accounts import Account, AccountError, Accounts, Role

PASSWORD = "passordpassord"
KARI = Account(username="kari", role=Role.EXAMINER)


async def test_an_address_is_stored_as_given_trimmed_and_lower_case(accounts: Accounts) -> None:
    await accounts.add(KARI, PASSWORD, email="  Kari.Sensor@Example.NO ")
    assert await accounts.email("kari") == "kari.sensor@example.no"
    await accounts.add(KARI, PASSWORD + "2", replace=True)  # a new password keeps the address
    assert await accounts.email("kari") == "kari.sensor@example.no"


async def test_a_bad_address_is_refused_in_norwegian_and_nothing_is_stored(accounts: Accounts) -> None:
    with pytest.raises(AccountError) as refused:
        await accounts.add(KARI, PASSWORD, email="kari at example")
    assert str(refused.value) == "E-postadressen er ikke gyldig: skriv den som navn@domene.no"
    assert await accounts.get("kari") is None
    await accounts.add(KARI, PASSWORD)
    with pytest.raises(AccountError, match="E-postadressen er ikke gyldig"):
        await accounts.set_email("kari", "kari@")
    with pytest.raises(AccountError, match="Ingen konto 'ola'"):
        await accounts.set_email("ola", "ola@example.no")


async def test_only_staff_accounts_with_an_address_are_reminded(accounts: Accounts) -> None:
    await accounts.add(KARI, PASSWORD)
    await accounts.add(Account(username="per", role=Role.ADMIN), PASSWORD, email="per@example.no")
    contact = Account(username="kontakt", role=Role.MUNICIPALITY, municipality="1804")
    await accounts.add(contact, PASSWORD, email="kontakt@example.no")
    assert [a.username for a in await accounts.reminded()] == ["per"]
    await accounts.set_email("kari", "kari@example.no")
    await accounts.set_email("per", None)
    assert [a.username for a in await accounts.reminded()] == ["kari"]
