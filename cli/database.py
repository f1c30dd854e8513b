"""`starter.py db upgrade|current`: the read model's schema at NIS_DATABASE_URL (default: the SQLite file in the
data folder). `upgrade` brings it to the code's revision (run it before the worker and the web app start after a
release; they refuse a database behind); `current` says where it stands.

Exit codes: 0 done (current: up to date), 1 current: behind, 3 the database cannot be reached or upgraded.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from gateway.storage import make_engine, schema_state, upgrade_schema
from runtime.settings import get_settings


def upgrade(args: argparse.Namespace) -> int:
    return _run(_upgrade)


def current(args: argparse.Namespace) -> int:
    return _run(_current)


def _run(job: Callable[[str, str], Coroutine[Any, Any, int]]) -> int:
    url = get_settings().resolved_database_url
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        return asyncio.run(job(url, shown))
    except (SQLAlchemyError, OSError) as error:
        print(f"kan ikke bruke databasen {shown}: {error}", file=sys.stderr)
        return 3


async def _upgrade(url: str, shown: str) -> int:
    engine = make_engine(url)
    try:
        before, after = await upgrade_schema(engine)
    finally:
        await engine.dispose()
    if before.up_to_date:
        print(f"databasen {shown} er allerede på revisjon {after.current}; ingenting å gjøre")
    else:
        was = _revision(before.current, before.empty)
        print(f"databasen {shown} er oppgradert fra {was} til revisjon {after.current}")
    return 0


async def _current(url: str, shown: str) -> int:
    engine = make_engine(url)
    try:
        found = await schema_state(engine)
    finally:
        await engine.dispose()
    print(f"databasen {shown}: {_revision(found.current, found.empty)}")
    if found.up_to_date:
        print(f"oppdatert: koden trenger revisjon {found.head}")
        return 0
    if found.ahead:
        print(f"foran: en nyere utgave har oppgradert databasen; denne koden trenger revisjon {found.head}")
    else:
        print(f"bak: koden trenger revisjon {found.head}; kjør `python starter.py db upgrade`")
    return 1


def _revision(current: str | None, empty: bool) -> str:
    if current:
        return f"revisjon {current}"
    return "tom (ingen tabeller)" if empty else "ingen revisjon (laget før migreringer)"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="the read model's schema: upgrade it, or show where it stands")
    actions = db.add_subparsers(dest="db_command", required=True)
    sub = actions.add_parser("upgrade", help="bring the database at NIS_DATABASE_URL to the code's revision")
    sub.set_defaults(handler=upgrade)
    sub = actions.add_parser("current", help="show the database's revision and the code's (exit 1 when behind)")
    sub.set_defaults(handler=current)
