"""Who may act: the accounts, their roles, the sessions and API tokens, and the user name an OpenID identity gets.
The web app and the command line take them from here, not from the store (tests/test_imports.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from store.accounts import USERNAME, Account, AccountError, Accounts, LocalAccountExists, Role, check_external
from store.accounts import unknown_account_hash as unknown_account_hash
from store.db import create_schema, make_engine
from store.identities import derived_username
from store.sessions import Kind, Sessions

__all__ = [
    "USERNAME",
    "Account",
    "AccountError",
    "Accounts",
    "Kind",
    "LocalAccountExists",
    "Role",
    "Sessions",
    "check_external",
    "derived_username",
    "prepare",
    "unknown_account_hash",
]


async def prepare(database_url: str) -> AsyncEngine:
    """The read model's engine with its tables and the accounts' table made (the caller disposes of it)."""
    engine = make_engine(database_url)
    await create_schema(engine)
    await Accounts.create_table(engine)
    return engine
